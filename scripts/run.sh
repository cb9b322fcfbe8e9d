#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - make run: the leak hunt on bslab.  Boots the test kernel with
# bslab and the demo module, whose live workload has one code path that
# slowly leaks; in the guest, bslabstat names the leaking cache, audit is
# switched on for it on the live system and kmausers names the function;
# slabtop, kmastat, a cache's stats and slabs and /proc/meminfo follow.  On
# the host, bslabplot charts bslabstat's samples into build/run/bslabstat.png.
# The whole console is in build/run/serial.log.  On a kernel with NUMA (the
# test kernel has it) the guest has two nodes, a CPU each, and the leak
# hunt also shows kmastat_node and each node's share in bslabstat.
# WORKLOAD=ext4: instead, ext4, jbd2 and mbcache built from the kernel's
# source on bslab (scripts/ext4.sh); the guest mounts an ext4, runs dbench
# on it and shows kmastat, bslabtop, kmausers for ext4_inode_cache and
# bslabstat while it runs, then unmounts and unloads.
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

. "$(dirname "$0")/common.sh"
bslab_setup run "$BSLAB_FLAVOUR" "${KDIR:-}"
bslab_build_copy "$kdir"
if grep -q '^CONFIG_NUMA=y' "$kdir/.config"; then
	export BSLAB_NUMA=2
fi
case ${WORKLOAD:-leak} in
leak)
	echo "run: booting QEMU with bslab and bslab_demo (about a minute under TCG)"
	# (long enough on a slow machine; unloading the demo stops it)
	export MODPARAMS_bslab_demo="live=90"
	"$top/scripts/boot.sh" "$kdir" "$out" run "$out/src/bslab.ko" "$out/src/demo/bslab_demo.ko" ||
		{ echo "run: QEMU failed or timed out; see $out/serial.log"; exit 1; }
	;;
ext4)
	echo "run: building ext4, jbd2 and mbcache from the kernel's source on bslab (log: $out/ext4-build.log)"
	"$top/scripts/ext4.sh" "$kdir" "$out/src" "$out/ext4" >"$out/ext4-build.log" 2>&1 ||
		{ tail -n 20 "$out/ext4-build.log"; exit 1; }
	echo "run: booting QEMU with bslab and ext4 on it, dbench for 30 s (about two minutes under TCG)"
	BSLAB_EXT4=$out/ext4 "$top/scripts/boot.sh" "$kdir" "$out" run-ext4 "$out/src/bslab.ko" ||
		{ echo "run: QEMU failed or timed out; see $out/serial.log"; exit 1; }
	;;
*)
	echo "run: WORKLOAD is leak (the default) or ext4, not $WORKLOAD" >&2
	exit 2
	;;
esac

sed 's/^\[ *[0-9.]*\] //' "$out/serial.log" | awk '
	/^bslab_demo:/ { print; next }
	/^BSLAB-SECTION: end/ { on = 0; next }
	/^BSLAB-SECTION: / { on = 1; sub(/^BSLAB-SECTION: /, ""); print "\n==== " $0; next }
	/^BSLAB-ERROR/ { print; bad = 1 }
	on { print }
	END { exit bad }'

bslab_guest_csv "$out/serial.log" >"$out/bslabstat.csv"
echo
echo "==== The chart of the run: bslabplot build/run/bslabstat.csv -o build/run/bslabstat.png"
/usr/bin/python3 "$top/scripts/bslabplot" "$out/bslabstat.csv" -o "$out/bslabstat.png"
