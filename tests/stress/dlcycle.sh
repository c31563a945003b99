#!/bin/sh
# SPDX-License-Identifier: MIT
# 1000 dlopen/dlclose cycles of the IFUNC libraries that link libamxresolver.a (tests/integration's
# libifunc-now.so and libifunc-lazy.so), without and with the shim preloaded and with AMXSHIM_DISABLE=1.
# Every cycle re-runs the resolver in a fresh copy and must pick what the ground truth says; after dlclose the
# library must be unmapped; RSS and the number of mappings must be stable.
#
# The bound: RSS may grow by at most 256 KiB between cycle 100 and cycle 1000, and the number of mappings
# must not grow at all. Measured here: 0 or 64 KiB (malloc's top chunk grows in 64 KiB steps; 10000 cycles
# give the same). Leaking anything per cycle would exceed it: the smallest object ld.so allocates per dlopen
# (the link_map, about 1.1 KiB) over 900 cycles is about 1 MiB, a leaked mapping shows in the mapping count.
# The bound's sensitivity is checked too: a deliberate 1 KiB-per-cycle leak must fail it.
. "$(dirname "$0")/common.sh"
need_built "$S/dlcycle" "$H/libifunc-now.so" "$H/libifunc-lazy.so" "$H/amxtruth"
CYCLES=1000 BOUND_KB=256
if real_amx; then pick=amx; else pick=fallback; fi
echo "ground truth: $("$H/amxtruth" real); expected pick: $pick; RSS bound: +$BOUND_KB KiB"

bounded() { # NAME WHAT: the run passed and its growth is within the bound
	line=$(cat "$T/$1.out")
	g=$(field growth_kb "$line") mw=$(field maps_warm "$line") me=$(field maps_end "$line")
	if [ "$(cat "$T/$1.rc")" != 0 ] || [ -s "$T/$1.err" ]; then
		fail "$2: exit $(cat "$T/$1.rc"): $(head -5 "$T/$1.err")"
	elif [ -z "$g" ] || [ "$g" -gt $BOUND_KB ] || [ "$mw" != "$me" ]; then
		fail "$2: not stable: $line"
	else
		ok "$2: $line"
	fi
}

for lib in libifunc-now.so libifunc-lazy.so; do
	run "$lib" "$S/dlcycle" "$H/$lib" $CYCLES $pick
	bounded "$lib" "$lib, $CYCLES cycles"
done
run shim env LD_PRELOAD="$SHIM" "$S/dlcycle" "$H/libifunc-lazy.so" $CYCLES $pick
bounded shim "libifunc-lazy.so under the shim, $CYCLES cycles"
run disabled env AMXSHIM_DISABLE=1 "$S/dlcycle" "$H/libifunc-now.so" $CYCLES fallback
bounded disabled "libifunc-now.so with AMXSHIM_DISABLE=1 (fallback), $CYCLES cycles"

# The bound can fail: 1 KiB leaked per cycle.
run leak "$S/dlcycle" "$H/libifunc-now.so" $CYCLES $pick 1024
g=$(field growth_kb "$(cat "$T/leak.out")")
if [ -n "$g" ] && [ "$g" -gt $BOUND_KB ]; then ok "a deliberate 1 KiB/cycle leak exceeds the bound (+$g KiB)"; else
	fail "a deliberate 1 KiB/cycle leak stays within the bound: $(cat "$T/leak.out")"; fi
finish
