# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# common.sh - sourced (not run) by the scripts behind make's targets: what
# each of them starts with, written once.
#
#   BSLAB_SERIES, BSLAB_FLAVOUR
#	the test kernel's defaults, stated here once: the Debian kernel
#	series (KVER) and the fragment in qemu/ (FLAVOUR).
#   bslab_setup NAME FLAVOUR [KDIR [SERIES]]
#	top: the checkout; out: build/NAME; the dependencies installed;
#	kdir: KDIR if given (not empty), else the cached kernel of FLAVOUR
#	and SERIES (BSLAB_SERIES by default), built first if it is not
#	cached.
#   bslab_setup_kernel NAME
#	bslab_setup for the kernel FLAVOUR and KVER name (BSLAB_FLAVOUR and
#	BSLAB_SERIES by default), KDIR overriding both; out is build/NAME,
#	or build/NAME[-FLAVOUR][-KVER] for others than those; ksrc: its
#	source.
#   bslab_build_copy KDIR [make arguments...]
#	build every module from a copy of the sources in $out/src, so that
#	a build against another kernel, or with other flags, leaves the
#	checkout's objects alone; the log is $out/build.log.
#   bslab_fail_log LOG MESSAGE
#	show the end of LOG, say "NAME: MESSAGE (see LOG)", exit 1.
#   bslab_guest_csv SERIAL_LOG
#	print the bslabstat CSV the guest wrote between its BSLAB-CSV-BEGIN
#	and BSLAB-CSV-END lines (a console message that lands in between is
#	dropped: only the header and nine-field lines are kept).
#   bslab_distro_kernels
#	Debian's stock kernels, by the meta-package that stands for each:
#	bookworm's own (6.1), its PREEMPT_RT flavour and the 6.12 kernel
#	Debian ships for bookworm; DISTRO_KERNELS overrides the list.
#   bslab_distro_release META
#	the release META stands for today, e.g. 6.1.0-57-amd64 (none: empty).
#   bslab_distro_headers RELEASE
#	install linux-headers-RELEASE, unless it is installed.

# shellcheck disable=SC2034 # for the sourcing scripts and kernel.sh
BSLAB_SERIES=6.12
# shellcheck disable=SC2034
BSLAB_FLAVOUR=debug

bslab_setup() {
	bslab_name=$1
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	out=$top/build/$1
	"$top/scripts/deps.sh"
	# shellcheck disable=SC2034 # kdir and out are for the sourcing script
	kdir=${3:-$("$top/scripts/kernel.sh" "$2" "${4:-$BSLAB_SERIES}" | tail -n 1)}
	mkdir -p "$out"
}

bslab_setup_kernel() {
	local name=$1 flavour=${FLAVOUR:-$BSLAB_FLAVOUR} kver=${KVER:-$BSLAB_SERIES}

	[ "$flavour" = "$BSLAB_FLAVOUR" ] || name=$name-$flavour
	[ "$kver" = "$BSLAB_SERIES" ] || name=$name-$kver
	bslab_setup "$name" "$flavour" "${KDIR:-}" "$kver"
	# shellcheck disable=SC2034 # for the sourcing script
	ksrc=$(readlink -f "$kdir/source" 2>/dev/null || echo "$kdir")
}

bslab_fail_log() {
	tail -30 "$1"
	echo "$bslab_name: $2 (see $1)"
	exit 1
}

bslab_build_copy() {
	local k=$1

	shift
	rm -rf "$out/src"
	mkdir -p "$out/src"
	cp -r "$top"/{Kbuild,include,mm,kunit,bench,demo,soak} "$out/src/"
	# objects of the checkout's build are for another kernel: never reuse
	find "$out/src" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' \
		-o -name '*.mod' -o -name '*.mod.c' \) -type f -delete
	echo "$bslab_name: building modules against $k"
	make -C "$k" M="$out/src" "$@" modules >"$out/build.log" 2>&1 ||
		bslab_fail_log "$out/build.log" "module build failed"
}

bslab_guest_csv() {
	sed 's/^\[ *[0-9.]*\] //; s/\r$//' "$1" |
		awk '/^BSLAB-CSV-END/ { on = 0 }
		     on && ($0 ~ /^time,/ || (split($0, f, ",") == 9 && $1 ~ /^[0-9]/))
		     /^BSLAB-CSV-BEGIN/ { on = 1 }'
}

bslab_distro_kernels() {
	echo "${DISTRO_KERNELS:-linux-image-amd64 linux-image-rt-amd64 linux-image-6.12-amd64}"
}

bslab_distro_release() {
	apt-cache depends --important "$1" |
		sed -n 's/^ *Depends: linux-image-\(.*\)$/\1/p' | sed 's/-unsigned$//' | head -n 1
}

bslab_distro_headers() {
	local sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	dpkg-query -W -f='${Status}' "linux-headers-$1" 2>/dev/null | grep -q "ok installed" ||
		DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq "linux-headers-$1" >/dev/null
}
