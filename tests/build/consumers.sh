#!/bin/sh
# SPDX-License-Identifier: MIT
# The README's library example built the three documented ways (pkg-config, CMake's
# find_package(amxresolver 1.1) + amxresolver::amxresolver, Meson's dependency('amxresolver', version:
# '>=1.1', static: true); 1.1 because the example uses AMXSHIM_VARIANT_OF) from the installed files only (a DESTDIR install with a multiarch LIBDIR; the source tree is not on any
# include path), and each library zeroes the block and keeps the resolver's symbols hidden.
. "$(dirname "$0")/common.sh"
[ -f "$B/libamxresolver.a" ] || skip "build first"
d=$T/root pre=/opt/amx lib=/opt/amx/lib/x86_64-linux-gnu
make -s BUILD="$B" PREFIX=$pre LIBDIR=$lib DESTDIR="$d" install >"$T/make.log" 2>&1 || { cat "$T/make.log"; fail "install"; finish; }
mkdir "$T/src"
sed -n '/^## For library authors/,$p' README.md | sed -n '/^```c$/,/^```$/p' | sed '1d;$d' >"$T/src/zero16.c"
[ -s "$T/src/zero16.c" ] || { fail "no C example in README.md"; finish; }
cp tests/examples/zero16-main.c "$T/src/main.c"
check() { # WAY DIR-WITH-libzero16.so-AND-main
	if [ ! -x "$2/main" ]; then fail "$1: no program built"; return; fi
	${NM:-nm} -D --defined-only "$2"/libzero16.so | grep -q amxshim && fail "$1: resolver symbols exported"
	o1=$("$2/main") o2=$(AMXSHIM_DISABLE=1 "$2/main")
	case "$o1/$o2" in "zeroed by "*"/zeroed by zero_c") true ;; *) false ;; esac && ok "$1: built from the installed files, runs (both variants)" ||
		fail "$1: '$o1' / '$o2'"
}
tried=0

if command -v pkg-config >/dev/null; then
	tried=$((tried + 1))
	mkdir "$T/pc"
	flags=$(PKG_CONFIG_SYSROOT_DIR="$d" PKG_CONFIG_PATH="$d$lib/pkgconfig" pkg-config --cflags --libs --static amxresolver)
	# shellcheck disable=SC2086 # flags is a list of words (the README's command)
	$CC -O2 -fPIC -shared -o "$T/pc/libzero16.so" "$T/src/zero16.c" $flags &&
		$CC -o "$T/pc/main" "$T/src/main.c" -L"$T/pc" -lzero16 -Wl,-rpath,"$T/pc"
	check pkg-config "$T/pc"
fi

if command -v cmake >/dev/null; then
	tried=$((tried + 1))
	cat >"$T/src/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.13)
project(zero16 C)
find_package(amxresolver 1.1 REQUIRED)
add_library(zero16 SHARED zero16.c)
target_link_libraries(zero16 PRIVATE amxresolver::amxresolver)
add_executable(main main.c)
target_link_libraries(main zero16)
CM
	if CC=$CC cmake -S "$T/src" -B "$T/cm" -DCMAKE_PREFIX_PATH="$d$pre" >"$T/cmake.log" 2>&1 &&
		cmake --build "$T/cm" >>"$T/cmake.log" 2>&1; then
		check CMake "$T/cm"
	else
		cat "$T/cmake.log"; fail "CMake build"
	fi
fi

if command -v meson >/dev/null && command -v ninja >/dev/null; then
	tried=$((tried + 1))
	cat >"$T/src/meson.build" <<'MB'
project('zero16', 'c')
amxresolver = dependency('amxresolver', version: '>=1.1', static: true)
lib = shared_library('zero16', 'zero16.c', dependencies: amxresolver)
executable('main', 'main.c', link_with: lib)
MB
	if CC=$CC PKG_CONFIG_SYSROOT_DIR="$d" PKG_CONFIG_PATH="$d$lib/pkgconfig" meson setup "$T/mb" "$T/src" >"$T/meson.log" 2>&1 &&
		ninja -C "$T/mb" >>"$T/meson.log" 2>&1; then
		check Meson "$T/mb"
	else
		cat "$T/meson.log"; fail "Meson build"
	fi
fi
[ $tried = 0 ] && skip "none of pkg-config, cmake, meson+ninja installed"
[ $tried -lt 3 ] && echo "note: only $tried of the 3 build systems installed"
finish
