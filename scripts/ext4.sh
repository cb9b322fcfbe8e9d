#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ext4.sh KDIR BSLAB_BUILD OUT - ext4, jbd2 and mbcache on bslab.
#
# Copies fs/ext4, fs/jbd2 and fs/mbcache.c from KDIR's kernel source (the
# kernel's own, untouched) to OUT and builds them there as modules with
# include/bslab_kmem.h put in front of every file (-include), against
# BSLAB_BUILD's Module.symvers: OUT/mbcache.ko, OUT/jbd2.ko and OUT/ext4.ko,
# whose every kmem_cache is a bslab cache.  Then checks that no call to
# SLUB's kmem_cache functions is left in them (nm -u), so that nothing
# of theirs went around the header.  No source line is patched.  The
# kernel's own modules they depend on go to OUT/deps, with their load order;
# a tree for the guest to work on goes to OUT/tree.tar (part of the
# kernel's scripts/) with the md5sum of each file (OUT/tree.md5).  With
# EXT4_STOCK=1, the kernel's own mbcache, jbd2 and ext4 (on SLUB), built
# from the same source with the same options, go to OUT/stock (without
# their debug info): make bench's W14 runs the same work on both.
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

kdir=$(cd "$1" && pwd) mods=$(cd "$2" && pwd) out=$3
top=$(cd "$(dirname "$0")/.." && pwd)
src=$(readlink -f "$kdir/source" 2>/dev/null || echo "$kdir")
[ -f "$src/fs/ext4/super.c" ] || { echo "ext4.sh: no fs/ext4 in $src" >&2; exit 1; }
grep -q '^CONFIG_EXT4_FS=m' "$kdir/.config" ||
	{ echo "ext4.sh: $kdir has no CONFIG_EXT4_FS=m (qemu/base.config)" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out"/ext4 "$out"/jbd2 "$out"/mbcache
cp "$src"/fs/ext4/*.[ch] "$src"/fs/ext4/Makefile "$out/ext4/"
cp "$src"/fs/jbd2/*.[ch] "$src"/fs/jbd2/Makefile "$out/jbd2/"
cp "$src/fs/mbcache.c" "$out/mbcache/"
echo 'obj-m += mbcache.o' >"$out/mbcache/Makefile"
cat >"$out/Kbuild" <<EOF
# ext4, jbd2 and mbcache from $src, on bslab (scripts/ext4.sh)
# no debug info: these modules are not what drgn or a dump reads
subdir-ccflags-y += -I$top/include -include $top/include/bslab_kmem.h -g0
obj-m += mbcache/ jbd2/ ext4/
EOF
make -C "$kdir" M="$(cd "$out" && pwd)" -j"$(nproc)" \
	KBUILD_EXTRA_SYMBOLS="$mods/Module.symvers" modules
for m in mbcache/mbcache jbd2/jbd2 ext4/ext4; do
	ko=$out/$m.ko
	undef=$(nm -u "$ko")
	left=$(echo "$undef" | awk '$2 ~ /^(__)?kmem_cache_/ { print $2 }')
	if [ -n "$left" ]; then
		echo "ext4.sh: $(basename "$ko") still calls SLUB's: $left" >&2
		exit 1
	fi
	grep -q ' bslab_cache_alloc$' <<<"$undef" ||
		{ echo "ext4.sh: $(basename "$ko") does not call bslab" >&2; exit 1; }
	cp "$ko" "$out/"
done

# The kernel's own modules they need (crc16, the crypto API where jbd2 and
# ext4 checksum through it; crc32c_generic, which ext4 asks the crypto API
# for by name at mount), dependencies first: OUT/deps/*.ko, loaded in the
# order of OUT/deps/order.
mkdir -p "$out/deps"
: >"$out/deps/order"
declare -A seen=([bslab]=1 [mbcache]=1 [jbd2]=1 [ext4]=1)
add_deps() {
	local dep f
	for dep in $(modinfo -F depends "$1" | tr ',' ' '); do
		[ -n "${seen[$dep]:-}" ] && continue
		seen[$dep]=1
		f=$(find "$kdir" -name "$dep.ko" | head -n 1)
		[ -n "$f" ] || { echo "ext4.sh: $dep.ko is not in $kdir" >&2; exit 1; }
		add_deps "$f"
		cp "$f" "$out/deps/"
		echo "$dep" >>"$out/deps/order"
	done
}
for m in mbcache jbd2 ext4; do
	add_deps "$out/$m.ko"
done
f=$(find "$kdir" -name crc32c_generic.ko | head -n 1)
if [ -n "$f" ] && [ -z "${seen[crc32c_generic]:-}" ]; then
	add_deps "$f"
	cp "$f" "$out/deps/"
	echo crc32c_generic >>"$out/deps/order"
fi
# A real tree for the guest to copy in, walk, rename and delete: four
# directories of the kernel's scripts/ and its C files (190 to 290 files
# and directories, 2 MB: more costs CI minutes under TCG), with the md5sum
# of every file.
tree=$(cd "$src" && echo scripts/kconfig scripts/dtc scripts/mod scripts/basic scripts/*.c)
# shellcheck disable=SC2086 # a list of paths
tar -C "$src" -cf "$out/tree.tar" $tree
# shellcheck disable=SC2086
(cd "$src" && find $tree -type f | sort | xargs md5sum) >"$out/tree.md5"
# shellcheck disable=SC2086
(cd "$src" && find $tree | wc -l) >"$out/tree.count"
if [ "${EXT4_STOCK:-0}" = 1 ]; then
	mkdir -p "$out/stock"
	for m in fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4; do
		[ -f "$kdir/$m.ko" ] || { echo "ext4.sh: no $m.ko in $kdir" >&2; exit 1; }
		strip --strip-debug -o "$out/stock/${m##*/}.ko" "$kdir/$m.ko"
	done
fi
echo "ext4.sh: $out/{mbcache,jbd2,ext4}.ko on bslab; the kernel's modules they need: $(tr '\n' ' ' <"$out/deps/order")"
