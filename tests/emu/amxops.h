/* SPDX-License-Identifier: MIT */
/* Test helpers: run AMX instructions on tmm0 (C), tmm1 (A), tmm2 (B) with a given config.
 * The mnemonics are assembled by binutils; whether the CPU or libamxemu runs them depends on
 * the process (tile-data permission or not). */
#ifndef TESTS_EMU_AMXOPS_H
#define TESTS_EMU_AMXOPS_H

#include <stdint.h>
#include <string.h>

enum tdp_op { T_SSD, T_SUD, T_USD, T_UUD, T_BF16, T_FP16 };

struct tilecfg {
	uint8_t palette, start_row, reserved[14];
	uint16_t colsb[16];
	uint8_t rows[16];
} __attribute__((aligned(64)));

/* C (M x N dwords) += A (M x K dwords) . B (K x N dwords); rows are 64 bytes apart. */
static inline void cfg_mkn(struct tilecfg *c, int m, int k, int n)
{
	memset(c, 0, sizeof *c);
	c->palette = 1;
	c->colsb[0] = (uint16_t)(4 * n), c->rows[0] = (uint8_t)m;
	c->colsb[1] = (uint16_t)(4 * k), c->rows[1] = (uint8_t)m;
	c->colsb[2] = (uint16_t)(4 * n), c->rows[2] = (uint8_t)k;
}

static inline void run_tdp(enum tdp_op op, const struct tilecfg *cfg, const void *a, const void *b,
			   void *c)
{
	__asm__ volatile("ldtilecfg (%0)\n\t"
			 "tileloadd (%1,%4,1), %%tmm1\n\t"
			 "tileloadd (%2,%4,1), %%tmm2\n\t"
			 "tileloadd (%3,%4,1), %%tmm0"
			 :: "r"(cfg), "r"(a), "r"(b), "r"(c), "r"(64L) : "memory");
	switch (op) {
	case T_SSD: __asm__ volatile("tdpbssd %%tmm2, %%tmm1, %%tmm0" ::: "memory"); break;
	case T_SUD: __asm__ volatile("tdpbsud %%tmm2, %%tmm1, %%tmm0" ::: "memory"); break;
	case T_USD: __asm__ volatile("tdpbusd %%tmm2, %%tmm1, %%tmm0" ::: "memory"); break;
	case T_UUD: __asm__ volatile("tdpbuud %%tmm2, %%tmm1, %%tmm0" ::: "memory"); break;
	case T_BF16: __asm__ volatile("tdpbf16ps %%tmm2, %%tmm1, %%tmm0" ::: "memory"); break;
	/* tdpfp16ps %tmm2, %tmm1, %tmm0 as bytes: clang 14's assembler does not know AMX-FP16. */
	case T_FP16: __asm__ volatile(".byte 0xc4, 0xe2, 0x6b, 0x5c, 0xc1" ::: "memory"); break;
	}
	__asm__ volatile("tilestored %%tmm0, (%0,%1,1)\n\ttilerelease" :: "r"(c), "r"(64L) : "memory");
}

#endif
