#!/bin/sh
# SPDX-License-Identifier: MIT
# Ordering: the shim's relocation-time hook runs before the constructors of the program's libraries.
#  1. libordering.so (DT_NEEDED) records ARCH_GET_XCOMP_PERM bit 18 in its constructor: set under the shim,
#     clear without (AMX machines only; elsewhere nobody can hold the bit).
#  2. strace -f: the shim's first XCOMP call (and on AMX machines its ARCH_REQ_XCOMP_PERM) comes after the
#     program's execve and before the constructor's marker system call (faccessat of
#     /amxshim-ordering-ctor-marker). Without usable AMX the test ends in SKIP after what it could check.
. "$(dirname "$0")/../lib.sh"
need_built "$H/ordering" "$H/amxtruth"
if real_amx; then amx=1; else amx=0; fi
if [ $amx = 1 ]; then
	run plain "$H/ordering"
	run shim env LD_PRELOAD="$SHIM" "$H/ordering"
	[ "$(cat "$T/plain.out")" = "ctor_bit18=0 main_bit18=0" ] && ok "without the shim: $(cat "$T/plain.out")" ||
		fail "without the shim: '$(cat "$T/plain.out")', want ctor_bit18=0 main_bit18=0"
	[ "$(cat "$T/shim.out")" = "ctor_bit18=1 main_bit18=1" ] && ok "with the shim: $(cat "$T/shim.out")" ||
		fail "with the shim: '$(cat "$T/shim.out")', want ctor_bit18=1 (the request came before the library constructor)"
	run dis env LD_PRELOAD="$SHIM" AMXSHIM_DISABLE=1 "$H/ordering"
	[ "$(cat "$T/dis.out")" = "ctor_bit18=0 main_bit18=0" ] && ok "with the shim and AMXSHIM_DISABLE=1: $(cat "$T/dis.out")" ||
		fail "with AMXSHIM_DISABLE=1: '$(cat "$T/dis.out")', want ctor_bit18=0 main_bit18=0"
fi
no_amx_end() {
	[ $amx = 1 ] || [ "$checks_failed" -ne 0 ] || skip "no usable AMX here ($("$H/amxtruth" reason)): the bit-18 ordering needs it"
}

if [ "$("$H/amxtruth" layer)" != ok ]; then
	echo "note: the CPU layers disagree ($("$H/amxtruth" layer)): the shim makes no XCOMP call to order"
	no_amx_end
	finish
fi
if ! command -v strace >/dev/null 2>&1; then
	echo "note: strace is not installed: the strace ordering check is skipped"
	no_amx_end
	finish
fi
strace -f -qq -e trace=execve,arch_prctl,faccessat,faccessat2,access -o "$T/st" \
	env LD_PRELOAD="$SHIM" "$H/ordering" >/dev/null 2>&1
# Line numbers of the last successful execve (the program), the request, and the constructor's marker.
exe=$(grep -n 'execve(.*ordering.* = 0$' "$T/st" | tail -n 1 | cut -d: -f1)
first=$(grep -nE 'arch_prctl\((ARCH_[A-Z_]*XCOMP|0x102[1-5])' "$T/st" | head -n 1 | cut -d: -f1)
req=$(grep -nE 'arch_prctl\((ARCH_REQ_XCOMP_PERM|0x1023), .*= 0$' "$T/st" | head -n 1 | cut -d: -f1)
[ $amx = 1 ] || req=$first
mark=$(grep -n 'amxshim-ordering-ctor-marker' "$T/st" | head -n 1 | cut -d: -f1)
if [ -z "$exe" ] || [ -z "$req" ] || [ -z "$mark" ]; then
	fail "strace: missing execve ($exe), ARCH_REQ_XCOMP_PERM ($req) or constructor marker ($mark)"; cat "$T/st"
elif [ "$exe" -lt "$req" ] && [ "$req" -lt "$mark" ]; then
	ok "strace: execve (line $exe) < ARCH_REQ_XCOMP_PERM (line $req) < library constructor marker (line $mark)"
else
	fail "strace: order execve $exe, request $req, marker $mark: the request must come between"; cat "$T/st"
fi
if [ -n "$first" ] && [ -n "$mark" ] && [ "$first" -lt "$mark" ] && [ "${exe:-0}" -lt "$first" ]; then
	ok "strace: the shim's first XCOMP call (line $first) precedes the constructor marker"
else
	fail "strace: first XCOMP call at line '$first', marker at '$mark'"
fi
no_amx_end
finish
