#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# layout.sh - make layout: pahole's view of struct bslab_cache and the
# structures of the fast path, from bslab.ko built with debug info against
# the perf kernel (in build/layout, so the other builds are left alone).
# Documentation/bslab.rst shows its output for struct bslab_cache.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/layout

"$top/scripts/deps.sh"
if ! command -v pahole >/dev/null; then
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dwarves >/dev/null
fi
kdir=${KDIR_PERF:-$("$top/scripts/kernel.sh" perf | tail -n 1)}
rm -rf "$out"
mkdir -p "$out/src"
cp -r "$top"/{include,mm} "$out/src/"
printf 'ccflags-y += -I$(src)/include\nobj-m += bslab.o\nbslab-y := %s\n' \
	"$(cd "$top" && sed -n 's/^bslab-y := //p; s/^\t   \(mm\/.*\)/\1/p' Kbuild |
	   tr -d '\\\n')" >"$out/src/Kbuild"
make -C "$kdir" M="$out/src" KCFLAGS="-g -gdwarf-4" modules >"$out/build.log" 2>&1 ||
	{ tail -20 "$out/build.log"; echo "layout: build failed"; exit 1; }
for s in bslab_cache bslab_depot bslab_cpu_cache bslab_magazine bslab_slab; do
	pahole -C "$s" "$out/src/bslab.ko"
done | tee "$out/pahole.txt"
