// SPDX-License-Identifier: MIT
/* Runs random AMX-COMPLEX products (TCMMIMFP16PS, TCMMRLFP16PS, encoded as bytes since binutils 2.40 and
 * clang 14 do not know them) and prints inputs and results, one case a line, for the exact rational model
 * in complex_model.py to check. Not linked with libamxemu: the model runs it under LD_PRELOAD=libamxemu.so,
 * as a user would; without the emulator on a CPU without AMX-COMPLEX it dies of SIGILL.
 * Usage: complex-cases [cases] [seed]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amxops.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* An fp16 for mode 0: any bits (NaN with payloads, Inf, subnormals); 1: moderate values of both signs
 * (cancellation, ties); 2: mostly moderate, a special value now and then; 3: a few small values and
 * subnormals, so that the real and imaginary sums cancel exactly and signed zeros meet. */
static uint16_t fp16(int mode)
{
	static const uint16_t sp[] = { 0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0xfe00, 0x7d55, 0xfc01,
				       0x0001, 0x8001, 0x03ff, 0x83ff, 0x0400, 0x7bff, 0xfbff, 0x3c00 };
	static const uint16_t few[] = { 0x3c00, 0xbc00, 0x4000, 0xc000, 0x3800, 0xb800, 0x4200,
					0xc200, 0x0000, 0x8000, 0x0001, 0x8001, 0x0200, 0x8200 };
	uint16_t sign = (uint16_t)(rnd() & 0x8000);

	switch (mode) {
	case 0: return (uint16_t)rnd();
	case 2:
		if (rnd() % 8 == 0)
			return sp[rnd() % (sizeof sp / sizeof sp[0])];
		/* fall through */
	case 1: return (uint16_t)(sign | (10 + rnd() % 11) << 10 | (rnd() & 0x3ff)); /* exponent 10..20 of 31 */
	default: return few[rnd() % (sizeof few / sizeof few[0])];
	}
}

/* C: specials (signed zeros, subnormals for DAZ, Inf, NaN payloads, FP32 max for overflow) or values near the
 * size of the products. */
static uint32_t fp32(int mode)
{
	static const uint32_t sp[] = { 0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x7f800000, 0xff800000,
				       0x7fc00001, 0xff812345, 0x7f7fffff, 0xff7fffff, 0x3f800000, 0xbf800000 };

	if (mode == 3)
		return rnd() % 2 ? sp[rnd() % 4] : (rnd() & 0x80000000u) | (126 + rnd() % 3) << 23;
	if (rnd() % 4 == 0)
		return sp[rnd() % (sizeof sp / sizeof sp[0])];
	return (rnd() & 0x80000000u) | (110 + rnd() % 30) << 23 | (rnd() & 0x7fffff);
}

int main(int argc, char **argv)
{
	int cases = argc > 1 ? atoi(argv[1]) : 320;

	if (argc > 2)
		rng ^= strtoull(argv[2], NULL, 0);
	for (int i = 0; i < cases; i++) {
		static uint8_t a[1024], b[1024], c[1024];
		struct isa_tilecfg cfg;
		enum isa_insn op = tdp_complex_nth(i);
		int mode = i / 2 % 4, m = 1 + (int)(rnd() % 16), k = 1 + (int)(rnd() % 16), n = 1 + (int)(rnd() % 16);

		if (i < 8)
			m = k = n = 16;
		cfg_mkn(&cfg, m, k, n);
		for (int j = 0; j < 1024; j += 4) {
			uint16_t h[4] = { fp16(mode), fp16(mode), fp16(mode), fp16(mode) };
			uint32_t v = fp32(mode);

			memcpy(a + j, h, 4), memcpy(b + j, h + 2, 4), memcpy(c + j, &v, 4);
		}
		printf("%s %d %d %d", isa_mnemonic(op), m, k, n);
		hex(a, m, 4 * k), hex(b, k, 4 * n), hex(c, m, 4 * n);
		run_tdp(op, &cfg, a, b, c);
		hex(c, m, 4 * n);
		putchar('\n');
	}
	return 0;
}
