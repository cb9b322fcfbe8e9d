#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh - the test command (make check): build or reuse the debug test
# kernel, build the modules, boot them under QEMU, run every KUnit suite and
# judge the log.  EXTRA_TESTS=<dir> adds every module source in <dir>, built
# against bslab's Module.symvers and loaded after bslab.  KVER (6.12 by
# default; 6.1, 7.2) and FLAVOUR (debug by default; kcsan, rt) choose the
# kernel, KDIR overrides both; the output is build/check[-FLAVOUR][-KVER].
# HOTPLUG_SECONDS, if given, is how long bslab_reliability's storm of CPU
# hotplug, readers and cache churn runs (its module parameter
# hotplug_seconds; the default is the module's).  BSLAB_CMDLINE adds kernel
# arguments (CI boots 6.1 with init_on_alloc=1 and 7.2 with init_on_free=1).
# A kernel with NUMA boots as a guest of NUMA_NODES nodes (scripts/boot.sh:
# 2 or 4; default 4, a node without memory and one without a CPU among
# them; CI boots RT and KCSAN with 2); one without NUMA (6.1's) as one
# node.  NUMA_CPUS=8 with 4 nodes boots 8 CPUs on them (CI's 7.2 check;
# a kernel of NR_CPUS >= 8).
# After the suites, the same boot mounts an ext4 whose ext4, jbd2 and
# mbcache modules were built from the kernel's source on bslab
# (scripts/ext4.sh) and runs dbench, stress-ng and a tree copy on it.
# Ends with the line "N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

. "$(dirname "$0")/common.sh"
fail() {
	echo "FAIL: $*"
	echo "0 passed, 1 failed"
	exit 1
}

bslab_setup_kernel check

# (in a copy, build/NAME/src: checks of several kernels may run at once)
( bslab_build_copy "$kdir" ) || fail "module build (see $out/build.log)"
mods=$out/src
kos=("$mods/bslab.ko" "$mods/bslab_test.ko" "$mods/bslab_orphan.ko")

