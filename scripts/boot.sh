#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot.sh KDIR OUTDIR MODE MODULE.ko... - boot a test kernel with modules.
#
# Environment: MODPARAMS_<module> (that module's parameters), BSLAB_SMP
# (CPUs, default 2), BSLAB_ACCEL (default tcg,thread=multi), BSLAB_QEMU_EXTRA
# (more QEMU arguments, e.g. -icount shift=0), BSLAB_TIMEOUT (seconds),
# BSLAB_DUMP=1 (the guest may ask for memory dumps: QMP, the vmcoreinfo
# device and a second serial port for dump_helper.py, run beside QEMU),
# BSLAB_DRGN=1 (python3, drgn and vmlinux in the initramfs), BSLAB_KERNEL
# (the image to boot, default KDIR's bzImage: a distribution's vmlinuz),
# BSLAB_FILES (more files for the guest's /lib/bslab, e.g. W11's replay),
# BSLAB_EXT4 (a directory with ext4, jbd2 and mbcache built on bslab by
# scripts/ext4.sh: they and the file-system tools go in too; its stock/,
# the kernel's own, if there), BSLAB_W14 (make bench's W14: "REPS DBENCH_S
# STRESS_S" for init), BSLAB_NUMA (the guest's NUMA nodes: 2 or 4, below;
# empty, one node).
#
# The NUMA guests (2 CPUs, 2 GiB):
# Each CPU is a socket of its own (no cache shared across nodes):
#   2  node 0: CPU 0, 1 GiB; node 1: CPU 1, 1 GiB.
#   4  node 0: CPU 0, 1 GiB; node 1: CPU 1 and no memory (its CPU
#      allocates from node 2, the nearest: distance 15, the others 20);
#      node 2: 768 MiB; node 3: 256 MiB and no CPU.
# BSLAB_SMP=8 with 4 nodes (a kernel of NR_CPUS >= 8: the 7.2 debug one)
# puts 8 CPUs on the same nodes, CPUs 0 and 1 where they are above:
#      node 0: CPUs 0, 2, 4; node 1: CPUs 1, 3, 5; node 2: CPUs 6, 7.
#
# Packs busybox, qemu/init and the given modules into an initramfs in OUTDIR,
# boots KDIR's bzImage under QEMU (TCG, -smp 2) and writes the serial console
# to OUTDIR/serial.log.  init loads the modules in order, does MODE's work
# and reboots; QEMU exits on the reboot (-no-reboot).  Exits 124 on timeout
# (BSLAB_TIMEOUT seconds, default 900), else 0.
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

kdir=$1 out=$2 mode=$3
shift 3
top=$(cd "$(dirname "$0")/.." && pwd)
root=$out/initramfs

rm -rf "$root"
mkdir -p "$root"/{bin,proc,sys,dev,etc,lib/bslab,tmp}
cp /bin/busybox "$root/bin/busybox"
cp "$top/qemu/init" "$root/init"
chmod +x "$root/init"
# Copy files to the same paths in the initramfs, with the libraries they link.
copy_with_libs() {
	local f lib
	for f in "$@"; do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
		ldd "$f" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
			while read -r lib; do
				mkdir -p "$root$(dirname "$lib")"
				cp -L "$lib" "$root$lib"
			done
	done
}
# bslab's tools; procps slabtop (the guest has busybox's sh, awk, mount and
# unshare) for scripts/bslabtop
cp "$top/scripts/bslabtop" "$top/scripts/bslabstat" "$root/bin/"
copy_with_libs "$(command -v slabtop)"
ln -s "$(command -v slabtop)" "$root/bin/slabtop"
# BSLAB_DRGN=1: python3, drgn and KDIR's vmlinux too, for bslab_drgn.py on
# the live kernel (/proc/kcore)
if [ "${BSLAB_DRGN:-0}" = 1 ]; then
	py=$(readlink -f /usr/bin/python3)
	copy_with_libs "$py" /usr/lib/python3/dist-packages/_drgn.cpython-*.so
	ln -s "$py" "$root/usr/bin/python3"
	tar -C / -cf - --exclude=test --exclude=__pycache__ --exclude=idlelib \
		--exclude=tkinter --exclude=ensurepip --exclude=lib2to3 \
		--exclude='config-*' "usr/lib/$(basename "$py")" \
		usr/lib/python3/dist-packages/drgn | tar -C "$root" -xf -
	cp "$top/scripts/bslab_drgn.py" "$root/bin/"
	cp "$kdir/vmlinux" "$root/lib/bslab/vmlinux"
