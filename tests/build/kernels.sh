#!/bin/sh
# SPDX-License-Identifier: MIT
# The example library built from source by make with a user's compiler and CFLAGS must still load: with
# ASan (gcc and clang-22: its own resolver objects instrumented too; clang links the shared ASan runtime,
# since a library cannot take clang's static one under --no-undefined), and with clang -flto=thin through
# lld (it crashed LLVM's dead-symbol analysis while amxk_bound() took the IFUNCs' addresses: an IFUNC whose
# address is taken in an LTO unit where its resolver calls another function; README.md). The build is the
# subject, so this runs make (moved here from tests/header/instrumented.sh and lto.sh).
. "$(dirname "$0")/common.sh"
# lld_for CC: clang's own ld.lld, which reads its bitcode
lld_for() { [ -x "$(dirname "$(readlink -f "$(command -v "$1")")")/ld.lld" ]; }
# kernels NAME CC CFLAGS: builds libamxkernels and kernels-demo into a fresh $T/NAME-CC, output in $T/err
kernels() {
	k=$T/$1-$2
	make -s -j2 WERROR= CC="$2" BUILD="$k" CFLAGS="$3" "$k/libamxkernels.so" "$k/examples/kernels-demo" >"$T/err" 2>&1
}
for cc in "$CC" clang-22; do
	command -v "$cc" >/dev/null 2>&1 || { echo "note: $cc not installed, its ASan case skipped"; continue; }
	extra=
	case $cc in clang*) extra=-shared-libasan ;; esac
	can_link "$cc" -fsanitize=address $extra || continue
	if ! kernels asan "$cc" "-O1 -g -fsanitize=address $extra"; then
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
# One clang is enough for LTO (both crashed before): the newest installed.
for cc in clang-22 clang-14; do
	command -v "$cc" >/dev/null 2>&1 && lld_for "$cc" || continue
	if kernels lto "$cc" "-O2 -flto=thin -fuse-ld=lld -Wno-unused-command-line-argument" &&
		"$k/examples/kernels-demo" >"$T/out" 2>&1 && grep -q 'gemm_bf16  -> gemm_bf16_' "$T/out"; then
		ok "$cc: libamxkernels with -flto=thin (lld): $(grep -m1 'gemm_bf16  ->' "$T/out")"
	else
		fail "$cc: libamxkernels with -flto=thin: $(grep -m3 -e error -e PLEASE "$T/err" "$T/out")"
	fi
	break
done
finish