if [ -n "${EXTRA_TESTS:-}" ]; then
	EXTRA_TESTS=$(cd "$EXTRA_TESTS" && pwd) || fail "EXTRA_TESTS: no directory $EXTRA_TESTS"
	extra=$out/extra
	rm -rf "$extra"
	mkdir -p "$extra"
	cp "$EXTRA_TESTS"/*.c "$extra/" 2>/dev/null || fail "no .c files in $EXTRA_TESTS"
	cp "$EXTRA_TESTS"/*.h "$extra/" 2>/dev/null || true
	{
		echo "ccflags-y += -I$top/include"
		for c in "$extra"/*.c; do
			echo "obj-m += $(basename "$c" .c).o"
		done
	} >"$extra/Kbuild"
	make -C "$kdir" M="$extra" KBUILD_EXTRA_SYMBOLS="$mods/Module.symvers" \
		modules >"$out/extra-build.log" 2>&1 ||
		{ tail -30 "$out/extra-build.log"; fail "EXTRA_TESTS build (see $out/extra-build.log)"; }
	for ko in "$extra"/*.ko; do
		kos+=("$ko")
	done
fi
kos+=("$mods/demo/bslab_demo.ko")

# ext4, jbd2 and mbcache from this kernel's source, on bslab: init mounts
# and works an ext4 on them once the suites are done (qemu/init: ext4_check).
# On the debug kernels (6.1, 6.12, 7.2) and PREEMPT_RT, as issue 22 asks;
# the KCSAN kernel's check leaves it out (EXT4=1 puts it back) for CI's
# time: the build and the workload add minutes to every check they are in.
if [ "${FLAVOUR:-debug}" = kcsan ] && [ "${EXT4:-0}" != 1 ]; then
	echo "check: ext4 on bslab is not run on the KCSAN kernel (EXT4=1 runs it)"
elif grep -q '^CONFIG_EXT4_FS=m' "$kdir/.config"; then
	echo "check: building ext4, jbd2 and mbcache on bslab (log: $out/ext4-build.log)"
	"$top/scripts/ext4.sh" "$kdir" "$mods" "$out/ext4" >"$out/ext4-build.log" 2>&1 ||
		{ tail -30 "$out/ext4-build.log"; fail "ext4 on bslab: build (see $out/ext4-build.log)"; }
	export BSLAB_EXT4=$out/ext4
else
	echo "check: $kdir has no CONFIG_EXT4_FS=m (qemu/base.config): ext4 on bslab is not run"
fi

echo "check: booting QEMU (log: $out/serial.log)"
# The periodic reaper would change slab and depot states under tests that
# check them exactly; the suite turns it on where it tests it.
export MODPARAMS_bslab="reap_interval=0"
[ -z "${HOTPLUG_SECONDS:-}" ] ||
	export MODPARAMS_bslab_test="hotplug_seconds=$HOTPLUG_SECONDS"
# kmemleak tracks every bslab object (bslab_audit finds a leak with it);
# KASAN reports every bad access, the one bslab_audit makes on purpose too.
export BSLAB_CMDLINE="kmemleak=on kasan_multi_shot ${BSLAB_CMDLINE:-}"
# The guest asks for a memory dump of the leak hunt, which drgn reads here,
# and runs drgn on itself (/proc/kcore): on the kernels with DWARF, the
# debug ones.  The KCSAN and RT kernels have no KASAN: the cases that need
# it skip, saying so, and only those skips are forgiven there.
cfg=$kdir/.config
drgn=0
grep -q '^CONFIG_DEBUG_INFO=y' "$cfg" && drgn=1
export BSLAB_DUMP=$drgn BSLAB_DRGN=$drgn
judge=()
grep -q '^CONFIG_KASAN_GENERIC=y' "$cfg" ||
	judge+=(--allow-skip "needs a generic-KASAN kernel")
# The reaper's case for a CPU isolated from kernel noise needs one: .ci/run
# boots 7.2's check with isolcpus=7; elsewhere it skips, saying so.
case " $BSLAB_CMDLINE " in
*" isolcpus="* | *" nohz_full="*) ;;
*) judge+=(--allow-skip "needs an isolated CPU (isolcpus=)") ;;
esac
# bslab_numa's cases that need what this guest has not skip, saying so
if grep -q '^CONFIG_NUMA=y' "$cfg"; then
	export BSLAB_NUMA=${NUMA_NODES:-4} BSLAB_SMP=${NUMA_CPUS:-2}
	echo "check: a guest of $BSLAB_SMP CPUs on $BSLAB_NUMA NUMA nodes"
	[ "$BSLAB_NUMA" = 4 ] ||
		judge+=(--allow-skip "needs a NUMA node without memory"
			--allow-skip "needs a NUMA node with memory that is no CPU's home")
else
	unset BSLAB_NUMA
	judge+=(--allow-skip "needs a NUMA node without memory"
		--allow-skip "needs a NUMA node with memory that is no CPU's home"
		--allow-skip "needs two CPUs of different NUMA nodes"
		--allow-skip "needs a NUMA kernel (node meminfo files)")
fi
rc=0
"$top/scripts/boot.sh" "$kdir" "$out" check "${kos[@]}" || rc=$?
[ $rc = 124 ] && echo "FAIL: QEMU timed out"

# The tools on this machine: bslabstat's rule on recorded workloads under
# each shell and awk, bslabstat and bslabplot on what the guest recorded,
# and drgn on the dump QEMU took of the leak hunt.
bslab_guest_csv "$out/serial.log" >"$out/bslabstat.csv"
syms=()
for ko in "$kdir/vmlinux" "${kos[@]}"; do
	syms+=(-s "$ko")
done
dump=()
[ $drgn = 1 ] && dump=(--dump "$out/leakhunt.vmcore" --serial "$out/serial.log" "${syms[@]}")
/usr/bin/python3 "$top/scripts/tools_test.py" "$out" --csv "$out/bslabstat.csv" "${dump[@]}" ||
	echo "check: a tools test failed (see above)"
# the dump is as large as the guest's memory (BSLAB_KEEP_DUMP=1 keeps it)
[ "${BSLAB_KEEP_DUMP:-0}" = 1 ] || rm -f "$out/leakhunt.vmcore"
exec python3 "$top/scripts/kunit_results.py" "${judge[@]}" "$ksrc" "$out/serial.log" "$out"
