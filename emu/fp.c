// SPDX-License-Identifier: MIT
/* Exact FP32 fused multiply-add in portable C: the product of two FP32 values is exact in double,
 * the sum is rounded to double with its exact error (TwoSum) turned into a sticky bit ("round to
 * odd"), so the final rounding to FP32 is correctly rounded. Tininess is judged after rounding,
 * as x86 does. Built with -ffp-contract=off: a fused a*b+c would break TwoSum. */
#include <math.h>
#include <string.h>

#include "fp.h"

#define QNAN_DEFAULT 0xffc00000u /* x86 "real indefinite" */

static float from_bits(uint32_t u)
{
	float f;

	memcpy(&f, &u, sizeof f);
	return f;
}

static uint32_t to_bits(float f)
{
	uint32_t u;

	memcpy(&u, &f, sizeof u);
	return u;
}

static int is_nan(uint32_t u)
{
	return (u & 0x7fffffffu) > 0x7f800000u;
}

static uint32_t daz(uint32_t u)
{
	return (u & 0x7f800000u) ? u : (u & 0x80000000u);
}

/* One rounding of s (already rounded to odd in double) to FP32, flushing tiny results. */
static uint32_t round_ftz(double s)
{
	if (fabs(s) < 0x1p-120) {
		/* Scale up so the conversion rounds to 24 bits with an unbounded exponent. */
		float r = (float)(s * 0x1p100);

		if (fabsf(r) < 0x1p-26f)
			return signbit(s) ? 0x80000000u : 0;
		return to_bits(r * 0x1p-100f);
	}
	return to_bits((float)s);
}

/* p + c rounded once to FP32; p and c are exact doubles. */
static uint32_t sum_round(double p, double c)
{
	double s = p + c, bb, err;

	if (!isfinite(s))
		return to_bits((float)s);
	bb = s - p;
	err = (p - (s - bb)) + (c - bb);
	if (err != 0) {
		uint64_t u;

		memcpy(&u, &s, sizeof u);
		if (!(u & 1))
			s = nextafter(s, err > 0 ? INFINITY : -INFINITY);
	}
	return round_ftz(s);
}

static uint32_t quiet(uint32_t u)
{
	return u | 0x00400000u;
}

uint32_t fp32_fma(uint32_t a, uint32_t b, uint32_t c)
{
	double p;

	if (is_nan(a) || is_nan(b) || is_nan(c))
		return quiet(is_nan(a) ? a : is_nan(b) ? b : c);
	a = daz(a);
	b = daz(b);
	c = daz(c);
	p = (double)from_bits(a) * (double)from_bits(b);
	if (isnan(p))
		return QNAN_DEFAULT; /* 0 * inf */
	if (isinf(p) && isinf(from_bits(c)) && !signbit(p) != !signbit(from_bits(c)))
		return QNAN_DEFAULT; /* inf - inf */
	return sum_round(p, (double)from_bits(c));
}

uint32_t fp32_add(uint32_t a, uint32_t b)
{
	if (is_nan(a) || is_nan(b))
		return quiet(is_nan(a) ? a : b);
	a = daz(a);
	b = daz(b);
	if (isinf(from_bits(a)) && isinf(from_bits(b)) && a != b)
		return QNAN_DEFAULT;
	return sum_round((double)from_bits(a), (double)from_bits(b));
}

uint32_t fp16_to_fp32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff;

	if (exp == 0x1f)
		return sign | 0x7f800000u | man << 13;
	if (exp)
		return sign | (exp + 112) << 23 | man << 13;
	if (!man)
		return sign;
	/* denormal: value man * 2^-24, normal in FP32 */
	return sign | to_bits((float)man * 0x1p-24f);
}