fi
# BSLAB_EXT4=DIR: ext4 on bslab (DIR has scripts/ext4.sh's modules) and the
# tools init runs on it: mkfs.ext4, dbench and its client load, stress-ng
if [ -n "${BSLAB_EXT4:-}" ]; then
	mkdir -p "$root/lib/bslab/ext4" "$root/etc" "$root/mnt"
	cp "$BSLAB_EXT4"/mbcache.ko "$BSLAB_EXT4"/jbd2.ko "$BSLAB_EXT4"/ext4.ko \
		"$root/lib/bslab/ext4/"
	cp -r "$BSLAB_EXT4/deps" "$BSLAB_EXT4"/tree.* "$root/lib/bslab/ext4/"
	[ ! -d "$BSLAB_EXT4/stock" ] || cp -r "$BSLAB_EXT4/stock" "$root/lib/bslab/ext4/"
	copy_with_libs /usr/sbin/mke2fs /usr/bin/dbench /usr/bin/stress-ng
	ln -s mke2fs "$root/usr/sbin/mkfs.ext4"
	cp /etc/mke2fs.conf "$root/etc/"
	mkdir -p "$root/usr/share/dbench"
	cp /usr/share/dbench/client.txt "$root/usr/share/dbench/"
fi
for f in ${BSLAB_FILES:-}; do
	cp "$f" "$root/lib/bslab/"
done
names=
for ko in "$@"; do
	cp "$ko" "$root/lib/bslab/"
	names="$names $(basename "$ko" .ko)"
done
{
	printf 'MODE=%s\nMODULES="%s"\n' "$mode" "${names# }"
	printf 'DUMP=%s\nDRGN=%s\n' "${BSLAB_DUMP:-0}" "${BSLAB_DRGN:-0}"
	printf 'W14="%s"\n' "${BSLAB_W14:-}"
	for n in $names; do
		var=MODPARAMS_$n
		printf 'MODPARAMS_%s="%s"\n' "$n" "${!var:-}"
	done
} >"$root/etc/bslab.conf"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"

log=$out/serial.log
rm -f "$log" "$out"/*.vmcore
dump=()
helper=
if [ "${BSLAB_DUMP:-0}" = 1 ]; then
	rm -f "$out/qmp.sock" "$out/host.sock"
	dump=(-device vmcoreinfo
	      -qmp "unix:$out/qmp.sock,server=on,wait=off"
	      -chardev "socket,id=host,path=$out/host.sock,server=on,wait=off"
	      -device "isa-serial,chardev=host")
	/usr/bin/python3 "$top/scripts/dump_helper.py" "$out" &
	helper=$!
fi
numa=()
case ${BSLAB_NUMA:-} in
'') ;;
2)
	numa=(-object "memory-backend-ram,id=m0,size=1G"
	      -object "memory-backend-ram,id=m1,size=1G"
	      -numa "node,nodeid=0,cpus=0,memdev=m0"
	      -numa "node,nodeid=1,cpus=1,memdev=m1") ;;
4)
	cpus=(cpus=0 cpus=1 "")
	if [ "${BSLAB_SMP:-2}" = 8 ]; then
		cpus=("cpus=0,cpus=2,cpus=4" "cpus=1,cpus=3,cpus=5" "cpus=6-7,")
	fi
	numa=(-object "memory-backend-ram,id=m0,size=1G"
	      -object "memory-backend-ram,id=m2,size=768M"
	      -object "memory-backend-ram,id=m3,size=256M"
	      -numa "node,nodeid=0,${cpus[0]},memdev=m0"
	      -numa "node,nodeid=1,${cpus[1]}"
	      -numa "node,nodeid=2,${cpus[2]}memdev=m2"
	      -numa "node,nodeid=3,memdev=m3"
	      -numa "dist,src=0,dst=1,val=20" -numa "dist,src=0,dst=2,val=20"
	      -numa "dist,src=0,dst=3,val=20" -numa "dist,src=1,dst=2,val=15"
	      -numa "dist,src=1,dst=3,val=20" -numa "dist,src=2,dst=3,val=20") ;;
*)
	echo "boot.sh: BSLAB_NUMA=$BSLAB_NUMA: 2 or 4 nodes" >&2
	exit 2 ;;
esac
smp=${BSLAB_SMP:-2}
if [ ${#numa[@]} != 0 ]; then
	case $smp,$BSLAB_NUMA in
	2,*) ;;
	8,4) ;;
	*)
		echo "boot.sh: the NUMA guests have 2 CPUs (8 on 4 nodes), not $smp" >&2
		exit 2 ;;
	esac
	smp=$smp,sockets=$smp
fi
rc=0
# random.trust_cpu=on: 6.1 seeds its RNG from RDRAND only if told (later
# kernels always do); until it is seeded, %p prints (____ptrval____), and
# the tests that find their reports in the log by pointer cannot.
# shellcheck disable=SC2086
timeout "${BSLAB_TIMEOUT:-900}" qemu-system-x86_64 "${dump[@]}" \
	-machine pc -cpu max -smp "$smp" -m 2G "${numa[@]}" \
	-accel "${BSLAB_ACCEL:-tcg,thread=multi}" ${BSLAB_QEMU_EXTRA:-} \
	-kernel "${BSLAB_KERNEL:-$kdir/arch/x86/boot/bzImage}" \
	-initrd "$out/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 loglevel=7 random.trust_cpu=on ${BSLAB_CMDLINE:-}" \
	-display none -monitor none -serial "file:$log" \
	-no-reboot </dev/null || rc=$?
if [ -n "$helper" ]; then
	wait "$helper" || echo "boot.sh: dump_helper.py failed" >&2
fi
exit $rc
