# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# common.sh - sourced (not run) by the scripts behind make's targets: what
# each of them starts with, written once.
#
#   bslab_setup NAME FLAVOUR [KDIR [SERIES]]
#	top: the checkout; out: build/NAME; the dependencies installed;
#	kdir: KDIR if given (not empty), else the cached kernel of FLAVOUR
#	(a fragment in qemu/) and SERIES (6.12 by default), built first if
#	it is not cached.
#   bslab_setup_kernel NAME
#	bslab_setup for the kernel FLAVOUR (debug by default) and KVER (6.12
#	by default) name, KDIR overriding both; out is build/NAME, or
#	build/NAME[-FLAVOUR][-KVER] for others than those; ksrc: its source.
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

bslab_setup() {
	bslab_name=$1
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	out=$top/build/$1
	"$top/scripts/deps.sh"
	# shellcheck disable=SC2034 # kdir and out are for the sourcing script
	kdir=${3:-$("$top/scripts/kernel.sh" "$2" "${4:-6.12}" | tail -n 1)}
	mkdir -p "$out"
}

bslab_setup_kernel() {
	local name=$1 flavour=${FLAVOUR:-debug} kver=${KVER:-6.12}

	[ "$flavour" = debug ] || name=$name-$flavour
	[ "$kver" = 6.12 ] || name=$name-$kver
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
