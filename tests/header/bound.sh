#!/bin/sh
# SPDX-License-Identifier: MIT
# AMXSHIM_BOUND(name) names the entry the loader bound, at -O2, in a shared library (-z now, -z lazy with
# and without LD_BIND_NOW), a static and a static-pie executable, and with -mcmodel=large (where comparing
# &name with the registry is folded away, a PLT stub, or rejected by GNU ld). (A static -mcmodel=large
# executable cannot call an IFUNC at all: GNU ld 2.40 rejects R_X86_64_PLTOFF64/GOT64 against it.) use.c is linked with the fake
# platform, so each recorded CPU picks a known entry; every variant returns its own index, so the function
# actually called must be the one AMXSHIM_BOUND names.
. "$(dirname "$0")/common.sh"
FAKE=$B/libamxresolver-fake.a
need_built "$FAKE"
F=$ROOT/tests/fixtures/cpuid
O="-O2 -std=gnu11 -fvisibility=hidden -Iinclude"
check() { # label expected-line command...
	_l=$1 _w=$2
	shift 2
	if "$@" >"$T/out" 2>"$T/err" && [ "$(cat "$T/out")" = "$_w" ]; then
		ok "$_l: $_w"
	else
		fail "$_l: got '$(cat "$T/out")' $(head -2 "$T/err"), want '$_w'"
	fi
}
for cc in $CCS; do
	d=$T/$cc
	mkdir -p "$d"
	built=
	for mode in now lazy static static-pie large; do
		case $mode in
		now) "$cc" $O -fPIC -shared -Wl,-z,now -o "$d/libu-$mode.so" tests/header/use.c "$FAKE" &&
			"$cc" $O -o "$d/$mode" tests/header/main.c -L"$d" -l:libu-$mode.so -Wl,-rpath,"$d" ;;
		lazy) "$cc" $O -fPIC -shared -Wl,-z,lazy -o "$d/libu-$mode.so" tests/header/use.c "$FAKE" &&
			"$cc" $O -Wl,-z,lazy -o "$d/$mode" tests/header/main.c -L"$d" -l:libu-$mode.so -Wl,-rpath,"$d" ;;
		static) "$cc" $O -static -o "$d/$mode" tests/header/main.c tests/header/use.c "$FAKE" ;;
		static-pie) "$cc" $O -fPIE -static-pie -o "$d/$mode" tests/header/main.c tests/header/use.c "$FAKE" ;;
		large) "$cc" $O -mcmodel=large -fPIC -shared -Wl,-z,now -o "$d/libu-$mode.so" tests/header/use.c "$FAKE" &&
			"$cc" $O -mcmodel=large -o "$d/$mode" tests/header/main.c -L"$d" -l:libu-$mode.so -Wl,-rpath,"$d" ;;
		esac 2>"$T/build.err" || { fail "$cc $mode: build failed: $(head -3 "$T/build.err")"; continue; }
		built="$built $mode"
	done
	for mode in $built; do
		check "$cc $mode, Sapphire Rapids" "which_amx 0 0" env AMXSHIM_FAKE_CPU="$F/sapphire-rapids.txt" "$d/$mode"
		check "$cc $mode, Zen 3" "which_avx2 1 1" env AMXSHIM_FAKE_CPU="$F/zen3-epyc-milan.txt" "$d/$mode"
		check "$cc $mode, no AVX state" "which_c 2 2" \
			env AMXSHIM_FAKE_CPU="$F/sapphire-rapids.txt" AMXSHIM_FAKE_XCR0=3 "$d/$mode"
	done
	case " $built " in *" lazy "*)
		check "$cc lazy under LD_BIND_NOW=1, Zen 3" "which_avx2 1 1" \
			env LD_BIND_NOW=1 AMXSHIM_FAKE_CPU="$F/zen3-epyc-milan.txt" "$d/lazy" ;;
	esac
done
finish
