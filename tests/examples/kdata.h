/* SPDX-License-Identifier: MIT */
/* Test and benchmark data for the example kernels: a seeded generator and the bf16 values the stated
 * tolerance is valid for. Shared by tests/examples/kernels-test.c and bench/kernels/kernels-bench.c. */
#ifndef AMXSHIM_KDATA_H
#define AMXSHIM_KDATA_H
#include <stdint.h>
#include <string.h>
#include "amxkernels.h"

static uint64_t rng_state = 1;

/* splitmix64: fast, seedable, good enough for test data. */
static inline uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Normal bf16 with exponents in [-8, 8] (products stay far from the subnormal range, where AMX's
 * DAZ/FTZ would differ from the reference by more than the stated bound), 1 in 16 zero. */
static inline amxk_bf16 rnd_bf16(void)
{
	uint64_t r = rnd();
	if ((r & 15) == 0)
		return (amxk_bf16)((r >> 8) & 0x8000);
	unsigned sign = (r >> 4) & 1, e = 127 - 8 + (unsigned)((r >> 8) % 17), m = (r >> 16) & 0x7f;
	return (amxk_bf16)(sign << 15 | e << 7 | m);
}

/* An E4M3 byte: any finite value (NaN bytes 0x7f/0xff redrawn), or with nan, a NaN 1 in 512. */
static inline amxk_hf8 rnd_hf8(int nan)
{
	uint64_t r = rnd();
	if (nan && (r & 511) == 0)
		return (amxk_hf8)(0x7f | (r >> 9 & 0x80));
	amxk_hf8 v = (amxk_hf8)(r >> 16);
	return (v & 0x7f) == 0x7f ? (amxk_hf8)(v & 0xfe) : v;
}

/* Its value (NaN for 0x7f/0xff), written from the OCP E4M3 definition: bias 7, subnormals m/8 * 2^-6. */
static inline double f64_of_hf8(amxk_hf8 v)
{
	unsigned e = (v >> 3) & 15, m = v & 7;
	double x = e ? (1.0 + m / 8.0) * (double)(1 << e) / 128.0 : m / 8.0 / 64.0;
	if ((v & 0x7f) == 0x7f)
		return __builtin_nan("");
	return v & 0x80 ? -x : x;
}

static inline float f32_of_bf16(amxk_bf16 x)
{
	uint32_t u = (uint32_t)x << 16;
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}
#endif
