// SPDX-License-Identifier: MIT
/* Runs random AMX-FP8 dot products (all four instructions, encoded as bytes since binutils 2.40 does not
 * know them) through libamxemu's SIGILL handler and prints inputs and results, one case a line, for the
 * exact rational model in fp8_model.py to check. Usage: fp8-cases [cases] [seed]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amxemu.h"
#include "amxops.h"

static uint64_t rng = 88172645463325252ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* mode 0: any bits; 1: finite values of similar size and both signs (cancellation, ties); 2: mostly 1, with
 * one huge or special value now and then. */
static uint8_t fp8(int hf8, int mode)
{
	static const uint8_t sp[] = { 0x7c, 0xfc, 0x7d, 0xff, 0x7f, 0x80, 0x00, 0x7b, 0xfb, 0x01, 0x7e, 0x78 };
	uint8_t sign = (uint8_t)(rnd() & 0x80);

	if (mode == 0)
		return (uint8_t)rnd();
	if (mode == 2)
		return rnd() % 16 ? (uint8_t)(sign | (hf8 ? 0x38 : 0x3c)) : sp[rnd() % sizeof sp];
	return hf8 ? (uint8_t)(sign | (5 + rnd() % 5) << 3 | (rnd() & 7))
		   : (uint8_t)(sign | (13 + rnd() % 5) << 2 | (rnd() & 3));
}

static uint32_t fp32(int mode)
{
	static const uint32_t sp[] = { 0,          0x80000000, 0x7f800000, 0xff800000, 0x7fc00001,
				       0xff812345, 0x00000001, 0x807fffff, 0x4b800000, 0x3f800000 };

	if (mode == 0 && rnd() % 4 == 0)
		return sp[rnd() % (sizeof sp / sizeof sp[0])];
	return (rnd() & 0x80000000u) | (110 + rnd() % 30) << 23 | (rnd() & 0x7fffff);
}

int main(int argc, char **argv)
{
	static const int a_hf8[] = { 0, 0, 1, 1 }, b_hf8[] = { 0, 1, 0, 1 };
	/* the same four, as amxops.h's run_tdp() executes them */
	static const enum isa_insn insns[] = { ISA_TDPBF8PS, ISA_TDPBHF8PS, ISA_TDPHBF8PS, ISA_TDPHF8PS };
	int cases = argc > 1 ? atoi(argv[1]) : 240;
	struct amxemu_stats st;

	if (argc > 2)
		rng ^= strtoull(argv[2], NULL, 0);
	if (amxemu_install() != 0)
		return 2;
	for (int i = 0; i < cases; i++) {
		static uint8_t a[1024], b[1024], c[1024];
		struct isa_tilecfg cfg;
		int op = i % 4, mode = i / 4 % 3, m = 1 + (int)(rnd() % 16), k = 1 + (int)(rnd() % 16),
		    n = 1 + (int)(rnd() % 16);

		if (i < 8)
			m = k = n = 16;
		cfg_mkn(&cfg, m, k, n);
		for (int j = 0; j < 1024; j++) {
			a[j] = fp8(a_hf8[op], mode), b[j] = fp8(b_hf8[op], mode);
			if (j % 4 == 0) {
				uint32_t v = fp32(mode);

				memcpy(c + j, &v, 4);
			}
		}
		printf("%s %d %d %d", isa_mnemonic(insns[op]), m, k, n);
		hex(a, m, 4 * k), hex(b, k, 4 * n), hex(c, m, 4 * n);
		run_tdp(insns[op], &cfg, a, b, c);
		hex(c, m, 4 * n);
		putchar('\n');
	}
	amxemu_stats(&st);
	fprintf(stderr, "emulated %llu instructions\n", st.emulated);
	return st.emulated == (unsigned long long)cases * 7 ? 0 : 1; /* ldtilecfg, 3 loads, tdp, store, release */
}
