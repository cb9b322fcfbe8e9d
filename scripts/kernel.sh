#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kernel.sh [FLAVOUR [SERIES]] - build (or reuse) a bslab test kernel.
#
# FLAVOUR is the name of a fragment in qemu/ (debug, perf, shipped); SERIES
# is the Debian kernel source package series.  Without them, the FLAVOUR and
# KVER environment variables, else common.sh's defaults (debug, 6.12).
# Bookworm's series (6.1, 6.12) come from its linux-source-SERIES package,
# installed with apt; a newer one (7.2) from Debian unstable's, downloaded
# once through a private apt index in the cache (the system's apt sources
# are not touched; apt checks the package against unstable's signed Release
# file).  The kernel is configured from `make allnoconfig` + the fragments,
# later ones winning:
#   qemu/base.config;
#   for each fragment NAME a line "# bslab-include: NAME..." in the
#   flavour's fragment names, then the flavour itself: qemu/NAME.config,
#   then qemu/NAME-SERIES.config if there (what that fragment needs on one
#   kernel version);
#   for a fragment with a line "# bslab-debian: OPTION...": those options
#   as Debian's own kernel for that series sets them (its linux-config-SERIES
#   package, fetched as the source is; a name ending in * stands for every
#   option whose name begins with the rest), written to the cache, so the
#   fragment says which options and Debian says their values;
#   qemu/series-SERIES.config if there: what every flavour needs on it.
# It is built out of the source tree, in
#   ${BSLAB_CACHE:-~/.cache/bslab}/<package version>-<flavour>-<config hash>/
# so every later run on this machine with the same source and fragments reuses
# it.  The last line printed on stdout is that directory (usable as KDIR).
# Progress goes to stderr; the build log is kept in the directory.
set -euo pipefail
# --help: the comment above
case ${1:-} in -h | --help) sed -n '3,/^set -/s/^# \{0,1\}//p' "$0" | sed '/^set -/d'; exit 0 ;; esac

. "$(dirname "$0")/common.sh"
flavour=${1:-${FLAVOUR:-$BSLAB_FLAVOUR}}
series=${2:-${KVER:-$BSLAB_SERIES}}
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${BSLAB_CACHE:-$HOME/.cache/bslab}
pkg=linux-source-$series
frag=$top/qemu/$flavour.config

[ -f "$frag" ] || { echo "kernel.sh: no fragment $frag" >&2; exit 2; }
read -ra names < <(sed -n 's/^# bslab-include: //p' "$frag"; echo)
names+=("$flavour")
read -ra debian_opts < <(sed -n 's/^# bslab-debian: //p' "$frag"; echo)
"$top/scripts/deps.sh" >&2

mkdir -p "$cache/src"
# Runs of this script for the same series wait for each other while the
# source is fetched and unpacked (lock 8), and for the same kernel while it
# is built (lock 9); other kernels build in parallel.
exec 8>"$cache/.lock-src-$series"
flock 8

# fetch PKG: install Bookworm's PKG, or download unstable's once; print
# the directory its files are under (/ or the unpacked package).
fetch() {
	local pkg=$1 apt debs dir sudo opts

	case $series in
	6.1 | 6.12)
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || {
			echo "kernel.sh: installing $pkg" >&2
			sudo=
			[ "$(id -u)" = 0 ] || sudo=sudo
			DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=900 install -y -qq "$pkg" >/dev/null
		}
		echo / ;;
	*)
		apt=$cache/apt-unstable
		debs=("$apt"/debs/"$pkg"_*.deb)
		if [ ! -f "${debs[-1]}" ]; then
			echo "kernel.sh: downloading $pkg from Debian unstable" >&2
			mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/debs"
			echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
				"http://deb.debian.org/debian unstable main" >"$apt/sources.list"
			opts=(-o Dir::Etc::sourcelist="$apt/sources.list"
			      -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$apt/lists"
			      -o Dir::Cache="$apt/cache" -o APT::Sandbox::User=root)
			apt-get "${opts[@]}" -qq update >&2
			(cd "$apt/debs" && apt-get "${opts[@]}" -qq download "$pkg" >&2)
			debs=("$apt"/debs/"$pkg"_*.deb)
		fi
		dir=${debs[-1]%.deb}
		[ -d "$dir" ] || {
			dpkg-deb -x "${debs[-1]}" "$dir.tmp"
			mv "$dir.tmp" "$dir"
		}
		echo "$dir" ;;
	esac
}

