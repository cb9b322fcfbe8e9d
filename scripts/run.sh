#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - make run: boot the test kernel, load bslab and the demo module
# (a small workload on a few caches), and show what a user sees:
# /proc/bslabinfo, the kmastat table, a cache's stats and slabs, and the
# Slab lines of /proc/meminfo.  The whole console is in build/run/serial.log.
set -euo pipefail

. "$(dirname "$0")/common.sh"
bslab_setup run debug "${KDIR:-}"
"$top/scripts/modules.sh" "$kdir" "$out/build.log" ||
	bslab_fail_log "$out/build.log" "module build failed"
echo "run: booting QEMU with bslab and bslab_demo (about ten seconds under TCG)"
"$top/scripts/boot.sh" "$kdir" "$out" run "$top/bslab.ko" "$top/demo/bslab_demo.ko" ||
	{ echo "run: QEMU failed or timed out; see $out/serial.log"; exit 1; }

sed 's/^\[ *[0-9.]*\] //' "$out/serial.log" | awk '
	/^bslab_demo:/ { print; next }
	/^BSLAB-SECTION: end/ { on = 0; next }
	/^BSLAB-SECTION: / { on = 1; sub(/^BSLAB-SECTION: /, ""); print "\n==== " $0; next }
	/^BSLAB-ERROR/ { print; bad = 1 }
	on { print }
	END { exit bad }'
