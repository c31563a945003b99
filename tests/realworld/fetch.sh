#!/bin/sh
# SPDX-License-Identifier: MIT
# Downloads the packages named in manifest.tsv (apt-get download, npm pack) into the cache
# ${AMXSCAN_CORPUS:-build/realworld} and unpacks them. Exit 77 when nothing can be downloaded.
set -u
DIR=$(dirname "$0")
C=${AMXSCAN_CORPUS:-build/realworld}
mkdir -p "$C/debs" "$C/root" || exit 1
got=0 missing=0
grep -v '^#' "$DIR/manifest.tsv" | while IFS='	' read -r src pkg ver file sum verdict sites note; do
	case $src in
	deb)
		deb=$(ls "$C/debs/${pkg}_"*.deb 2>/dev/null | head -1)
		if [ -z "$deb" ]; then
			(cd "$C/debs" && timeout 300 apt-get download "$pkg=$ver" >/dev/null 2>&1) ||
				{ echo "cannot download $pkg=$ver"; continue; }
			deb=$(ls "$C/debs/${pkg}_"*.deb | head -1)
		fi
		[ -f "$C/root/$file" ] || dpkg-deb -x "$deb" "$C/root" || exit 1 ;;
	npm)
		[ -f "$C/root/$file" ] || (cd "$C/debs" && timeout 300 npm pack "$pkg@$ver" >/dev/null 2>&1 &&
			tar -xzf ./*"$pkg"*-"$ver".tgz -C "$C/root") || echo "cannot download $pkg@$ver" ;;
	esac
done
n=$(find "$C/root" -type f 2>/dev/null | wc -l)
[ "$n" -gt 0 ] || { echo "no package could be downloaded (offline?)"; exit 77; }
echo "corpus: $n files in $C/root"
