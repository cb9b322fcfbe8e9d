#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - make bench: bslab against SLUB, for each kernel series in
# BENCH_KVERS (default "6.12 7.2"), in two pairings:
#   tuned:   the perf kernel (qemu/perf.config: no allocator hardening)
#            with bslab's free_check=0;
#   shipped: the shipped kernel (qemu/shipped.config: Debian's allocator
#            and hardening options for that series) with bslab's free check
#            on, as bslab loads by default.
# Each kernel is built (or reused) and the modules built against it (in
# build/bench/SERIES/PAIRING/src), then QEMU boots it for each mode:
#   single: one CPU under -icount shift=0 (the guest clock counts
#           instructions: repeatable; unit "instructions")
#   smp:    two CPUs under multi-threaded TCG on wall time (unit "ns"):
#           with nothing else running on the host (the report calls a run
#           noisy, and prints no figure for it, when the host was busy
#           just before or just after it, or W4's ring baseline spread)
#   hot:    (tuned only) W1 alone under -icount with the free check on:
#           what the check costs on the same kernel
#   numa:   (a kernel with NUMA: the shipped one, as Debian's) W9 on a
#           guest of two nodes with a CPU each (BSLAB_NUMA=2), under
#           -icount in round-robin TCG: each step is timed on its CPU while
#           the other sleeps (unit "instructions"; locality as a share)
# The single mode replays W11 too: bench/w11.replay.xz (a real workload's
# allocations, recorded by scripts/w11_record.sh), unpacked into the guest.
# W14, ext4 on each allocator: scripts/ext4.sh builds ext4, jbd2 and
# mbcache on bslab from the kernel's source, beside the kernel's own (on
# SLUB); one boot per mode (single, smp) runs the same file-system work on
# both in turns (qemu/init, MODE=w14; W14="REPS DBENCH_S STRESS_S SETTLE_S",
# default "2 10 5 31"), with bslab's default reaper and slab_nomerge.
# then write build/bench/results.json and build/bench/results.txt.
# KDIR_PERF and KDIR_SHIPPED use kernels of your own (with one series).
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

. "$(dirname "$0")/common.sh"
# shellcheck disable=SC2034 # for common.sh's functions
bslab_name=bench
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
bench=$top/build/bench
rm -rf "$bench"
mkdir -p "$bench"
xz -dc "$top/bench/w11.replay.xz" >"$bench/w11.replay"

# boot_in DIR CPUS MODE MODULE...: boot.sh with the bench's kernel, on one
# CPU under -icount or on two under multi-threaded TCG (CPUS "numa": two
# CPUs of two nodes under -icount, one running at a time); for two, how busy
# the host was just before and just after the boot goes to DIR/host-busy:
# wall-time figures taken beside other work are noise (the report says so
# instead of printing them)
boot_in() {
	local dir=$1 cpus=$2 mode=$3

	shift 3
	export BSLAB_NUMA=
	if [ "$cpus" = 1 ]; then
		export BSLAB_SMP=1 BSLAB_ACCEL=tcg BSLAB_QEMU_EXTRA="-icount shift=0"
	elif [ "$cpus" = numa ]; then
		export BSLAB_SMP=2 BSLAB_ACCEL=tcg BSLAB_QEMU_EXTRA="-icount shift=0"
		export BSLAB_NUMA=2
		cpus=1		# instructions, as one CPU's: no host-busy check
	else
		export BSLAB_SMP=2 BSLAB_ACCEL=tcg,thread=multi BSLAB_QEMU_EXTRA=
	fi
	[ "$cpus" = 1 ] || host_busy >"$dir/host-busy"
	BSLAB_TIMEOUT=1800 "$top/scripts/boot.sh" "$kdir" "$dir" "$mode" "$@" ||
		{ echo "bench: QEMU failed or timed out ($series: $dir)"; exit 1; }
	[ "$cpus" = 1 ] || host_busy >>"$dir/host-busy"
}

# run PAIRING MODE CHECK BENCH_MODE CPUS
run() {
	local dir=$out/$2

	mkdir -p "$dir"
	export MODPARAMS_bslab="reap_interval=0 free_check=$3"
	export MODPARAMS_bslab_bench="mode=$4 reps=${BENCH_REPS:-15}"
	export BSLAB_FILES=
	[ "$4" = single ] && BSLAB_FILES=$bench/w11.replay
	echo "bench: $series $1: the $2 workloads (log: $dir/serial.log)"
	boot_in "$dir" "$5" bench "${kos[@]}"
}

# w14 PAIRING MODE CHECK CPUS: W14's boot, bslab alone loaded (the guest
# loads each stack's ext4 in turn)
w14() {
	local dir=$out/w14-$2

	mkdir -p "$dir"
	export MODPARAMS_bslab="free_check=$3" BSLAB_FILES=
	echo "bench: $series $1: W14, ext4 on SLUB and on bslab, $2 (log: $dir/serial.log)"
	BSLAB_EXT4=$out/ext4 BSLAB_W14=${W14:-2 10 5 31} \
		BSLAB_CMDLINE="slab_nomerge ${BSLAB_CMDLINE:-}" \
		boot_in "$dir" "$4" w14 "$out/src/bslab.ko"
}

# The share (percent) of the host's CPU time that was busy over one
# second, from /proc/stat: another job beside the bench shows here.
host_busy() {
	local a b busy all

	read -r -a a < <(head -n 1 /proc/stat)
	sleep 1
	read -r -a b < <(head -n 1 /proc/stat)
	# cpu user nice system idle iowait irq softirq steal
	busy=$(( (b[1] + b[2] + b[3] + b[6] + b[7] + b[8]) -
		 (a[1] + a[2] + a[3] + a[6] + a[7] + a[8]) ))
	all=$(( busy + (b[4] + b[5]) - (a[4] + a[5]) ))
	echo $(( all ? 100 * busy / all : 0 ))
}

kdirs=()
for series in ${BENCH_KVERS:-6.12 7.2}; do
	for pairing in tuned shipped; do
		if [ $pairing = tuned ]; then
			flavour=perf k=${KDIR_PERF:-}
		else
			flavour=shipped k=${KDIR_SHIPPED:-}
		fi
		kdir=${k:-$("$top/scripts/kernel.sh" $flavour "$series" | tail -n 1)}
		out=$bench/$series/$pairing
		mkdir -p "$out"
		bslab_build_copy "$kdir"
		kos=("$out/src/bslab.ko" "$out/src/bench/bslab_bench.ko")
		check=1
		[ $pairing = tuned ] && check=0
		run $pairing single $check single 1
		[ $pairing = tuned ] && run $pairing hot 1 hot 1
		run $pairing smp $check smp 2
		grep -q '^CONFIG_NUMA=y' "$kdir/.config" &&
			run $pairing numa $check numa numa
		echo "bench: $series $pairing: building ext4 on bslab, and the kernel's own (log: $out/ext4-build.log)"
		EXT4_STOCK=1 "$top/scripts/ext4.sh" "$kdir" "$out/src" "$out/ext4" \
			>"$out/ext4-build.log" 2>&1 ||
			{ tail -n 20 "$out/ext4-build.log"; echo "bench: scripts/ext4.sh failed"; exit 1; }
		w14 $pairing single $check 1
		w14 $pairing smp $check 2
		kdirs+=("$series/$pairing=$kdir")
	done
done
python3 "$top/scripts/bench_report.py" "$bench" "${kdirs[@]}"
