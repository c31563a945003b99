// SPDX-License-Identifier: MIT
/* The AMX variants (compiled with -mamx-tile -mamx-bf16 -mamx-int8). One config per call, since the ABI
 * preserves no tile state across calls: tmm0-3 hold a 32x32 block of C, tmm4-5 two 16-row slices of A,
 * tmm6-7 two 16-column slices of packed B. Edge blocks go through zero-padded copies, so no tile ever
 * reads or writes outside the caller's matrices and the config never changes.
 *
 * Products whose packed B exceeds BLOCK_MIN (does not stay in L2) are cache blocked (gemm_blocked): K is cut
 * into blocks of KCB bytes of an A row, and for each block a panel of packed B (up to BPANEL bytes, kept in
 * L2) and then a 32-row block of A (16 KiB, kept in L1) are copied into one malloc'd buffer where every
 * tile is 1 KiB contiguous (packed B rows are np*4 bytes apart, A rows lda*es: at multiples of 4 KiB the
 * 16 rows of a tile would all fall into one L1 set). Every element of C still takes its tile steps in
 * increasing k (C is stored and reloaded between K blocks, exactly), so the result is the same bits as the
 * direct path's. If the buffer cannot be allocated the direct path runs.
 */
#include <immintrin.h>
#include <stdlib.h>
#include "../isa/amx.h"
#include "internal.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))

enum kind { BF16, U8S8, S8S8 };

/* GCC's tile load, store and LDTILECFG intrinsics tell the compiler nothing about the memory they access,
 * so the stores that fill cfg and the staging buffers must be forced out before them (and the tile stores
 * into staging buffers kept before the copies out). */
#define MEMORY_BARRIER() __asm__ volatile("" ::: "memory")

