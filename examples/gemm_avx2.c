// SPDX-License-Identifier: MIT
/* The AVX2+FMA variants (compiled with -mavx2 -mfma). bf16: k in the reference order, so with exact bf16
 * products each FMA rounds exactly where the reference adds. int8: widened to s16, VPMADDWD, s32 sums. */
#include <immintrin.h>
#include <stdlib.h>
#include "internal.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* Lane i is on when i < n (n may be <= 0 or > 8). */
ALWAYS_INLINE __m256i lane_mask(long n)
{
	/* clang-format off */
	return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(n < 0 ? 0 : n > 8 ? 8 : n)),
				  _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
	/* clang-format on */
}

/* mr rows (1..4) x 16 columns of C; bp points at the block's first column in the packed B. */
ALWAYS_INLINE void bf16_block(int mr, size_t K, const amxk_bf16 *A, size_t lda, const amxk_bf16 *bp, size_t np,
			      float *C, size_t ldc, __m256i m0, __m256i m1)
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

/* bf16, direct path: 4x16 blocks straight from the packed B, converted on the fly. For M < 6 (too few rows
 * to repay packing) and when the packed path cannot allocate its buffers. */
static void bf16_direct(size_t M, size_t N, size_t K, const amxk_bf16 *A, size_t lda, const amxk_bf16 *Bp, float *C,
			size_t ldc)
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

/* bf16, packed path: the BLIS/GotoBLAS loop nest. B (from the VNNI layout) and A are copied as binary32
 * (exact: a bf16 is the top half of a binary32) into panels sized for the caches, and a 6x16 register
 * block of C is kept in twelve ymm accumulators. Each accumulator starts from C and takes one FMA per k
 * in increasing k, also across K blocks (the block stores C and the next one reloads it): the reference
 * order, so the results are the portable variant's bits. */
enum { MR = 6, NR = 16, KC = 256, MC = 72, NC = 1024 };

/* C[0..5][0..15] (rows ldc apart) += Ap (kc x 6, k-major) * Bf (kc x 16, k-major). */
ALWAYS_INLINE void kernel_6x16(size_t kc, const float *restrict Ap, const float *restrict Bf, float *C, size_t ldc)
{
	__m256 c00 = _mm256_loadu_ps(C + 0 * ldc), c01 = _mm256_loadu_ps(C + 0 * ldc + 8);
	__m256 c10 = _mm256_loadu_ps(C + 1 * ldc), c11 = _mm256_loadu_ps(C + 1 * ldc + 8);
	__m256 c20 = _mm256_loadu_ps(C + 2 * ldc), c21 = _mm256_loadu_ps(C + 2 * ldc + 8);
	__m256 c30 = _mm256_loadu_ps(C + 3 * ldc), c31 = _mm256_loadu_ps(C + 3 * ldc + 8);
	__m256 c40 = _mm256_loadu_ps(C + 4 * ldc), c41 = _mm256_loadu_ps(C + 4 * ldc + 8);
	__m256 c50 = _mm256_loadu_ps(C + 5 * ldc), c51 = _mm256_loadu_ps(C + 5 * ldc + 8);
	for (size_t k = 0; k < kc; k++) {
		__m256 b0 = _mm256_load_ps(Bf), b1 = _mm256_load_ps(Bf + 8), a;
		a = _mm256_broadcast_ss(Ap + 0);
		c00 = _mm256_fmadd_ps(a, b0, c00), c01 = _mm256_fmadd_ps(a, b1, c01);
		a = _mm256_broadcast_ss(Ap + 1);
		c10 = _mm256_fmadd_ps(a, b0, c10), c11 = _mm256_fmadd_ps(a, b1, c11);
		a = _mm256_broadcast_ss(Ap + 2);
		c20 = _mm256_fmadd_ps(a, b0, c20), c21 = _mm256_fmadd_ps(a, b1, c21);
		a = _mm256_broadcast_ss(Ap + 3);
		c30 = _mm256_fmadd_ps(a, b0, c30), c31 = _mm256_fmadd_ps(a, b1, c31);
		a = _mm256_broadcast_ss(Ap + 4);
		c40 = _mm256_fmadd_ps(a, b0, c40), c41 = _mm256_fmadd_ps(a, b1, c41);
		a = _mm256_broadcast_ss(Ap + 5);
		c50 = _mm256_fmadd_ps(a, b0, c50), c51 = _mm256_fmadd_ps(a, b1, c51);
		Ap += MR, Bf += NR;
	}
	_mm256_storeu_ps(C + 0 * ldc, c00), _mm256_storeu_ps(C + 0 * ldc + 8, c01);
	_mm256_storeu_ps(C + 1 * ldc, c10), _mm256_storeu_ps(C + 1 * ldc + 8, c11);
	_mm256_storeu_ps(C + 2 * ldc, c20), _mm256_storeu_ps(C + 2 * ldc + 8, c21);
	_mm256_storeu_ps(C + 3 * ldc, c30), _mm256_storeu_ps(C + 3 * ldc + 8, c31);
	_mm256_storeu_ps(C + 4 * ldc, c40), _mm256_storeu_ps(C + 4 * ldc + 8, c41);
	_mm256_storeu_ps(C + 5 * ldc, c50), _mm256_storeu_ps(C + 5 * ldc + 8, c51);
}

