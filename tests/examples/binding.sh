#!/bin/sh
# SPDX-License-Identifier: MIT
# libamxkernels linked -z now (build/libamxkernels.so, with a -z now program) and -z lazy
# (examples/libamxkernels-lazy.so, with a lazy program; also under LD_BIND_NOW=1), each run with and without
# the shim preloaded and with AMXSHIM_DISABLE=1: the loader binds the variant the ground truth predicts and
# the kernels, called through the public symbols, compute the right results.
. "$(dirname "$0")/common.sh"
need_built "$X/kernels-test" "$X/kernels-test-lazy" "$B/libamxkernels.so" "$B/examples/libamxkernels-lazy.so" \
	"$H/amxtruth"
need_tool readelf

if grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then fallback=avx2; else fallback=c; fi
if real_amx; then pick=amx; else pick=$fallback; fi
# gemm_hf8: AMX-FP8 or portable; the ground truth does not know AMX-FP8, so on real AMX either may be bound.
if [ $pick = amx ]; then hf8='\(amx\|c\)'; else hf8=c; fi
want() { echo "gemm_bf16=gemm_bf16_$1($2) gemm_u8s8=gemm_u8s8_$1($2) gemm_s8s8=gemm_s8s8_$1($2) gemm_hf8=gemm_hf8_$3($2)"; }
echo "ground truth: $("$H/amxtruth" real); expected: $pick, with AMXSHIM_DISABLE=1: $fallback"

i=0
for prog in now lazy lazy-bindnow; do
	case $prog in
	now) cmd=$X/kernels-test ;;
	lazy) cmd=$X/kernels-test-lazy ;;
	lazy-bindnow) cmd="env LD_BIND_NOW=1 $X/kernels-test-lazy" ;;
	esac
	for shim in no yes; do
		for dis in unset 1; do
			i=$((i + 1))
			set --
			[ $shim = yes ] && set -- "$@" LD_PRELOAD="$SHIM"
			[ $dis = 1 ] && set -- "$@" AMXSHIM_DISABLE=1
			# shellcheck disable=SC2086 # cmd is split into words on purpose
			run c$i env "$@" $cmd bound --call
			got=$(head -n 1 "$T/c$i.out")
			if [ $dis = 1 ]; then w=$(want $fallback disabled c); else w=$(want $pick '[a-z-]*' "$hf8"); fi
			what="$prog, shim=$shim, AMXSHIM_DISABLE=$dis"
			if [ "$(cat "$T/c$i.rc")" = 0 ] && echo "$got" | grep -qx "$w" && [ ! -s "$T/c$i.err" ]; then
				ok "$what: $got"
			else
				fail "$what: exit $(cat "$T/c$i.rc"): $(cat "$T/c$i.out" "$T/c$i.err"); want $w"
			fi
		done
	done
done

# The libraries are linked as their names say.
for lib in "$B/libamxkernels.so:yes" "$B/examples/libamxkernels-lazy.so:no"; do
	now=no
	readelf -dW "${lib%:*}" | grep -Eq '\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*\bNOW\b' && now=yes
	if [ "$now" = "${lib##*:}" ]; then ok "${lib%:*}: BIND_NOW=$now"; else fail "${lib%:*}: BIND_NOW=$now"; fi
done
finish
