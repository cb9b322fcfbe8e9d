#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# modules.sh KDIR LOG - build bslab's modules in the checkout against KDIR.
#
# Out-of-tree kbuild cannot tell that KDIR now names another kernel (the
# compiler's command lines are the same, relative to KDIR), and would keep
# objects built for the old one: a module built for another memory model
# oopses at once.  So the kernel the objects were built for is recorded in
# .bslab-kdir, and a change of kernel (another version, flavour or fragment
# hash: another directory), or no record at all, cleans first.
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

kdir=$(readlink -f "$1")
log=$2
top=$(cd "$(dirname "$0")/.." && pwd)
stamp=$top/.bslab-kdir

if [ "$(cat "$stamp" 2>/dev/null)" != "$kdir" ]; then
	echo "modules: building for $kdir for the first time; cleaning" >&2
	make -C "$kdir" M="$top" clean >/dev/null 2>&1 || true
fi
rm -f "$stamp"
make -C "$kdir" M="$top" modules >"$log" 2>&1
echo "$kdir" >"$stamp"
