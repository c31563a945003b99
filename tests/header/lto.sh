#!/bin/sh
# SPDX-License-Identifier: MIT
# Link-time optimisation of a library using the header: clang 14/22 with -flto=full and thin through lld
# and gold, gcc -flto; the IFUNC binds and AMXSHIM_BOUND names it. (The example library built by make
# with clang -flto: tests/build/kernels.sh.)
. "$(dirname "$0")/common.sh"
RES=$B/libamxresolver.a
need_built "$RES"
O="-O2 -std=gnu11 -fvisibility=hidden -Iinclude"
# lto_linker CC LD: the linker exists and can read CC's bitcode (its own ld.lld, its LLVMgold.so plugin).
lto_linker() {
	case $1 in *clang*) ;; *) command -v "ld.$2" >/dev/null 2>&1; return ;; esac
	_bin=$(dirname "$(readlink -f "$(command -v "$1")")")
	case $2 in
	lld) [ -x "$_bin/ld.lld" ] ;;
	gold) command -v ld.gold >/dev/null 2>&1 && [ -e "$_bin/../lib/LLVMgold.so" ] ;;
	*) return 1 ;;
	esac
}
n=0
for cc in $CCS; do
	case $cc in
	*clang*) confs="-flto=full:lld -flto=thin:lld -flto=full:gold -flto=thin:gold" ;;
	*) confs="-flto:bfd" ;;
	esac
	for c in $confs; do
		lto=${c%%:*} ld=${c#*:}
		if ! lto_linker "$cc" "$ld"; then
			echo "note: $cc cannot LTO-link with $ld here (lld-N / llvm-N-linker-tools not installed)"
			continue
		fi
		n=$((n + 1))
		d=$T/$n
		mkdir -p "$d"
		if ! { "$cc" $O $lto -fuse-ld=$ld -fPIC -shared -o "$d/libu.so" tests/header/use.c "$RES" &&
			"$cc" $O $lto -fuse-ld=$ld -o "$d/main" tests/header/main.c -L"$d" -l:libu.so -Wl,-rpath,"$d"; } \
			>"$T/err" 2>&1; then
			fail "$cc $lto -fuse-ld=$ld: build failed: $(grep -m3 -e error -e PLEASE "$T/err")"
			continue
		fi
		if "$d/main" >"$T/out" 2>"$T/err" && grep -qx 'which_[a-z0-9]* \([0-2]\) \1' "$T/out"; then
			ok "$cc $lto -fuse-ld=$ld: $(cat "$T/out")"
		else
			fail "$cc $lto -fuse-ld=$ld: $(cat "$T/out" "$T/err")"
		fi
	done
done
finish
