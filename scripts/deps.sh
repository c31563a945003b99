#!/bin/sh
# SPDX-License-Identifier: MIT
# Checks (and, as root, installs) the Debian packages the build and the tests need.
# Usage: scripts/deps.sh [--install]    exit 0 when everything is present.
set -u
pkgs="valgrind clang libclang-rt-14-dev gcc g++ make binutils pkg-config libc6-dev libcmocka-dev libelf-dev strace python3"
missing=""
if ! command -v dpkg-query >/dev/null; then
	echo "amxshim: not a Debian system, cannot check packages; needed: $pkgs" >&2
	exit 0
fi
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "${1:-}" = --install ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "amxshim: installing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || true
	# shellcheck disable=SC2086 # word splitting of the package list is intended
	apt-get install -y -qq --no-install-recommends $missing >&2 && exit 0
	echo "amxshim: apt-get could not install:$missing" >&2
	exit 1
fi
echo "amxshim: missing Debian packages:$missing" >&2
echo "amxshim: install them with: sudo apt-get install$missing" >&2
exit 1
