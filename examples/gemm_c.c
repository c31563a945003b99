// SPDX-License-Identifier: MIT
/* The portable variants, which define the results (amxkernels.h): k in order, one rounding per step. */
#include "internal.h"

void gemm_bf16_c(size_t M, size_t N, size_t K, const amxk_bf16 *A, size_t lda, const amxk_bf16 *Bp, float *C,
		 size_t ldc)
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
#define GEMM_I8_C(name, atype)                                                                                        \
	void name(size_t M, size_t N, size_t K, const atype *A, size_t lda, const int8_t *Bp, int32_t *C, size_t ldc) \
	{                                                                                                             \
		size_t np = amxk_round_up(N, AMXK_NPAD);                                                              \
		for (size_t i = 0; i < M; i++)                                                                        \
			for (size_t j = 0; j < N; j++) {                                                              \
				uint32_t acc = (uint32_t)C[i * ldc + j];                                              \
				for (size_t k = 0; k < K; k++)                                                        \
					acc += (uint32_t)((int32_t)A[i * lda + k] *                                   \
							  (int32_t)Bp[(k / 4 * np + j) * 4 + k % 4]);                 \
				C[i * ldc + j] = (int32_t)acc;                                                        \
			}                                                                                             \
	}

GEMM_I8_C(gemm_u8s8_c, uint8_t)
GEMM_I8_C(gemm_s8s8_c, int8_t)

/* hf8: |value| * 2^9 is an integer (at most 448 * 2^9 < 2^18), so a product is an integer times 2^-18 below
 * 2^36 and a block of 64 products sums exactly in int64. -1 for the NaNs. */
static int hf8_scaled(amxk_hf8 v, int64_t *out)
{
	unsigned e = (v >> 3) & 15, m = v & 7;
	int64_t mag;

	if ((v & 0x7f) == 0x7f)
		return -1; /* NaN */
	mag = e ? (int64_t)(m | 8) << (e - 1) : (int64_t)m;
	*out = v & 0x80 ? -mag : mag;
	return 0;
}

void gemm_hf8_c(size_t M, size_t N, size_t K, const amxk_hf8 *A, size_t lda, const amxk_hf8 *Bp, float *C, size_t ldc)
{
	static const uint32_t qnan = 0xffc00000u;
	size_t np = amxk_round_up(N, AMXK_NPAD);

	for (size_t i = 0; i < M; i++)
		for (size_t j = 0; j < N; j++) {
			float acc = C[i * ldc + j];
			int nan = 0;

			for (size_t k0 = 0; k0 < K; k0 += AMXK_KBLOCK_HF8) {
				int64_t sum = 0, a, b;

				if (acc != acc) { /* a NaN C gives the default NaN, not its own payload */
					nan = 1;
					break;
				}
				for (size_t k = k0; k < k0 + AMXK_KBLOCK_HF8 && k < K; k++) {
					if (hf8_scaled(A[i * lda + k], &a) ||
					    hf8_scaled(Bp[(k / 4 * np + j) * 4 + k % 4], &b))
						nan = 1;
					else
						sum += a * b;
				}
				if (nan)
					break;
				if (acc != 0 && __builtin_fabsf(acc) < 0x1p-126f)
					acc = acc < 0 ? -0.0f : 0.0f; /* DAZ */
				/* int64 -> float rounds once to nearest even; the scaling by 2^-18 is exact */
				acc = acc + (float)sum * 0x1p-18f;
			}
			if (nan)
				memcpy(&C[i * ldc + j], &qnan, sizeof qnan);
			else
				C[i * ldc + j] = acc;
		}
}
