#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# soak.sh - make soak: bslab_soak on the debug kernel, 2 CPUs, for
# SOAK_SECONDS (default 300) seconds: a dozen caches worked by allocating
# threads, cross-CPU frees, interrupt-context allocations, cache churn and
# reap storms in the kernel; CPU 1 taken off and on line, drop_caches, fault
# injection (bslab's failslab and fail_page_alloc) and readers of every
# bslab file from user space.  Then every object must be back, verify must
# say ok, /proc/meminfo's Slab must be back within a page per cache and the
# log must hold no report.  KVER (6.12 by default) and FLAVOUR (debug by
# default; kcsan, rt) choose the kernel, KDIR overrides both.  A kernel with
# NUMA boots as a guest of NUMA_NODES nodes (default 2: every cross-CPU free
# is then a remote one; scripts/boot.sh).  The log is
# build/soak[-FLAVOUR][-KVER]/serial.log; ends with "N passed, M failed".
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

. "$(dirname "$0")/common.sh"
bslab_setup_kernel soak
secs=${SOAK_SECONDS:-300}

bslab_build_copy "$kdir"
echo "soak: $secs s on $kdir (log: $out/serial.log)"
export MODPARAMS_bslab_soak="seconds=$secs"
if grep -q '^CONFIG_NUMA=y' "$kdir/.config"; then
	export BSLAB_NUMA=${NUMA_NODES:-2}
	echo "soak: a guest of $BSLAB_NUMA NUMA nodes"
fi
BSLAB_TIMEOUT=$((secs + 900)) "$top/scripts/boot.sh" "$kdir" "$out" soak \
	"$out/src/bslab.ko" "$out/src/soak/bslab_soak.ko" ||
	echo "soak: QEMU failed or timed out"
sed -n 's/^\[ *[0-9.]*\] //; s/\r$//; /BSLAB-SOAK/p; /BSLAB-ERROR/p' "$out/serial.log"
exec /usr/bin/python3 "$top/scripts/kunit_results.py" --log-only soak \
	"$ksrc" "$out/serial.log" "$out"
