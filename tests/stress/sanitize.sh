#!/bin/sh
# SPDX-License-Identifier: MIT
# The stress helpers that make sense under make asan/ubsan/valgrind (no preload, no IFUNC in the program):
# the 64-thread first-call race over the real and the fake platform, and 200 dlopen/dlclose cycles of an
# IFUNC library. The sanitizers abort on any report (-fno-sanitize-recover), valgrind exits 99.
. "$(dirname "$0")/common.sh"
F=tests/fixtures/cpuid
r() { ${VALGRIND:-} "$@"; }
line=$(r "$S/race" "$S/librace-real.so" 64) && ok "race, real platform: $line" || fail "race, real platform: $line"
line=$(AMXSHIM_FAKE_CPU=$F/sapphire-rapids.txt r "$S/race" "$S/librace-fake.so" 64) || fail "race, fake SPR: exit $?: $line"
case $line in usable=1*reason=ok*) ok "race, fake SPR: $line" ;; *) fail "race, fake SPR: $line" ;; esac
line=$(AMXSHIM_FAKE_CPU=$F/zen3-epyc-milan.txt r "$S/race" "$S/librace-fake.so" 64) || fail "race, fake Zen 3: exit $?: $line"
case $line in usable=0*reason=cpu*) ok "race, fake Zen 3: $line" ;; *) fail "race, fake Zen 3: $line" ;; esac
# The pick depends on the machine; dlcycle only has to agree with itself: ask for both, one must pass.
lib=$(readlink -f "$B/tests/integration/libifunc-now.so")
out=$(r "$S/dlcycle" "$lib" 200 amx 2>&1) || out=$(r "$S/dlcycle" "$lib" 200 fallback 2>&1) &&
	ok "dlcycle: $out" || fail "dlcycle: $out"
finish
