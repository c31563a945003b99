#!/bin/sh
# SPDX-License-Identifier: MIT
# IFUNC selection through the real dynamic loader: libamxkernels-fake.so (the example library linked with the
# fake platform instead of the hardware) loaded with recorded CPU states and kernel behaviours; the variant
# the loader bound must be the one each state calls for, with the resolver's reason. The AVX2 predicate
# reads the same fake CPU, so the expectations do not depend on this host. Nothing is executed but the
# resolvers, so this runs anywhere.
. "$(dirname "$0")/common.sh"
need_built "$X/kernels-test-fake"
F=$ROOT/tests/fixtures/cpuid

# gemm_hf8 has only the AMX-FP8 and the portable variant; its reason is the first layer that disagrees for
# AMX-TILE + AMX-FP8 (the CPU layer on every fixture without AMX-FP8; Diamond Rapids has it).
want() { echo "gemm_bf16=gemm_bf16_$1($2) gemm_u8s8=gemm_u8s8_$1($2) gemm_s8s8=gemm_s8s8_$1($2) gemm_hf8=gemm_hf8_$3"; }
i=0
# fixture kernel-behaviour extra-env variant reason hf8-variant(reason)
while read -r fixture kernel extra variant reason hf8; do
	[ -e "$F/$fixture" ] || { fail "missing fixture $F/$fixture"; continue; }
	i=$((i + 1))
	set -- AMXSHIM_FAKE_CPU="$F/$fixture" AMXSHIM_FAKE_KERNEL="$kernel"
	[ "$extra" = - ] || set -- "$@" "$extra"
	run s$i env "$@" "$X/kernels-test-fake" bound
	got=$(cat "$T/s$i.out")
	w=$(want "$variant" "$reason" "$hf8")
	if [ "$(cat "$T/s$i.rc")" = 0 ] && [ "$got" = "$w" ]; then
		ok "$fixture, kernel $kernel, $extra: $got"
	else
		fail "$fixture, kernel $kernel, $extra: exit $(cat "$T/s$i.rc"): $got $(cat "$T/s$i.err"); want $w"
	fi
done <<'CASES'
sapphire-rapids.txt granted - amx ok c(cpu)
sapphire-rapids.txt already - amx ok c(cpu)
sapphire-rapids.txt enospc - avx2 altstack c(cpu)
sapphire-rapids.txt eperm - avx2 denied c(cpu)
sapphire-rapids.txt einval - avx2 kernel-old c(cpu)
sapphire-rapids.txt granted AMXSHIM_DISABLE=1 avx2 disabled c(disabled)
sapphire-rapids-vm-no-xfd-synthesized.txt granted - avx2 xfd c(cpu)
sapphire-rapids-vm-zero-palettes-synthesized.txt granted - avx2 palette c(cpu)
zen3-epyc-milan.txt granted - avx2 cpu c(cpu)
zen3-epyc-this-machine.txt granted - avx2 cpu c(cpu)
granite-rapids.txt granted - amx ok c(cpu)
diamond-rapids-synthesized.txt granted - amx ok amx(ok)
diamond-rapids-synthesized.txt eperm - avx2 denied c(denied)
sapphire-rapids.txt granted AMXSHIM_FAKE_XCR0=3 c xcr0 c(cpu)
CASES
finish
