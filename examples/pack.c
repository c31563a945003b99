// SPDX-License-Identifier: MIT
/* Packing of B into the VNNI layouts of amxkernels.h. Portable: it runs once per B, not per GEMM. */
#include "internal.h"

size_t amxk_pack_bf16_size(size_t K, size_t N)
{
	return amxk_round_up(K, AMXK_KPAD_BF16) * amxk_round_up(N, AMXK_NPAD);
}

void amxk_pack_bf16(size_t K, size_t N, const amxk_bf16 *B, size_t ldb, amxk_bf16 *Bp)
{
	size_t kp = amxk_round_up(K, AMXK_KPAD_BF16), np = amxk_round_up(N, AMXK_NPAD);
	for (size_t k = 0; k < kp; k++)
		for (size_t n = 0; n < np; n++)
			Bp[(k / 2 * np + n) * 2 + k % 2] = k < K && n < N ? B[k * ldb + n] : 0;
}

size_t amxk_pack_i8_size(size_t K, size_t N)
{
	return amxk_round_up(K, AMXK_KPAD_I8) * amxk_round_up(N, AMXK_NPAD);
}

void amxk_pack_i8(size_t K, size_t N, const int8_t *B, size_t ldb, int8_t *Bp)
{
	size_t kp = amxk_round_up(K, AMXK_KPAD_I8), np = amxk_round_up(N, AMXK_NPAD);
	for (size_t k = 0; k < kp; k++)
		for (size_t n = 0; n < np; n++)
			Bp[(k / 4 * np + n) * 4 + k % 4] = k < K && n < N ? B[k * ldb + n] : 0;
}

/* The int8 layout (quads of k), K padded to a whole TDPHF8PS step. */
size_t amxk_pack_hf8_size(size_t K, size_t N)
{
	return amxk_pack_i8_size(K, N);
}

void amxk_pack_hf8(size_t K, size_t N, const amxk_hf8 *B, size_t ldb, amxk_hf8 *Bp)
{
	amxk_pack_i8(K, N, (const int8_t *)B, ldb, (int8_t *)Bp);
}