enum {
	KCB = 512,           /* bytes of an A row per K block: 8 tile steps (256 bf16 or 512 int8 k), 16 KiB of A */
	BPANEL = 512 << 10,  /* bytes of packed B per panel at most (half of L2) */
	BLOCK_MIN = 1 << 20, /* packed B bytes above which the product is blocked (below, it stays in L2) */
	TILE = ISA_P1_BYTES_PER_TILE, /* bytes of a 16x64-byte tile */
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

/* The mb x nb block of C at cp0 (row stride cs_full) into tmm0-3, straight or through cbuf. */
ALWAYS_INLINE void load_c(uint8_t *cp0, size_t cs_full, size_t mb, size_t nb, uint8_t cbuf[32][128])
{
	uint8_t *cp = cp0;
	size_t cs = cs_full;
	if (mb < 32 || nb < 32) {
		memset(cbuf, 0, 32 * 128);
		for (size_t r = 0; r < mb; r++)
			memcpy(cbuf[r], cp0 + r * cs_full, nb * 4);
		cp = &cbuf[0][0];
		cs = 128;
	}
	MEMORY_BARRIER();
	_tile_loadd(0, cp, cs);
	_tile_loadd(1, cp + 64, cs);
	_tile_loadd(2, cp + 16 * cs, cs);
	_tile_loadd(3, cp + 16 * cs + 64, cs);
}

ALWAYS_INLINE void store_c(uint8_t *cp0, size_t cs_full, size_t mb, size_t nb, uint8_t cbuf[32][128])
{
	int full = mb == 32 && nb == 32;
	uint8_t *cp = full ? cp0 : &cbuf[0][0];
	size_t cs = full ? cs_full : 128;
	_tile_stored(0, cp, cs);
	_tile_stored(1, cp + 64, cs);
	_tile_stored(2, cp + 16 * cs, cs);
	_tile_stored(3, cp + 16 * cs + 64, cs);
	MEMORY_BARRIER();
	if (!full)
		for (size_t r = 0; r < mb; r++)
			memcpy(cp0 + r * cs_full, cbuf[r], nb * 4);
}

/* One tile step per 64 bytes of an A row, A and B read in place (edges through abuf). */
ALWAYS_INLINE void gemm_direct(enum kind kind, size_t M, size_t N, size_t K, const uint8_t *a8, size_t as_full,
			       const uint8_t *b8, uint8_t *c8, size_t cs_full)
{
	const size_t es = kind == BF16 ? 2 : 1, kb_all = K * es, bs = amxk_round_up(N, AMXK_NPAD) * 4;
	uint8_t cbuf[32][128] __attribute__((aligned(64)));
	uint8_t abuf[32][64] __attribute__((aligned(64)));

	for (size_t i0 = 0; i0 < M; i0 += 32) {
		size_t mb = M - i0 < 32 ? M - i0 : 32;
		for (size_t j0 = 0; j0 < N; j0 += 32) {
			size_t nb = N - j0 < 32 ? N - j0 : 32;
			uint8_t *cp0 = c8 + i0 * cs_full + j0 * 4;
			load_c(cp0, cs_full, mb, nb, cbuf);
			for (size_t kb0 = 0; kb0 < kb_all; kb0 += 64) {
				const uint8_t *ap = a8 + i0 * as_full + kb0;
				size_t as = as_full;
				if (mb < 32 || kb0 + 64 > kb_all) {
					size_t n = kb_all - kb0 < 64 ? kb_all - kb0 : 64;
					memset(abuf, 0, sizeof abuf);
					for (size_t r = 0; r < mb; r++)
						memcpy(abuf[r], ap + r * as_full, n);
					ap = &abuf[0][0];
					as = 64;
				}
				const uint8_t *bp = b8 + kb0 / 4 * bs + j0 * 4;
				MEMORY_BARRIER();
				_tile_loadd(4, ap, as);
				_tile_loadd(5, ap + 16 * as, as);
				_tile_loadd(6, bp, bs);
				_tile_loadd(7, bp + 64, bs);
				dp(kind);
			}
			store_c(cp0, cs_full, mb, nb, cbuf);
		}
	}
}

/* Rows of A [0, mb) x bytes [0, kb) (kb <= steps * 64) into tiles: tile (step t, half h) at (2t + h) KiB,
 * zero-padded. */
ALWAYS_INLINE void pack_a(uint8_t *dst, const uint8_t *ap, size_t as, size_t mb, size_t kb, size_t steps)
{
	for (size_t i = 0; i < 32; i++) {
		uint8_t *d = dst + (i / 16) * TILE + (i % 16) * 64;
		if (i >= mb) {
			for (size_t t = 0; t < steps; t++)
				memset(d + 2 * t * TILE, 0, 64);
			continue;
		}
		const uint8_t *s = ap + i * as;
		size_t t = 0;
		for (; (t + 1) * 64 <= kb; t++)
			memcpy(d + 2 * t * TILE, s + t * 64, 64);
		for (; t < steps; t++) {
			size_t n = kb > t * 64 ? kb - t * 64 : 0;
			if (n)
				memcpy(d + 2 * t * TILE, s + t * 64, n);
			memset(d + 2 * t * TILE + n, 0, 64 - n);
		}
	}
}

/* Packed B rows [0, 16 * steps) x columns [0, 32 * pairs) (row stride bs) into tiles: column pair p, step t,
 * half h at ((p * steps + t) * 2 + h) KiB. All inside the padded packed B. */
ALWAYS_INLINE void pack_b(uint8_t *dst, const uint8_t *bp, size_t bs, size_t pairs, size_t steps)
{
	for (size_t t = 0; t < steps; t++)
		for (size_t r = 0; r < 16; r++) {
			const uint8_t *s = bp + (t * 16 + r) * bs;
			for (size_t p = 0; p < pairs; p++) {
				uint8_t *d = dst + (p * steps + t) * 2 * TILE + r * 64;
				memcpy(d, s + p * 128, 64);
				memcpy(d + TILE, s + p * 128 + 64, 64);
			}
		}
}

/* Returns 0 (having done nothing) if the buffers cannot be allocated. */
ALWAYS_INLINE int gemm_blocked(enum kind kind, size_t M, size_t N, size_t K, const uint8_t *a8, size_t as_full,
			       const uint8_t *b8, uint8_t *c8, size_t cs_full)
{
	const size_t es = kind == BF16 ? 2 : 1, kb_all = K * es, kb_pad = amxk_round_up(kb_all, 64);
	const size_t np = amxk_round_up(N, AMXK_NPAD), bs = np * 4;
	const size_t kcb = kb_pad < KCB ? kb_pad : KCB, max_steps = kcb / 64;
	size_t max_pairs = BPANEL / (max_steps * 2 * TILE);
	if (max_pairs > np / 32)
		max_pairs = np / 32;
	uint8_t cbuf[32][128] __attribute__((aligned(64)));
	uint8_t *buf = aligned_alloc(64, (max_steps * 2 + max_pairs * max_steps * 2) * TILE);
	if (!buf)
		return 0;
	uint8_t *abuf = buf, *bbuf = buf + max_steps * 2 * TILE;

	for (size_t kb0 = 0; kb0 < kb_pad; kb0 += kcb) {
		size_t steps = (kb_pad - kb0 < kcb ? kb_pad - kb0 : kcb) / 64;
		size_t kb = kb_all - kb0 < steps * 64 ? kb_all - kb0 : steps * 64;
		for (size_t jc = 0; jc < N; jc += max_pairs * 32) {
			size_t pairs = (np - jc) / 32 < max_pairs ? (np - jc) / 32 : max_pairs;
			pack_b(bbuf, b8 + kb0 / 4 * bs + jc * 4, bs, pairs, steps);
			for (size_t i0 = 0; i0 < M; i0 += 32) {
				size_t mb = M - i0 < 32 ? M - i0 : 32;
				pack_a(abuf, a8 + i0 * as_full + kb0, as_full, mb, kb, steps);
				for (size_t p = 0; p < pairs; p++) {
					size_t j0 = jc + p * 32;
					if (j0 >= N)
						break;
					size_t nb = N - j0 < 32 ? N - j0 : 32;
					uint8_t *cp0 = c8 + i0 * cs_full + j0 * 4;
					const uint8_t *ap = abuf, *bp = bbuf + p * steps * 2 * TILE;
					load_c(cp0, cs_full, mb, nb, cbuf);
					for (size_t t = 0; t < steps; t++) {
						_tile_loadd(4, ap, 64);
						_tile_loadd(5, ap + TILE, 64);
						_tile_loadd(6, bp, 64);
						_tile_loadd(7, bp + TILE, 64);
						dp(kind);
						ap += 2 * TILE;
						bp += 2 * TILE;
					}
					store_c(cp0, cs_full, mb, nb, cbuf);
				}
			}
		}
	}
	free(buf);
	return 1;
}

ALWAYS_INLINE void gemm_amx(enum kind kind, size_t M, size_t N, size_t K, const void *A, size_t lda, const void *Bp,
			    void *C, size_t ldc)
{
	if (!M || !N || !K)
		return;
	const size_t es = kind == BF16 ? 2 : 1;
	struct isa_tilecfg cfg;

	memset(&cfg, 0, sizeof cfg);
	cfg.palette = 1;
	for (int t = 0; t < ISA_P1_NTILES; t++) {
		cfg.colsb[t] = ISA_P1_BYTES_PER_ROW;
		cfg.rows[t] = ISA_P1_MAX_ROWS;
	}
	MEMORY_BARRIER();
	_tile_loadconfig(&cfg);
	size_t bbytes = amxk_round_up(K * es, 64) * amxk_round_up(N, AMXK_NPAD); /* of packed B */
	if (M < 64 || bbytes <= BLOCK_MIN || !gemm_blocked(kind, M, N, K, A, lda * es, Bp, C, ldc * 4))
		gemm_direct(kind, M, N, K, A, lda * es, Bp, C, ldc * 4);
	_tile_release();
}

void gemm_bf16_amx(size_t M, size_t N, size_t K, const amxk_bf16 *A, size_t lda, const amxk_bf16 *Bp, float *C,
		   size_t ldc)
{
	gemm_amx(BF16, M, N, K, A, lda, Bp, C, ldc);
}

void gemm_u8s8_amx(size_t M, size_t N, size_t K, const uint8_t *A, size_t lda, const int8_t *Bp, int32_t *C, size_t ldc)
{
	gemm_amx(U8S8, M, N, K, A, lda, Bp, C, ldc);
}

void gemm_s8s8_amx(size_t M, size_t N, size_t K, const int8_t *A, size_t lda, const int8_t *Bp, int32_t *C, size_t ldc)
{
	gemm_amx(S8S8, M, N, K, A, lda, Bp, C, ldc);
}
