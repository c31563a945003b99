/* SPDX-License-Identifier: MIT */
/* Test helpers: run AMX instructions on tmm0 (C), tmm1 (A), tmm2 (B) with a given config.
 * The mnemonics are assembled by binutils; whether the CPU or libamxemu runs them depends on
 * the process (tile-data permission or not). */
#ifndef TESTS_EMU_AMXOPS_H
#define TESTS_EMU_AMXOPS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../isa/amx.h"

/* The dot products run_tdp knows, in a fixed order (test_native draws its cases by index). */
static inline enum isa_insn tdp_nth(int i)
{
	static const enum isa_insn ops[] = { ISA_TDPBSSD, ISA_TDPBSUD,   ISA_TDPBUSD,
					     ISA_TDPBUUD, ISA_TDPBF16PS, ISA_TDPFP16PS };
	return ops[i % (int)(sizeof ops / sizeof ops[0])];
}

static inline int tdp_is_float(enum isa_insn op)
{
	return isa_insn(op)->feature == ISA_F_BF16 || isa_insn(op)->feature == ISA_F_FP16;
}

/* The AMX-FP8 dot products (test_native runs them where CPUID has AMX-FP8). */
static inline enum isa_insn tdp_fp8_nth(int i)
{
	static const enum isa_insn ops[] = { ISA_TDPBF8PS, ISA_TDPBHF8PS, ISA_TDPHBF8PS, ISA_TDPHF8PS };
	return ops[i % 4];
}

/* The AMX-COMPLEX products (test_native runs them where CPUID has AMX-COMPLEX). */
static inline enum isa_insn tdp_complex_nth(int i)
{
	return i % 2 ? ISA_TCMMRLFP16PS : ISA_TCMMIMFP16PS;
}

/* C (M x N dwords) += A (M x K dwords) . B (K x N dwords); rows are 64 bytes apart. */
static inline void cfg_mkn(struct isa_tilecfg *c, int m, int k, int n)
{
	memset(c, 0, sizeof *c);
	c->palette = 1;
	c->colsb[0] = (uint16_t)(4 * n), c->rows[0] = (uint8_t)m;
	c->colsb[1] = (uint16_t)(4 * k), c->rows[1] = (uint8_t)m;
	c->colsb[2] = (uint16_t)(4 * n), c->rows[2] = (uint8_t)k;
}

static inline void run_tdp(enum isa_insn op, const struct isa_tilecfg *cfg, const void *a, const void *b, void *c)
{
	__asm__ volatile("ldtilecfg (%0)\n\t"
			 "tileloadd (%1,%4,1), %%tmm1\n\t"
			 "tileloadd (%2,%4,1), %%tmm2\n\t"
			 "tileloadd (%3,%4,1), %%tmm0" ::"r"(cfg),
			 "r"(a), "r"(b), "r"(c), "r"(64L)
			 : "memory");
	switch ((int)op) { /* the asm text names the row; only the dot products are here */
	case ISA_TDPBSSD: __asm__ volatile("tdpbssd %%tmm2, %%tmm1, %%tmm0" ::: "memory"); break;
	case ISA_TDPBSUD: __asm__ volatile("tdpbsud %%tmm2, %%tmm1, %%tmm0" ::: "memory"); break;
	case ISA_TDPBUSD: __asm__ volatile("tdpbusd %%tmm2, %%tmm1, %%tmm0" ::: "memory"); break;
	case ISA_TDPBUUD: __asm__ volatile("tdpbuud %%tmm2, %%tmm1, %%tmm0" ::: "memory"); break;
	case ISA_TDPBF16PS: __asm__ volatile("tdpbf16ps %%tmm2, %%tmm1, %%tmm0" ::: "memory"); break;
	/* tdpfp16ps %tmm2, %tmm1, %tmm0 as bytes: clang 14's assembler does not know AMX-FP16. */
	case ISA_TDPFP16PS: __asm__ volatile(".byte 0xc4, 0xe2, 0x6b, 0x5c, 0xc1" ::: "memory"); break;
	/* tdp*f8ps %tmm2, %tmm1, %tmm0 (VEX.128.map5.W0 FD; bytes from llvm-mc-22): binutils 2.40 lacks AMX-FP8 */
	case ISA_TDPBF8PS: __asm__ volatile(".byte 0xc4, 0xe5, 0x68, 0xfd, 0xc1" ::: "memory"); break;
	case ISA_TDPBHF8PS: __asm__ volatile(".byte 0xc4, 0xe5, 0x6b, 0xfd, 0xc1" ::: "memory"); break;
	case ISA_TDPHBF8PS: __asm__ volatile(".byte 0xc4, 0xe5, 0x6a, 0xfd, 0xc1" ::: "memory"); break;
	case ISA_TDPHF8PS: __asm__ volatile(".byte 0xc4, 0xe5, 0x69, 0xfd, 0xc1" ::: "memory"); break;
	/* tcmm{im,rl}fp16ps %tmm2, %tmm1, %tmm0 (VEX.128.{66,NP}.0F38.W0 6C; bytes from llvm-mc-22): binutils 2.40
	 * and clang 14 lack AMX-COMPLEX */
	case ISA_TCMMIMFP16PS: __asm__ volatile(".byte 0xc4, 0xe2, 0x69, 0x6c, 0xc1" ::: "memory"); break;
	case ISA_TCMMRLFP16PS: __asm__ volatile(".byte 0xc4, 0xe2, 0x68, 0x6c, 0xc1" ::: "memory"); break;
	}
	__asm__ volatile("tilestored %%tmm0, (%0,%1,1)\n\ttilerelease" ::"r"(c), "r"(64L) : "memory");
}

/* A tile's first `rows` rows (64 bytes apart), `bytes` each, as one hex word after a space: what the
 * case programs print for their models to read. */
static inline void hex(const uint8_t *p, int rows, int bytes)
{
	putchar(' ');
	for (int r = 0; r < rows; r++)
		for (int j = 0; j < bytes; j++)
			printf("%02x", p[64 * r + j]);
}

#endif
