#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - make bench: build (or reuse) the perf kernel, build the modules
# against it (in build/bench/src, so the test build is left alone), boot
# QEMU and run bslab_bench:
#   single: one CPU under -icount shift=0 (the guest clock counts
#           instructions: repeatable; unit "instructions")
#   nocheck: W1 alone, one CPU under -icount, with bslab's free_check=0:
#           what the free check of every free costs
#   smp:    two CPUs under multi-threaded TCG on wall time (unit "ns")
# then write build/bench/results.json and build/bench/results.txt.
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

. "$(dirname "$0")/common.sh"
bslab_setup bench perf "${KDIR_PERF:-}"
rm -rf "$out"
mkdir -p "$out"
bslab_build_copy "$kdir"
kos=("$out/src/bslab.ko" "$out/src/bench/bslab_bench.ko")

for mode in single nocheck smp; do
	mkdir -p "$out/$mode"
	export MODPARAMS_bslab="reap_interval=0"
	export MODPARAMS_bslab_bench="mode=$mode reps=${BENCH_REPS:-15}"
	if [ $mode = nocheck ]; then
		export MODPARAMS_bslab="reap_interval=0 free_check=0"
		export MODPARAMS_bslab_bench="mode=hot reps=${BENCH_REPS:-15}"
	fi
	if [ $mode != smp ]; then
		export BSLAB_SMP=1 BSLAB_ACCEL=tcg BSLAB_QEMU_EXTRA="-icount shift=0"
	else
		export BSLAB_SMP=2 BSLAB_ACCEL=tcg,thread=multi BSLAB_QEMU_EXTRA=
	fi
	echo "bench: running the $mode workloads (log: $out/$mode/serial.log)"
	BSLAB_TIMEOUT=1800 "$top/scripts/boot.sh" "$kdir" "$out/$mode" bench "${kos[@]}" ||
		{ echo "bench: QEMU failed or timed out in $mode mode"; exit 1; }
done
python3 "$top/scripts/bench_report.py" "$kdir" "$out"
