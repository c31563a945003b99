/* The AMX variants (compiled with -mamx-tile -mamx-bf16 -mamx-int8). One config per call, since the ABI
 * preserves no tile state across calls: tmm0-3 hold a 32x32 block of C, tmm4-5 two 16-row slices of A,
 * tmm6-7 two 16-column slices of packed B. Edge blocks go through zero-padded stack copies, so no tile
 * ever reads or writes outside the caller's matrices and the config never changes. */
#include <immintrin.h>
#include "internal.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))

enum kind { BF16, U8S8, S8S8 };

/* GCC's tile load and LDTILECFG intrinsics tell the compiler nothing about the memory they read, so the
 * stores that fill cfg and the staging buffers must be forced out before them. */
#define MEMORY_BARRIER() __asm__ volatile("" ::: "memory")

struct tilecfg { /* the 64-byte LDTILECFG image, palette 1 */
	uint8_t palette, start_row, reserved[14];
	uint16_t colsb[16];
	uint8_t rows[16];
};

ALWAYS_INLINE void dp(enum kind kind)
{
	if (kind == BF16) {
		_tile_dpbf16ps(0, 4, 6);
		_tile_dpbf16ps(1, 4, 7);
		_tile_dpbf16ps(2, 5, 6);
		_tile_dpbf16ps(3, 5, 7);
	} else if (kind == U8S8) {
		_tile_dpbusd(0, 4, 6);
		_tile_dpbusd(1, 4, 7);
		_tile_dpbusd(2, 5, 6);
		_tile_dpbusd(3, 5, 7);
	} else {
		_tile_dpbssd(0, 4, 6);
		_tile_dpbssd(1, 4, 7);
		_tile_dpbssd(2, 5, 6);
		_tile_dpbssd(3, 5, 7);
	}
}

ALWAYS_INLINE void gemm_amx(enum kind kind, size_t M, size_t N, size_t K, const void *A, size_t lda,
			    const void *Bp, void *C, size_t ldc)
{
	if (!M || !N || !K)
		return;
	const size_t es = kind == BF16 ? 2 : 1;  /* bytes per element of A */
	const size_t kblk = 64 / es;              /* k per A tile row */
	const size_t kpack = 4 / es;              /* k per 4-byte group of packed B */
	const size_t np = amxk_round_up(N, AMXK_NPAD);
	const size_t as_full = lda * es, cs_full = ldc * 4, bs = np * 4;
	const uint8_t *a8 = A, *b8 = Bp;
	uint8_t *c8 = C;
	struct tilecfg cfg __attribute__((aligned(64)));
	uint8_t cbuf[32][128] __attribute__((aligned(64)));
	uint8_t abuf[32][64] __attribute__((aligned(64)));

	memset(&cfg, 0, sizeof cfg);
	cfg.palette = 1;
	for (int t = 0; t < 8; t++) {
		cfg.colsb[t] = 64;
		cfg.rows[t] = 16;
	}
	MEMORY_BARRIER();
	_tile_loadconfig(&cfg);
	for (size_t i0 = 0; i0 < M; i0 += 32) {
		size_t mb = M - i0 < 32 ? M - i0 : 32;
		for (size_t j0 = 0; j0 < N; j0 += 32) {
			size_t nb = N - j0 < 32 ? N - j0 : 32;
			int full = mb == 32 && nb == 32;
			uint8_t *cp = full ? c8 + i0 * cs_full + j0 * 4 : &cbuf[0][0];
			size_t cs = full ? cs_full : 128;
			if (!full) {
				memset(cbuf, 0, sizeof cbuf);
				for (size_t r = 0; r < mb; r++)
					memcpy(cbuf[r], c8 + (i0 + r) * cs_full + j0 * 4, nb * 4);
			}
			MEMORY_BARRIER();
			_tile_loadd(0, cp, cs);
			_tile_loadd(1, cp + 64, cs);
			_tile_loadd(2, cp + 16 * cs, cs);
			_tile_loadd(3, cp + 16 * cs + 64, cs);
			for (size_t k0 = 0; k0 < K; k0 += kblk) {
				const uint8_t *ap = a8 + i0 * as_full + k0 * es;
				size_t as = as_full;
				if (mb < 32 || k0 + kblk > K) {
					size_t kb = K - k0 < kblk ? K - k0 : kblk;
					memset(abuf, 0, sizeof abuf);
					for (size_t r = 0; r < mb; r++)
						memcpy(abuf[r], ap + r * as_full, kb * es);
					ap = &abuf[0][0];
					as = 64;
				}
				const uint8_t *bp = b8 + k0 / kpack * bs + j0 * 4;
				MEMORY_BARRIER();
				_tile_loadd(4, ap, as);
				_tile_loadd(5, ap + 16 * as, as);
				_tile_loadd(6, bp, bs);
				_tile_loadd(7, bp + 64, bs);
				dp(kind);
			}
			_tile_stored(0, cp, cs);
			_tile_stored(1, cp + 64, cs);
			_tile_stored(2, cp + 16 * cs, cs);
			_tile_stored(3, cp + 16 * cs + 64, cs);
			if (!full)
				for (size_t r = 0; r < mb; r++)
					memcpy(c8 + (i0 + r) * cs_full + j0 * 4, cbuf[r], nb * 4);
		}
	}
	_tile_release();
}

void gemm_bf16_amx(size_t M, size_t N, size_t K, const amxk_bf16 *A, size_t lda, const amxk_bf16 *Bp,
		   float *C, size_t ldc)
{
	gemm_amx(BF16, M, N, K, A, lda, Bp, C, ldc);
}

void gemm_u8s8_amx(size_t M, size_t N, size_t K, const uint8_t *A, size_t lda, const int8_t *Bp,
		   int32_t *C, size_t ldc)
{
	gemm_amx(U8S8, M, N, K, A, lda, Bp, C, ldc);
}

void gemm_s8s8_amx(size_t M, size_t N, size_t K, const int8_t *A, size_t lda, const int8_t *Bp,
		   int32_t *C, size_t ldc)
{
	gemm_amx(S8S8, M, N, K, A, lda, Bp, C, ldc);
}
