// SPDX-License-Identifier: MIT
/* The AMX-FP8 variant of gemm_hf8 (compiled with -mamx-tile). TDPHF8PS is written as bytes: neither GCC 12
 * nor binutils 2.40 know AMX-FP8 (its encoding, VEX.128.66.map5.W0 FD /r, is checked against llvm-mc-22 in
 * tests/emu). One 16x16 block of C at a time: tmm0 = C (16 rows of 16 fp32), tmm1 = A (16 rows of 64 hf8),
 * tmm2 = packed B (16 rows of 16 quads); edges go through zero-padded copies, so no tile reads or writes
 * outside the caller's matrices. Each TDPHF8PS step covers k0..k0+63 with k0 a multiple of 64: exactly the
 * rounding blocks of amxkernels.h, so the result equals the portable variant's bit for bit. */
#include <immintrin.h>
#include "../isa/amx.h"
#include "internal.h"

#define MEMORY_BARRIER() __asm__ volatile("" ::: "memory")

void gemm_hf8_amx(size_t M, size_t N, size_t K, const amxk_hf8 *A, size_t lda, const amxk_hf8 *Bp, float *C, size_t ldc)
{
	struct isa_tilecfg cfg;
	uint8_t abuf[16][64] __attribute__((aligned(64)));
	float cbuf[16][16] __attribute__((aligned(64)));
	size_t np = amxk_round_up(N, AMXK_NPAD);

	if (!M || !N || !K)
		return;
	memset(&cfg, 0, sizeof cfg);
	cfg.palette = 1;
	for (int t = 0; t < 3; t++)
		cfg.colsb[t] = 64, cfg.rows[t] = 16;
	MEMORY_BARRIER();
	_tile_loadconfig(&cfg);
	for (size_t i0 = 0; i0 < M; i0 += 16)
		for (size_t j0 = 0; j0 < N; j0 += 16) {
			size_t mb = M - i0 < 16 ? M - i0 : 16, nb = N - j0 < 16 ? N - j0 : 16;

			memset(cbuf, 0, sizeof cbuf);
			for (size_t r = 0; r < mb; r++)
				memcpy(cbuf[r], C + (i0 + r) * ldc + j0, nb * sizeof(float));
			MEMORY_BARRIER();
			_tile_loadd(0, cbuf, 64);
			for (size_t k0 = 0; k0 < K; k0 += AMXK_KBLOCK_HF8) {
				size_t kb = K - k0 < AMXK_KBLOCK_HF8 ? K - k0 : AMXK_KBLOCK_HF8;

				memset(abuf, 0, sizeof abuf);
				for (size_t r = 0; r < mb; r++)
					memcpy(abuf[r], A + (i0 + r) * lda + k0, kb);
				MEMORY_BARRIER();
				_tile_loadd(1, abuf, 64);
				/* rows k0/4 .. k0/4 + 15 of packed B (K is padded to 64), columns j0 .. j0 + 15 */
				_tile_loadd(2, Bp + (k0 / 4 * np + j0) * 4, np * 4);
				__asm__ volatile(".byte 0xc4, 0xe5, 0x69, 0xfd, 0xc1" ::
							 : "memory"); /* tdphf8ps %tmm2, %tmm1, %tmm0 */
			}
			_tile_stored(0, cbuf, 64);
			MEMORY_BARRIER();
			for (size_t r = 0; r < mb; r++)
				memcpy(C + (i0 + r) * ldc + j0, cbuf[r], nb * sizeof(float));
		}
	_tile_release();
}
