/* SPDX-License-Identifier: MIT */
/* Private to libamxkernels: the variants (hidden, one file per instruction set) and shared helpers. */
#ifndef AMXKERNELS_INTERNAL_H
#define AMXKERNELS_INTERNAL_H

#include <string.h>
#include "amxkernels.h"

/* Packed B geometry: columns padded to two 16-column tiles, k to one tile row block. */
#define AMXK_NPAD 32
#define AMXK_KPAD_BF16 32
#define AMXK_KPAD_I8 64

static inline size_t amxk_round_up(size_t x, size_t to)
{
	return (x + to - 1) / to * to;
}

static inline float amxk_bf16_to_f32(amxk_bf16 x)
{
	uint32_t u = (uint32_t)x << 16;
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

#define AMXK_DECLARE_VARIANTS(isa)         \
	amxk_gemm_bf16_fn gemm_bf16_##isa; \
	amxk_gemm_u8s8_fn gemm_u8s8_##isa; \
	amxk_gemm_s8s8_fn gemm_s8s8_##isa;

AMXK_DECLARE_VARIANTS(amx)
AMXK_DECLARE_VARIANTS(avx2)
AMXK_DECLARE_VARIANTS(c)
amxk_gemm_hf8_fn gemm_hf8_amx; /* AMX-FP8 (gemm_fp8_amx.c) */
amxk_gemm_hf8_fn gemm_hf8_c;

#define AMXK_KBLOCK_HF8 64 /* k per TDPHF8PS step: the rounding blocks of the hf8 semantics */

#endif