/* A partial block (mr < 6 rows or nr < 16 columns) goes through a full 6x16 buffer. */
static void kernel_edge(size_t mr, size_t nr, size_t kc, const float *Ap, const float *Bf, float *C, size_t ldc)
{
	float t[MR * NR] __attribute__((aligned(32))) = { 0 };
	for (size_t r = 0; r < mr; r++)
		memcpy(t + r * NR, C + r * ldc, nr * sizeof *t);
	kernel_6x16(kc, Ap, Bf, t, NR);
	for (size_t r = 0; r < mr; r++)
		memcpy(C + r * ldc, t + r * NR, nr * sizeof *t);
}

/* Columns j0 .. j0+nc-1 (nc rounded up to 16; the packed B is zero there) and k k0 .. k0+kc-1 of the
 * packed B as binary32 panels of 16 columns, k-major. k0 is even; an odd kc reads the (padded) pair. */
static void pack_b(size_t kc, size_t nc, size_t k0, size_t j0, const amxk_bf16 *Bp, size_t np, float *Bf)
{
	const __m256i odd = _mm256_set1_epi32((int)0xffff0000u);
	for (size_t j = 0; j < nc; j += NR, Bf += kc * NR) {
		float *d = Bf;
		for (size_t k = 0; k < kc; k += 2, d += 2 * NR) {
			const amxk_bf16 *b = Bp + ((k0 + k) / 2 * np + j0 + j) * 2;
			__m256i b0 = _mm256_loadu_si256((const __m256i *)b);
			__m256i b1 = _mm256_loadu_si256((const __m256i *)(b + 16));
			_mm256_store_ps(d, _mm256_castsi256_ps(_mm256_slli_epi32(b0, 16)));
			_mm256_store_ps(d + 8, _mm256_castsi256_ps(_mm256_slli_epi32(b1, 16)));
			if (k + 1 < kc) {
				_mm256_store_ps(d + NR, _mm256_castsi256_ps(_mm256_and_si256(b0, odd)));
				_mm256_store_ps(d + NR + 8, _mm256_castsi256_ps(_mm256_and_si256(b1, odd)));
			}
		}
	}
}

/* Rows 0 .. mc-1, k 0 .. kc-1 of A (already offset) as binary32 panels of 6 rows, k-major; rows past mc
 * are zero. */
