#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# layout.sh - make layout: pahole's view of struct bslab_cache and the
# structures of the fast path, from bslab.ko built with debug info against
# the perf kernel (in build/layout, so the other builds are left alone).
# Documentation/bslab.rst shows its output for struct bslab_cache.
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

. "$(dirname "$0")/common.sh"
bslab_setup layout perf "${KDIR_PERF:-}"
if ! command -v pahole >/dev/null; then
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq dwarves >/dev/null
fi
bslab_build_copy "$kdir" KCFLAGS="-g -gdwarf-4"
for s in bslab_cache bslab_depot bslab_cpu_cache bslab_magazine bslab_slab; do
	pahole -C "$s" "$out/src/bslab.ko"
done | tee "$out/pahole.txt"
