#!/bin/sh
# SPDX-License-Identifier: MIT
# Checks the Debian packages amxshim needs and names the missing ones; with --install (as root) installs them.
# Usage: scripts/deps.sh [--install] build|test|ci|extra...   exit 0 when every package of the given sets is there.
#   build: what `make` needs to compile amxshim;  test: what `make check` needs on top;
#   ci: what .ci/run adds (the Debian package build, lintian, the RPM build, rpmlint, shellcheck, mandoc);
#   extra: toolchains some tests use when present (clang-22 with its sanitizer runtimes, llvm-22 and the LTO
#   linkers); they skip without them.
# `make` only ever checks (build); `make deps` and `make check` pass --install, `make demo` --install build.
set -u
build_pkgs="gcc make binutils libc6-dev libelf-dev"
test_pkgs="g++ clang libclang-rt-14-dev libcmocka-dev pkg-config python3 python3-yaml strace valgrind dpkg-dev cmake meson ninja-build"
ci_pkgs="build-essential debhelper lintian shellcheck mandoc git rpm rpmlint cpio"
extra_pkgs="clang-22 libclang-rt-22-dev lld-22 llvm-22 llvm-22-linker-tools lld llvm-14-linker-tools"
install=
sets=
for arg in "$@"; do
	case $arg in
	--install) install=1 ;;
	build) sets="$sets $build_pkgs" ;;
	test) sets="$sets $test_pkgs" ;;
	ci) sets="$sets $ci_pkgs" ;;
	extra) sets="$sets $extra_pkgs" ;;
	*) echo "usage: scripts/deps.sh [--install] build|test|ci|extra..." >&2; exit 2 ;;
	esac
done
[ -n "$sets" ] || sets="$build_pkgs $test_pkgs"
if ! command -v dpkg-query >/dev/null; then
	echo "amxshim: not a Debian system, cannot check packages; needed:$sets" >&2
	exit 0
fi
missing=""
for p in $sets; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ -n "$install" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "amxshim: installing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 || true
	# shellcheck disable=SC2086 # word splitting of the package list is intended
	apt-get install -y -qq --no-install-recommends $missing >&2 && exit 0
	echo "amxshim: apt-get could not install:$missing" >&2
	exit 1
fi
echo "amxshim: missing Debian packages:$missing" >&2
echo "amxshim: install them as root with: apt-get install --no-install-recommends$missing" >&2
exit 1