static void pack_a(size_t mc, size_t kc, const amxk_bf16 *A, size_t lda, float *Ap)
{
	for (size_t i = 0; i < mc; i += MR, Ap += kc * MR) {
		size_t mr = mc - i < MR ? mc - i : MR;
		for (size_t r = 0; r < MR; r++) {
			const amxk_bf16 *a = A + (i + r) * lda;
			if (r >= mr) {
				for (size_t k = 0; k < kc; k++)
					Ap[k * MR + r] = 0;
				continue;
			}
			size_t k = 0;
			for (; k + 8 <= kc; k += 8) {
				__m256i v = _mm256_slli_epi32(
					_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(a + k))), 16);
				float f[8];
				_mm256_storeu_ps(f, _mm256_castsi256_ps(v));
				for (int t = 0; t < 8; t++)
					Ap[(k + t) * MR + r] = f[t];
			}
			for (; k < kc; k++)
				Ap[k * MR + r] = amxk_bf16_to_f32(a[k]);
		}
	}
}

static size_t min_sz(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Returns 0 when the buffers cannot be allocated (the caller then takes the direct path). */
static int gemm_bf16_packed(size_t M, size_t N, size_t K, const amxk_bf16 *A, size_t lda, const amxk_bf16 *Bp, float *C,
			    size_t ldc)
{
	size_t np = amxk_round_up(N, AMXK_NPAD);
	size_t kcmax = amxk_round_up(min_sz(K, KC), 2), mcmax = amxk_round_up(min_sz(M, MC), MR);
	size_t ncmax = amxk_round_up(min_sz(N, NC), NR);
	size_t abytes = amxk_round_up(mcmax * kcmax * sizeof(float), 64);
	float *buf = aligned_alloc(64, abytes + ncmax * kcmax * sizeof(float));
	if (!buf)
		return 0;
	float *Af = buf, *Bf = buf + abytes / sizeof(float);
	for (size_t jc = 0; jc < N; jc += NC) {
		size_t nc = min_sz(N - jc, NC);
		for (size_t pc = 0; pc < K; pc += KC) {
			size_t kc = min_sz(K - pc, KC);
			pack_b(kc, amxk_round_up(nc, NR), pc, jc, Bp, np, Bf);
			for (size_t ic = 0; ic < M; ic += MC) {
				size_t mc = min_sz(M - ic, MC);
				pack_a(mc, kc, A + ic * lda + pc, lda, Af);
				for (size_t jr = 0; jr < nc; jr += NR) {
					size_t nr = min_sz(nc - jr, NR);
					const float *b = Bf + jr * kc;
					for (size_t ir = 0; ir < mc; ir += MR) {
						size_t mr = min_sz(mc - ir, MR);
						float *c = C + (ic + ir) * ldc + jc + jr;
						const float *a = Af + ir * kc;
						if (mr == MR && nr == NR)
							kernel_6x16(kc, a, b, c, ldc);
						else
							kernel_edge(mr, nr, kc, a, b, c, ldc);
					}
				}
			}
		}
	}
	free(buf);
	return 1;
}

void gemm_bf16_avx2(size_t M, size_t N, size_t K, const amxk_bf16 *A, size_t lda, const amxk_bf16 *Bp, float *C,
		    size_t ldc)
{
	if (M == 0 || N == 0 || K == 0)
		return;
	if (M < MR || !gemm_bf16_packed(M, N, K, A, lda, Bp, C, ldc))
		bf16_direct(M, N, K, A, lda, Bp, C, ldc);
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
ALWAYS_INLINE void i8_block(int mr, int a_signed, size_t K, const uint8_t *A, size_t lda, const int8_t *bp, size_t np,
			    int32_t *C, size_t ldc, __m256i mask)
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

ALWAYS_INLINE void gemm_i8(int a_signed, size_t M, size_t N, size_t K, const uint8_t *A, size_t lda, const int8_t *Bp,
			   int32_t *C, size_t ldc)
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

void gemm_u8s8_avx2(size_t M, size_t N, size_t K, const uint8_t *A, size_t lda, const int8_t *Bp, int32_t *C,
		    size_t ldc)
{
	gemm_i8(0, M, N, K, A, lda, Bp, C, ldc);
}

void gemm_s8s8_avx2(size_t M, size_t N, size_t K, const int8_t *A, size_t lda, const int8_t *Bp, int32_t *C, size_t ldc)
{
	gemm_i8(1, M, N, K, (const uint8_t *)A, lda, Bp, C, ldc);
}
