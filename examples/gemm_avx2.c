/* The AVX2+FMA variants (compiled with -mavx2 -mfma). bf16: k in the reference order, so with exact bf16
 * products each FMA rounds exactly where the reference adds. int8: widened to s16, VPMADDWD, s32 sums. */
#include <immintrin.h>
#include "internal.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* Lane i is on when i < n (n may be <= 0 or > 8). */
ALWAYS_INLINE __m256i lane_mask(long n)
{
	return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n < 0 ? 0 : n > 8 ? 8 : n)),
				  _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* mr rows (1..4) x 16 columns of C; bp points at the block's first column in the packed B. */
ALWAYS_INLINE void bf16_block(int mr, size_t K, const amxk_bf16 *A, size_t lda, const amxk_bf16 *bp,
			      size_t np, float *C, size_t ldc, __m256i m0, __m256i m1)
{
	__m256 acc[4][2];
	for (int r = 0; r < mr; r++) {
		acc[r][0] = _mm256_maskload_ps(C + r * ldc, m0);
		acc[r][1] = _mm256_maskload_ps(C + r * ldc + 8, m1);
	}
	const __m256i odd = _mm256_set1_epi32((int)0xffff0000u);
	for (size_t k = 0; k < K; k += 2) {
		const amxk_bf16 *b = bp + k / 2 * np * 2;
		__m256i b0 = _mm256_loadu_si256((const __m256i *)b);
		__m256i b1 = _mm256_loadu_si256((const __m256i *)(b + 16));
		/* Each 32-bit lane holds (B[k][j], B[k+1][j]): shift for k, mask for k+1. */
		__m256 e0 = _mm256_castsi256_ps(_mm256_slli_epi32(b0, 16));
		__m256 e1 = _mm256_castsi256_ps(_mm256_slli_epi32(b1, 16));
		for (int r = 0; r < mr; r++) {
			__m256 a = _mm256_set1_ps(amxk_bf16_to_f32(A[r * lda + k]));
			acc[r][0] = _mm256_fmadd_ps(a, e0, acc[r][0]);
			acc[r][1] = _mm256_fmadd_ps(a, e1, acc[r][1]);
		}
		if (k + 1 >= K)
			break;
		__m256 o0 = _mm256_castsi256_ps(_mm256_and_si256(b0, odd));
		__m256 o1 = _mm256_castsi256_ps(_mm256_and_si256(b1, odd));
		for (int r = 0; r < mr; r++) {
			__m256 a = _mm256_set1_ps(amxk_bf16_to_f32(A[r * lda + k + 1]));
			acc[r][0] = _mm256_fmadd_ps(a, o0, acc[r][0]);
			acc[r][1] = _mm256_fmadd_ps(a, o1, acc[r][1]);
		}
	}
	for (int r = 0; r < mr; r++) {
		_mm256_maskstore_ps(C + r * ldc, m0, acc[r][0]);
		_mm256_maskstore_ps(C + r * ldc + 8, m1, acc[r][1]);
	}
}

void gemm_bf16_avx2(size_t M, size_t N, size_t K, const amxk_bf16 *A, size_t lda, const amxk_bf16 *Bp,
		    float *C, size_t ldc)
{
	size_t np = amxk_round_up(N, AMXK_NPAD);
	for (size_t j = 0; j < N; j += 16) {
		long nb = (long)(N - j);
		__m256i m0 = lane_mask(nb), m1 = lane_mask(nb - 8);
		const amxk_bf16 *bp = Bp + j * 2;
		size_t i = 0;
		for (; i + 4 <= M; i += 4)
			bf16_block(4, K, A + i * lda, lda, bp, np, C + i * ldc + j, ldc, m0, m1);
		switch (M - i) {
		case 3: bf16_block(3, K, A + i * lda, lda, bp, np, C + i * ldc + j, ldc, m0, m1); break;
		case 2: bf16_block(2, K, A + i * lda, lda, bp, np, C + i * ldc + j, ldc, m0, m1); break;
		case 1: bf16_block(1, K, A + i * lda, lda, bp, np, C + i * ldc + j, ldc, m0, m1); break;
		default: break;
		}
	}
}

