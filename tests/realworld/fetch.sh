#!/bin/sh
# SPDX-License-Identifier: MIT
# Downloads the packages named in manifest.tsv into the cache $AMXSCAN_CORPUS (~/.cache/amxshim/realworld):
# Debian packages with apt-get download, npm packages with npm pack; each is unpacked into its own
# directory root/deb/PKG@VERSION or root/npm/PKG@VERSION. Exit 77 when nothing could be fetched.
set -u
DIR=$(dirname "$0")
C=${AMXSCAN_CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/amxshim/realworld}
C=$(mkdir -p "$C" && cd "$C" && pwd) || exit 1
mkdir -p "$C/dl" "$C/root/deb" "$C/root/npm" || exit 1
grep -v '^#' "$DIR/manifest.tsv" | cut -f1-3 | sort -u | while IFS='	' read -r src pkg ver; do
	dest=$C/root/$src/$pkg@$ver
	[ -d "$dest" ] && continue
	case $src in
	deb)
		rm -rf "$C/dl/deb" && mkdir -p "$C/dl/deb" &&
			(cd "$C/dl/deb" && timeout 600 apt-get -o Debug::NoLocking=1 download "$pkg=$ver" >/dev/null 2>&1) &&
			mkdir -p "$dest.tmp" && dpkg-deb -x "$C"/dl/deb/*.deb "$dest.tmp" && mv "$dest.tmp" "$dest" ||
			echo "cannot fetch Debian package $pkg=$ver" ;;
	npm)
		rm -rf "$C/dl/npm" && mkdir -p "$C/dl/npm" &&
			(cd "$C/dl/npm" && timeout 600 npm pack --silent "$pkg@$ver" >/dev/null 2>&1) &&
			mkdir -p "$dest.tmp" && tar -xzf "$C"/dl/npm/*.tgz -C "$dest.tmp" && mv "$dest.tmp" "$dest" ||
			echo "cannot fetch npm package $pkg@$ver" ;;
	esac
done
rm -rf "$C/dl"
n=$(find "$C/root" -type f 2>/dev/null | wc -l)
[ "$n" -gt 0 ] || { echo "no package could be downloaded (offline?)"; exit 77; }
echo "corpus: $n files in $C/root"
