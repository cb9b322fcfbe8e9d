#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# w11_record.sh - make w11-record: record W11's workload again and write
# bench/w11.replay.xz, the replay make bench runs (bench/bslab_bench.c).
#
# Boots the 6.12 debug test kernel (its tracefs has the kmem events) on one
# CPU, kmemleak off (its own objects are not the workload's), with no
# module loaded: qemu/init's MODE=w11 turns on the kmem_cache_alloc,
# kmem_cache_free, kmalloc and kfree tracepoints, runs busybox's file-system
# work in a tmpfs (growth, steady and teardown phases, marked in the trace)
# and sends the trace, cut down, over the console; scripts/w11_reduce.py
# makes the replay from it.  Takes about ten minutes (the guest cuts the
# trace down under TCG).  The recording is kept in build/w11/serial.log.
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

. "$(dirname "$0")/common.sh"
bslab_setup w11 debug
echo "w11: recording the workload (log: $out/serial.log)"
BSLAB_SMP=1 BSLAB_ACCEL=tcg BSLAB_TIMEOUT=1800 BSLAB_CMDLINE="kmemleak=off" \
	"$top/scripts/boot.sh" "$kdir" "$out" w11 ||
	bslab_fail_log "$out/serial.log" "QEMU failed or timed out"
grep -q "BSLAB-W11-STATS: overrun: 0$" "$out/serial.log" ||
	bslab_fail_log "$out/serial.log" "the trace buffer overran"
python3 "$top/scripts/w11_reduce.py" "$out/serial.log" "$top/bench/w11.replay.xz"
