/* SPDX-License-Identifier: MIT */
/* AMX-FP8 arithmetic (TDPBF8PS, TDPBHF8PS, TDPHBF8PS, TDPHF8PS) on raw bit patterns. The rules and their
 * sources are listed in fp8.c and emu/README.md ("AMX-FP8 rules"). */
#ifndef AMXEMU_FP8_H
#define AMXEMU_FP8_H

#include <stdint.h>

/* The two OCP FP8 formats under Intel's names: BF8 = E5M2 (bias 15, has Inf), HF8 = E4M3 (bias 7, no Inf). */
enum fp8_fmt { FP8_BF8, FP8_HF8 };
enum fp8_class { FP8_FINITE, FP8_INF, FP8_NAN };

/* Scale that makes every finite value an integer: BF8 value * 2^16, HF8 value * 2^9. */
#define FP8_SCALE(fmt) ((fmt) == FP8_BF8 ? 16 : 9)

/* The class of v; for FP8_FINITE, *mag = |value| * 2^FP8_SCALE(fmt) (exact) and *neg = the sign bit
 * (also for Inf). */
enum fp8_class fp8_decode(uint8_t v, enum fp8_fmt fmt, uint32_t *mag, int *neg);
/* The exact value as FP32 bits (every FP8 value is an FP32 value; NaN gives the default QNaN). */
uint32_t fp8_to_fp32(uint8_t v, enum fp8_fmt fmt);
/* dst + sum(a[i] * b[i], i < n) with the AMX-FP8 rules: exact sum, one RNE rounding to FP32, then the FP32
 * add (DAZ/FTZ). a is in format fa, b in fb. */
uint32_t fp8_dot(uint32_t dst, const uint8_t *a, enum fp8_fmt fa, const uint8_t *b, enum fp8_fmt fb, unsigned n);

#endif
