// SPDX-License-Identifier: MIT
/* The portable variants, which define the results (amxkernels.h): k in order, one rounding per step. */
#include "internal.h"

void gemm_bf16_c(size_t M, size_t N, size_t K, const amxk_bf16 *A, size_t lda, const amxk_bf16 *Bp,
		 float *C, size_t ldc)
{
	size_t np = amxk_round_up(N, AMXK_NPAD);
	for (size_t i = 0; i < M; i++)
		for (size_t j = 0; j < N; j++) {
			float acc = C[i * ldc + j];
			for (size_t k = 0; k < K; k++) {
				/* Exact product (8-bit significands), so contracting this into an FMA
				 * changes nothing for normal numbers. */
				float p = amxk_bf16_to_f32(A[i * lda + k]) *
					  amxk_bf16_to_f32(Bp[(k / 2 * np + j) * 2 + k % 2]);
				acc = acc + p;
			}
			C[i * ldc + j] = acc;
		}
}

/* Wrapping s32 arithmetic, as the VPDPBUSD/TDPBUSD family: unsigned math has no overflow UB. */
#define GEMM_I8_C(name, atype)                                                                        \
	void name(size_t M, size_t N, size_t K, const atype *A, size_t lda, const int8_t *Bp, int32_t *C, \
		  size_t ldc)                                                                           \
	{                                                                                               \
		size_t np = amxk_round_up(N, AMXK_NPAD);                                                \
		for (size_t i = 0; i < M; i++)                                                          \
			for (size_t j = 0; j < N; j++) {                                                \
				uint32_t acc = (uint32_t)C[i * ldc + j];                                \
				for (size_t k = 0; k < K; k++)                                          \
					acc += (uint32_t)((int32_t)A[i * lda + k] *                     \
							  (int32_t)Bp[(k / 4 * np + j) * 4 + k % 4]); \
				C[i * ldc + j] = (int32_t)acc;                                          \
			}                                                                               \
	}

GEMM_I8_C(gemm_u8s8_c, uint8_t)
GEMM_I8_C(gemm_s8s8_c, int8_t)
