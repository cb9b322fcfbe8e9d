#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# distro.sh - make check-distro: bslab on Debian's own kernels, as a user
# of Debian 12 would have it: the stock bookworm kernel (linux-image-amd64,
# 6.1), its PREEMPT_RT flavour (linux-image-rt-amd64) and the 6.12 kernel
# Debian ships for bookworm (linux-image-6.12-amd64).
# For each: installs its linux-headers package (headers only: nothing is
# installed to boot), builds bslab and the demo against them, downloads the
# signed kernel image and unpacks it into the cache (BSLAB_CACHE, default
# ~/.cache/bslab/distro), boots it under QEMU with the busybox initramfs,
# loads bslab and the demo, checks the stats files and /proc/meminfo's
# accounting, takes CPU 1 off and on line, unloads, and fails on any
# report (WARNING, BUG, Oops...) in the log.  DISTRO_KERNELS overrides the
# meta-packages.  Logs in build/distro-<kernel release>/; ends with the
# line "N passed, M failed".
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

. "$(dirname "$0")/common.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
cache=${BSLAB_CACHE:-$HOME/.cache/bslab}/distro
mkdir -p "$cache"
export DEBIAN_FRONTEND=noninteractive

passed=0 failed=0
for meta in $(bslab_distro_kernels); do
	rel=$(bslab_distro_release "$meta")
	if [ -z "$rel" ]; then
		echo "distro: no kernel behind $meta"
		failed=$((failed + 1))
		continue
	fi
	bslab_name=distro-$rel
	out=$top/build/distro-$rel
	mkdir -p "$out"
	echo "distro: $meta is $rel"

	bslab_distro_headers "$rel"
	image=$cache/$rel/boot/vmlinuz-$rel
	if [ ! -f "$image" ]; then
		rm -rf "${cache:?}/$rel"
		mkdir -p "$cache/$rel"
		(cd "$cache/$rel" && apt-get -qq -o APT::Sandbox::User=root download "linux-image-$rel")
		dpkg-deb -x "$cache/$rel"/linux-image-*.deb "$cache/$rel"
	fi

	kdir=/usr/src/linux-headers-$rel
	if ! (bslab_build_copy "$kdir"); then
		failed=$((failed + 1))
		continue
	fi
	export MODPARAMS_bslab="" MODPARAMS_bslab_demo=""
	BSLAB_KERNEL=$image BSLAB_TIMEOUT=600 "$top/scripts/boot.sh" "$kdir" "$out" \
		distro "$out/src/bslab.ko" "$out/src/demo/bslab_demo.ko" ||
		echo "distro: QEMU failed or timed out on $rel"
	sed -n 's/^\[ *[0-9.]*\] //; s/\r$//; /^BSLAB-\(INFO\|ERROR\)/p' "$out/serial.log"
	verdict=$(/usr/bin/python3 "$top/scripts/kunit_results.py" --log-only "$rel" \
		"$kdir" "$out/serial.log" "$out" || true)
	echo "$verdict" | sed '$d'
	if echo "$verdict" | grep -qx "$rel: passed"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