case $series in
6.1 | 6.12)
	tarball=$(fetch "$pkg")usr/src/$pkg.tar.xz
	ver=$(dpkg-query -W -f='${Version}' "$pkg") ;;
*)
	pkgdir=$(fetch "$pkg")
	ver=$(dpkg-deb -f "$pkgdir.deb" Version)
	tarball=$pkgdir/usr/src/$pkg.tar.xz ;;
esac

frags=("$top/qemu/base.config")
for name in "${names[@]}"; do
	frags+=("$top/qemu/$name.config")
	[ -f "$top/qemu/$name-$series.config" ] && frags+=("$top/qemu/$name-$series.config")
done
if [ ${#debian_opts[@]} -gt 0 ]; then
	# Debian's amd64 kernel, as its linux-config package records it
	dcfg=$(fetch "linux-config-$series")/usr/src/linux-config-$series/config.amd64_none_amd64.xz
	[ -f "$dcfg" ] || { echo "kernel.sh: no $dcfg" >&2; exit 1; }
	mkdir -p "$cache/debian"
	gen=$cache/debian/$series-$flavour.config
	{
		echo "# $flavour: from Debian's $(basename "$dcfg") (linux-config-$series)"
		for opt in "${debian_opts[@]}"; do
			xzcat "$dcfg" | awk -v o="CONFIG_$opt" '
				function want(n) { return o ~ /\*$/ ? index(n, substr(o, 1, length(o) - 1)) == 1 : n == o }
				/^CONFIG_/ { split($0, f, "="); if (want(f[1])) { print; seen = 1 } }
				/^# CONFIG_.* is not set$/ { if (want($2)) { print $2 "=n"; seen = 1 } }
				END { if (!seen && o !~ /\*$/) print o "=n" }'
		done
	} >"$gen.tmp"
	mv "$gen.tmp" "$gen"
	frags+=("$gen")
fi
[ -f "$top/qemu/series-$series.config" ] && frags+=("$top/qemu/series-$series.config")

hash=$(cat "${frags[@]}" | sha256sum | cut -c1-12)
out=$cache/$ver-$flavour-$hash
src=$cache/src/$pkg-$ver
if [ ! -f "$src/.bslab-extracted" ]; then
	echo "kernel.sh: extracting $pkg $ver" >&2
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -C "$src.tmp" -xf "$tarball"
	mv "$src.tmp/$pkg" "$src"
	rmdir "$src.tmp"
	touch "$src/.bslab-extracted"
fi
flock -u 8

exec 9>"$cache/.lock-$ver-$flavour-$hash"
flock 9
if [ -f "$out/.bslab-built" ]; then
	echo "kernel.sh: reusing $out" >&2
	echo "$out"
	exit 0
fi


mkdir -p "$out"
log=$out/build.log
echo "kernel.sh: building $flavour kernel in $out (log: $log); a cold build takes 10-20 minutes" >&2
{
	make -C "$src" O="$out" ARCH=x86_64 allnoconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"${frags[@]}"
	make -C "$src" O="$out" ARCH=x86_64 olddefconfig
} >"$log" 2>&1

# Every option the fragments ask for (the last fragment to name it wins)
# must have survived olddefconfig: a dependency we missed would otherwise
# silently drop a checker.
missing=0
while read -r line; do
	case "$line" in
	CONFIG_*=n) opt=${line%=n}
		if grep -q "^$opt=" "$out/.config"; then
			echo "kernel.sh: $opt is set, fragment wants it off" >&2
			missing=1
		fi ;;
	CONFIG_*) grep -qx "$line" "$out/.config" || {
			echo "kernel.sh: $line did not survive olddefconfig" >&2
			missing=1; } ;;
	esac
done < <(cat "${frags[@]}" | awk -F= '/^CONFIG_/ { v[$1] = $0 }
				  END { for (o in v) print v[o] }')
[ $missing = 0 ] || { echo "kernel.sh: fix the fragment (see $out/.config)" >&2; exit 1; }

# `all` builds bzImage and the (empty) module set, which writes
# Module.symvers: out-of-tree modpost needs it.
if ! make -C "$src" O="$out" ARCH=x86_64 -j"$(nproc)" all >>"$log" 2>&1; then
	tail -40 "$log" >&2
	echo "kernel.sh: kernel build failed, see $log" >&2
	exit 1
fi
touch "$out/.bslab-built"
echo "$out"
