#!/bin/sh
# SPDX-License-Identifier: MIT
# The registry is checked at compile time (bad.c): a variant whose type differs from the IFUNC's, an empty
# array, a pointer instead of the array and an array of another type are each a compile error, with the
# header's own message (naming the user's line from C11 on), in C (C99, C11, C2x) and C++ (C++11, C++2b); the correct registry compiles with
# -Werror in the same modes (so a failure is the check's, not the test's).
. "$(dirname "$0")/common.sh"
try() { # compiler std lang BAD expected-message...
	_cc=$1 _std=$2 _lang=$3 _bad=$4
	shift 4
	if [ "$_bad" = 0 ]; then
		if "$_cc" -std=$_std $HWARN -Iinclude -x $_lang -DBAD=0 -c tests/header/bad.c -o "$T/o.o" 2>"$T/err"; then
			ok "$_cc -std=$_std: a correct registry compiles"
		else
			fail "$_cc -std=$_std: a correct registry does not compile: $(head -3 "$T/err")"
		fi
		return
	fi
	if "$_cc" -std=$_std -Iinclude -x $_lang -DBAD=$_bad -c tests/header/bad.c -o "$T/o.o" 2>"$T/err"; then
		fail "$_cc -std=$_std: case $_bad compiled"
		return
	fi
	for _m in "$@"; do
		if grep -q -e "$_m" "$T/err"; then
			ok "$_cc -std=$_std: case $_bad is an error: $_m"
			return
		fi
	done
	fail "$_cc -std=$_std: case $_bad failed without the expected message ($*): $(grep -m2 error "$T/err")"
}
for cc in $CCS; do
	for std in c99 c11 c2x; do
		try "$cc" $std c 0
		try "$cc" $std c 1 "AMXSHIM_VARIANT_OF(f, f_wrong): the variant type differs" amxshim_variant_type_differs_from_the_ifunc
		# From C11 on the message names the user's line (gcc: "in expansion of macro"), not only the header's.
		if [ "$std" != c99 ]; then
			line=$(grep -n 'AMXSHIM_VARIANT_OF(f, f_wrong' tests/header/bad.c | cut -d: -f1)
			grep -q "bad\.c:$line:" "$T/err" && ok "$cc -std=$std: the wrong variant's error names bad.c:$line" ||
				fail "$cc -std=$std: the error does not name bad.c:$line: $(head -4 "$T/err")"
		fi
		try "$cc" $std c 2 "non-empty array" amxshim_variants_must_be_a_nonempty_array
		try "$cc" $std c 3 "non-empty array" amxshim_variants_must_be_a_nonempty_array
		try "$cc" $std c 4 "non-empty array" amxshim_variants_must_be_a_nonempty_array
	done
done
for cxx in $CXXS; do
	for std in c++11 c++2b; do
		try "$cxx" $std c++ 0
		try "$cxx" $std c++ 1 static_cast
		try "$cxx" $std c++ 2 "non-empty array"
		try "$cxx" $std c++ 3 "non-empty array"
		try "$cxx" $std c++ 4 "non-empty array"
	done
done
finish
