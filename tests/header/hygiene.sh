#!/bin/sh
# SPDX-License-Identifier: MIT
# <amxshim/resolver.h> with every macro in use (use.c) compiles without a warning under -Wall -Wextra
# -Wpedantic -Wshadow -Wcast-function-type -Werror as C99, C11, C17, C2x and as C++11 ... C++2b, with gcc
# and clang (14 and 22 when installed): the minimum standards README.md states.
. "$(dirname "$0")/common.sh"
for cc in $CCS; do
	for std in c99 c11 c17 c2x; do
		if "$cc" -std=$std $HWARN -Iinclude -x c -c tests/header/use.c -o "$T/o.o" 2>"$T/err"; then
			ok "$cc -std=$std"
		else
			fail "$cc -std=$std: $(head -3 "$T/err")"
		fi
	done
done
for cxx in $CXXS; do
	for std in c++11 c++14 c++17 c++20 c++2b; do
		if "$cxx" -std=$std $HWARN -Iinclude -x c++ -c tests/header/use.c -o "$T/o.o" 2>"$T/err"; then
			ok "$cxx -std=$std"
		else
			fail "$cxx -std=$std: $(head -3 "$T/err")"
		fi
	done
done
finish
