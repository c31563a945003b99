// SPDX-License-Identifier: MIT
/* AMX-FP8 dot products. Intel's ISA Extensions Reference could not be read; the rules below come from
 * sources that quote or model it (docs: emu/README.md "AMX-FP8 rules"):
 *  - formats: OCP FP8; BF8 = E5M2 (Inf = S.11111.00, NaN = S.11111.{01,10,11}), HF8 = E4M3 (no Inf, NaN
 *    only S.1111.111) [GCC testsuite fp8-helper.h; Bochs amx.cc FP8 model].
 *  - one wide accumulator over all of K, converted once, then added to dst [clang-22 amxfp8intrin.h
 *    pseudo-code: temp1[n] += a*b; dst + FP32(temp1[n])]; the sum is exact and the conversion RNE
 *    [GCC amxfp8-dphf8ps-2.c model: __int128 sum, one guard/sticky rounding; XED FIXED_ROUNDING_RNE].
 *  - any NaN input (a, b or dst) gives the default QNaN 0xFFC00000, Inf * 0 and +Inf + -Inf too
 *    [GCC model state_handler; Bochs FP8 model "matches Intel SDE"].
 *  - the final add: RNE, dst denormals read as zero, denormal results flushed [Bochs FP8 model; the older
 *    AMX-BF16 rule "output FP32 denormals are always flushed"]. UNCERTAIN: the GCC model never has a
 *    denormal dst. FP8 inputs are never flushed (both models). */
#include "fp.h"
#include "fp8.h"

#define QNAN_INDEFINITE 0xffc00000u

enum fp8_class fp8_decode(uint8_t v, enum fp8_fmt fmt, uint32_t *mag, int *neg)
{
	unsigned mbits = fmt == FP8_BF8 ? 2 : 3, exp = (v & 0x7fu) >> mbits, man = v & ((1u << mbits) - 1);
	unsigned emax = fmt == FP8_BF8 ? 31 : 15;

	*neg = v >> 7;
	*mag = 0;
	if (exp == emax && fmt == FP8_BF8)
		return man ? FP8_NAN : FP8_INF;
	if (exp == emax && man == 7) /* HF8: only S.1111.111 is special */
		return FP8_NAN;
	/* value = 0.man * 2^(1-bias) (exp 0) or 1.man * 2^(exp-bias); times 2^scale this is an integer */
	*mag = exp ? (man | 1u << mbits) << (exp - 1) : man;
	return FP8_FINITE;
}

uint32_t fp8_to_fp32(uint8_t v, enum fp8_fmt fmt)
{
	uint32_t mag, sign;
	int neg;
	enum fp8_class c = fp8_decode(v, fmt, &mag, &neg);
	unsigned top = 31;

	sign = (uint32_t)neg << 31;
	if (c == FP8_NAN)
		return QNAN_INDEFINITE;
	if (c == FP8_INF)
		return sign | 0x7f800000u;
	if (!mag)
		return sign;
	while (!(mag >> top))
		top--;
	/* at most 4 significant bits, so the shift is exact; value = mag * 2^-scale = 1.f * 2^(top - scale) */
	mag = top > 23 ? mag >> (top - 23) : mag << (23 - top);
	return sign | (uint32_t)(top - FP8_SCALE(fmt) + 127) << 23 | (mag & 0x7fffffu);
}

/* s * 2^-32 rounded once to FP32, ties to even. |s| < 2^71 and |s| >= 1 when nonzero (products scale to
 * 2^32, the smallest is 2^-32 and the largest sum is 64 * 57344^2 < 2^38), so no overflow or underflow. */
static uint32_t exact_to_fp32(__int128 s)
{
	unsigned __int128 u = s < 0 ? -(unsigned __int128)s : (unsigned __int128)s, keep, rem, half;
	uint32_t sign = s < 0 ? 0x80000000u : 0;
	int top = 127, shift;

	if (!u)
		return 0; /* an exact zero sum is +0 */
	while (!(u >> top))
		top--;
	shift = top > 23 ? top - 23 : 0;
	keep = u >> shift;
	if (shift) {
		rem = u & (((unsigned __int128)1 << shift) - 1);
		half = (unsigned __int128)1 << (shift - 1);
		if (rem > half || (rem == half && (keep & 1)))
			keep++;
		if (keep >> 24) { /* carried into a new binade */
			keep >>= 1;
			shift++;
		}
	} else {
		keep <<= 23 - top;
		shift = top - 23;
	}
	/* value = keep * 2^(shift - 32), keep in [2^23, 2^24) */
	return sign | (uint32_t)(shift - 32 + 23 + 127) << 23 | ((uint32_t)keep & 0x7fffffu);
}

uint32_t fp8_dot(uint32_t dst, const uint8_t *a, enum fp8_fmt fa, const uint8_t *b, enum fp8_fmt fb, unsigned n)
{
	int shift = 32 - FP8_SCALE(fa) - FP8_SCALE(fb), pinf = 0, ninf = 0, nan = 0;
	__int128 acc = 0;

	if ((dst & 0x7fffffffu) > 0x7f800000u)
		nan = 1;
	for (unsigned i = 0; i < n; i++) {
		uint32_t ma, mb;
		int sa, sb;
		enum fp8_class ca = fp8_decode(a[i], fa, &ma, &sa), cb = fp8_decode(b[i], fb, &mb, &sb);

		if (ca == FP8_NAN || cb == FP8_NAN)
			nan = 1;
		else if (ca == FP8_INF || cb == FP8_INF) {
			if ((ca == FP8_FINITE && !ma) || (cb == FP8_FINITE && !mb))
				nan = 1; /* Inf * 0 */
			else if (sa ^ sb)
				ninf = 1;
			else
				pinf = 1;
		} else {
			__int128 p = (__int128)((uint64_t)ma * mb) << shift;

			acc += sa ^ sb ? -p : p;
		}
	}
	if (nan || (pinf && ninf))
		return QNAN_INDEFINITE;
	if (pinf || ninf) /* fp32_add gives QNaN indefinite for a dst Inf of the other sign */
		return fp32_add(dst, ninf ? 0xff800000u : 0x7f800000u);
	return fp32_add(dst, exact_to_fp32(acc));
}
