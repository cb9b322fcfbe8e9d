#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh [check] - make deb: the bslab-dkms Debian package, built with
# dpkg-buildpackage and dh-dkms from a copy of the tree, into
# build/deb/bslab-dkms_<version>_all.deb.
#
# With "check" (make check-deb), then, as a user would: installs the
# linux-headers packages of Debian's stock bookworm kernel (6.1), of its
# PREEMPT_RT flavour and of its 6.12 kernel (DISTRO_KERNELS overrides the
# list), installs the package with apt (DKMS builds bslab for every kernel
# with headers), runs `dkms build` for each, checks that each has bslab.ko,
# bslab_demo.ko and the Module.symvers clients need, builds a client module
# of its own (the demo's source, outside bslab's tree: Debian's kernels have
# no KUnit for examples/client) against the installed headers and that
# Module.symvers, and purges the package again.  Ends with the line
# "N passed, M failed".
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

. "$(dirname "$0")/common.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
need=
for p in dpkg-dev debhelper dh-dkms dkms rsync; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
	echo "deb: installing$need"
	# shellcheck disable=SC2086
	$sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq $need >/dev/null
fi

ver=$(cd "$top" && dpkg-parsechangelog -S Version)
rm -rf "$out"
mkdir -p "$out/bslab-$ver"
# the tree as committed or not, without anything a build left in it
rsync -a --exclude /build --exclude /.git --exclude '*.o' --exclude '*.ko' \
	--exclude '.*.cmd' --exclude '*.mod' --exclude '*.mod.c' \
	--exclude Module.symvers --exclude modules.order --exclude .bslab-kdir \
	"$top/" "$out/bslab-$ver/"
echo "deb: dpkg-buildpackage (log: $out/build.log)"
if ! (cd "$out/bslab-$ver" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1; then
	tail -30 "$out/build.log"
	echo "deb: the package did not build"
	echo "0 passed, 1 failed"
	exit 1
fi
deb=$out/bslab-dkms_${ver}_all.deb
echo "deb: $deb"
dpkg-deb -c "$deb" | awk '{ print "  " $6 }' | grep -E 'dkms.conf|bslab.h$|dkms-post-build'
[ "${1:-}" = check ] || exit 0

passed=0 failed=0
result() {
	if [ "$1" = 0 ]; then
		echo "ok $2"
		passed=$((passed + 1))
	else
		echo "not ok $2"
		failed=$((failed + 1))
	fi
}

rels=
for meta in $(bslab_distro_kernels); do
	rel=$(bslab_distro_release "$meta")
	[ -n "$rel" ] || { echo "deb: no kernel behind $meta"; exit 1; }
	rels="$rels $rel"
	bslab_distro_headers "$rel"
done

rc=0
$sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq "$deb" >"$out/install.log" 2>&1 || rc=$?
result $rc "apt-get install ./$(basename "$deb")"
for rel in $rels; do
	rc=0
	# (DKMS ends its progress lines with a carriage return)
	tr -d '\r' <"$out/install.log" | grep -qx "Building initial module for $rel" || rc=1
	result $rc "$rel: apt-get install had DKMS build bslab for it"
	rc=0
	$sudo dkms build --force -m bslab -v "$ver" -k "$rel" >"$out/dkms-$rel.log" 2>&1 || rc=$?
	[ $rc = 0 ] || tail -20 "$out/dkms-$rel.log"
	result $rc "dkms build -m bslab -v $ver -k $rel"
	dir=/var/lib/dkms/bslab/$ver/$rel/x86_64
	rc=0
	for f in module/bslab.ko module/bslab_demo.ko Module.symvers; do
		ls "$dir/$f"* >/dev/null 2>&1 || { echo "deb: no $dir/$f"; rc=1; }
	done
	result $rc "$rel: bslab.ko, bslab_demo.ko and Module.symvers in $dir"
	# a client module, built the way the README says, from the package
	client=$out/client-$rel
	mkdir -p "$client"
	cp "$top/demo/bslab_demo.c" "$client/bslab_client.c"
	{
		echo "ccflags-y += -I/usr/src/bslab-$ver/include"
		for c in "$client"/*.c; do
			echo "obj-m += $(basename "$c" .c).o"
		done
	} >"$client/Kbuild"
	rc=0
	make -C "/usr/src/linux-headers-$rel" M="$client" \
		KBUILD_EXTRA_SYMBOLS="$dir/Module.symvers" modules \
		>"$client/build.log" 2>&1 || rc=$?
	[ $rc = 0 ] || tail -20 "$client/build.log"
	result $rc "$rel: a client builds against the installed headers and Module.symvers"
done
rc=0
$sudo apt-get -o DPkg::Lock::Timeout=900 purge -y -qq bslab-dkms >>"$out/install.log" 2>&1 || rc=$?
[ ! -e "/usr/src/bslab-$ver" ] || rc=1
result $rc "apt-get purge bslab-dkms"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
