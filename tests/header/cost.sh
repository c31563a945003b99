#!/bin/sh
# SPDX-License-Identifier: MIT
# CPUIDs per load of the example library (fake platform, recorded CPUs): the AMX probe reads two leaves on
# a CPU without AMX-TILE and the AVX2 predicate three more (leaves 0, 1, 7.0) plus one XGETBV, once per
# library whatever the number of IFUNCs; nothing grows when the predicates run again; no request where
# AMX cannot be used. (Before the cached reads, each AVX2 predicate re-ran a full probe: 23 CPUIDs on Zen 3.)
. "$(dirname "$0")/../lib.sh"
P=$B/tests/header/cost
need_built "$P"
F=$ROOT/tests/fixtures/cpuid
# fixture kernel max-cpuid max-xgetbv requests bound
while read -r fixture kernel cpuid xgetbv req bound; do
	name=${fixture%.txt}
	run "$name" env AMXSHIM_FAKE_CPU="$F/$fixture" AMXSHIM_FAKE_KERNEL="$kernel" "$P"
	out=$(sed -n 1p "$T/$name.out")
	first=$(sed -n 2p "$T/$name.out")
	again=$(sed -n 3p "$T/$name.out")
	set -- $out
	got_cpuid=${1#cpuid=} got_xgetbv=${2#xgetbv=} got_req=${3#req=}
	want_bound="gemm_bf16_$bound gemm_u8s8_$bound gemm_s8s8_$bound"
	if [ "$(cat "$T/$name.rc")" != 0 ]; then
		fail "$fixture: exit $(cat "$T/$name.rc"): $(cat "$T/$name.err")"
	elif [ "$got_cpuid" -gt "$cpuid" ] || [ "$got_xgetbv" -gt "$xgetbv" ] || [ "$got_req" != "$req" ]; then
		fail "$fixture: $out; want at most $cpuid CPUIDs, $xgetbv XGETBVs, exactly $req requests"
	elif [ "$4 $5 $6" != "$want_bound" ]; then
		fail "$fixture: bound $4 $5 $6, want $want_bound"
	elif [ -z "$first" ] || [ "$again" != "$first" ]; then
		fail "$fixture: evaluating the predicates a second time read more: $again after $first"
	else
		ok "$fixture: one library load costs $got_cpuid CPUIDs, $got_xgetbv XGETBV, $got_req requests; bound $bound"
	fi
done <<'CASES'
zen3-epyc-milan.txt granted 5 1 0 avx2
zen4-genoa.txt granted 5 1 0 avx2
sapphire-rapids.txt granted 10 1 1 amx
sapphire-rapids.txt eperm 13 2 1 avx2
CASES
finish
