#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - install the Debian packages bslab's build, test and run need.
# Quiet and quick when everything is already there.
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

pkgs="linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev
      busybox-static qemu-system-x86 cpio kmod sparse xz-utils python3 procps
      python3-matplotlib python3-drgn gawk shellcheck flake8
      e2fsprogs dbench stress-ng"
need=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" ||
		need="$need $p"
done
[ -z "$need" ] && exit 0

echo "deps.sh: installing$need" >&2
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=900 update -qq
# shellcheck disable=SC2086
$sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq $need >/dev/null
