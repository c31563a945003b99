#!/bin/sh
# SPDX-License-Identifier: MIT
# A library is built with sanitizers or profiling the normal way (the whole library, resolver code included)
# and must still load: the resolver AMXSHIM_IFUNC generates, the inline helpers and a predicate marked
# AMXSHIM_RESOLVER_CONTEXT run before any of those runtimes exists. For gcc, clang-14 and clang-22:
# ASan, TSan, UBSan, MSan (clang), -finstrument-functions, -fprofile-generate, -fstack-protector-all; the
# library linked -z now (ASan and TSan also -z lazy), run under LD_BIND_NOW=1, with the shipped
# libamxresolver.a. Then the
# example library built from source by make with ASan (gcc and clang-22): its own resolver objects too.
. "$(dirname "$0")/common.sh"
RES=$B/libamxresolver.a
need_built "$RES"
O="-O2 -std=gnu11 -fvisibility=hidden -Iinclude"
expect() { # label: the program printed "NAME INDEX INDEX" for a registry entry and exited 0
	if [ "$(cat "$T/rc")" = 0 ] && grep -qx 'which_[a-z0-9]* \([0-2]\) \1' "$T/out"; then
		ok "$1: $(cat "$T/out")"
	else
		fail "$1: exit $(cat "$T/rc"): $(cat "$T/out") $(head -3 "$T/err")"
	fi
}
for cc in $CCS; do
	flags="-fsanitize=address -fsanitize=thread -fsanitize=undefined -finstrument-functions"
	flags="$flags -fprofile-generate=$T/prof -fstack-protector-all"
	case $cc in clang*) flags="$flags -fsanitize=memory" ;; esac
	for f in $flags; do
		d=$T/$cc${f%%=*}${f#*=}
		d=$(echo "$d" | tr -c 'a-zA-Z0-9/\n' _)
		mkdir -p "$d"
		links=now
		case $f in -fsanitize=address | -fsanitize=thread) links="now lazy" ;; esac
		for link in $links; do
			if ! { "$cc" $O $f -fPIC -shared -Wl,-z,$link -o "$d/libu.so" tests/header/use.c "$RES" &&
				"$cc" $O $f -Wl,-z,$link -o "$d/main-$link" tests/header/main.c -L"$d" -l:libu.so \
					-Wl,-rpath,"$d"; } 2>"$T/err"; then
				fail "$cc $f -z $link: build failed: $(head -3 "$T/err")"
				continue
			fi
			env LD_BIND_NOW=1 "$d/main-$link" >"$T/out" 2>"$T/err"
			echo $? >"$T/rc"
			expect "$cc $f, library -z $link, LD_BIND_NOW=1"
		done
	done
done

# libamxkernels from source with ASan, as `make CFLAGS=-fsanitize=address` builds it. clang links the
# shared ASan runtime (a library cannot take clang's static one under --no-undefined). This part runs make
# itself, like tests/build: its subject is the build with a user's compiler and CFLAGS.
for cc in "$CC" clang-22; do
	command -v "$cc" >/dev/null 2>&1 || continue
	extra=
	case $cc in clang*) extra=-shared-libasan ;; esac
	k=$T/kernels-$cc
	if ! env -u MAKEFLAGS -u MAKELEVEL -u WERROR make -s -j2 WERROR= CC="$cc" BUILD="$k" CFLAGS="-O1 -g -fsanitize=address $extra" \
		"$k/libamxkernels.so" "$k/examples/kernels-demo" >"$T/err" 2>&1; then
		fail "$cc: libamxkernels with ASan does not build: $(tail -3 "$T/err")"
		continue
	fi
	rt=$(dirname "$("$cc" -print-file-name=libclang_rt.asan-x86_64.so)")
	for bind in "" 1; do
		env LD_LIBRARY_PATH="$rt" ${bind:+LD_BIND_NOW=1} "$k/examples/kernels-demo" >"$T/out" 2>"$T/err"
		rc=$?
		if [ $rc = 0 ] && grep -q 'gemm_bf16  -> gemm_bf16_' "$T/out"; then
			ok "$cc: libamxkernels with ASan loads${bind:+ under LD_BIND_NOW=1}: $(grep -m1 'gemm_bf16  ->' "$T/out")"
		else
			fail "$cc: libamxkernels with ASan${bind:+, LD_BIND_NOW=1}: exit $rc: $(head -3 "$T/err")"
		fi
	done
done
finish