/* Four consecutive bytes of a row of A, zeros past K (the row may end exactly at K). */
ALWAYS_INLINE uint32_t a_quad(const uint8_t *a, size_t k, size_t K)
{
	uint32_t q = 0;
	if (k + 4 <= K) {
		memcpy(&q, a + k, 4);
	} else {
		for (size_t t = 0; k + t < K; t++)
			q |= (uint32_t)a[k + t] << (8 * t);
	}
	return q;
}

/* mr rows (1..4) x 8 columns. lo/hi hold pair sums for columns 0-3 and 4-7 (VPMADDWD cannot overflow on
 * 8-bit inputs); the final VPHADDD folds the pairs, the permute undoes its lane interleave. */
ALWAYS_INLINE void i8_block(int mr, int a_signed, size_t K, const uint8_t *A, size_t lda, const int8_t *bp,
			    size_t np, int32_t *C, size_t ldc, __m256i mask)
{
	__m256i lo[4], hi[4];
	for (int r = 0; r < mr; r++)
		lo[r] = hi[r] = _mm256_setzero_si256();
	for (size_t k = 0; k < K; k += 4) {
		const int8_t *b = bp + k / 4 * np * 4;
		__m256i b0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)b));
		__m256i b1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + 16)));
		for (int r = 0; r < mr; r++) {
			__m128i q = _mm_set1_epi32((int)a_quad(A + r * lda, k, K));
			__m256i a = a_signed ? _mm256_cvtepi8_epi16(q) : _mm256_cvtepu8_epi16(q);
			lo[r] = _mm256_add_epi32(lo[r], _mm256_madd_epi16(a, b0));
			hi[r] = _mm256_add_epi32(hi[r], _mm256_madd_epi16(a, b1));
		}
	}
	for (int r = 0; r < mr; r++) {
		__m256i s = _mm256_permute4x64_epi64(_mm256_hadd_epi32(lo[r], hi[r]), 0xd8);
		__m256i c = _mm256_maskload_epi32((const int *)(C + r * ldc), mask);
		_mm256_maskstore_epi32((int *)(C + r * ldc), mask, _mm256_add_epi32(c, s));
	}
}

ALWAYS_INLINE void gemm_i8(int a_signed, size_t M, size_t N, size_t K, const uint8_t *A, size_t lda,
			   const int8_t *Bp, int32_t *C, size_t ldc)
{
	size_t np = amxk_round_up(N, AMXK_NPAD);
	for (size_t j = 0; j < N; j += 8) {
		__m256i mask = lane_mask((long)(N - j));
		const int8_t *bp = Bp + j * 4;
		size_t i = 0;
		for (; i + 4 <= M; i += 4)
			i8_block(4, a_signed, K, A + i * lda, lda, bp, np, C + i * ldc + j, ldc, mask);
		switch (M - i) {
		case 3: i8_block(3, a_signed, K, A + i * lda, lda, bp, np, C + i * ldc + j, ldc, mask); break;
		case 2: i8_block(2, a_signed, K, A + i * lda, lda, bp, np, C + i * ldc + j, ldc, mask); break;
		case 1: i8_block(1, a_signed, K, A + i * lda, lda, bp, np, C + i * ldc + j, ldc, mask); break;
		default: break;
		}
	}
}

void gemm_u8s8_avx2(size_t M, size_t N, size_t K, const uint8_t *A, size_t lda, const int8_t *Bp,
		    int32_t *C, size_t ldc)
{
	gemm_i8(0, M, N, K, A, lda, Bp, C, ldc);
}

void gemm_s8s8_avx2(size_t M, size_t N, size_t K, const int8_t *A, size_t lda, const int8_t *Bp,
		    int32_t *C, size_t ldc)
{
	gemm_i8(1, M, N, K, (const uint8_t *)A, lda, Bp, C, ldc);
}
