/* SPDX-License-Identifier: MIT */
/* Per-thread AMX state (palette 1 only) and the instruction semantics on it: pure functions of
 * the state plus memory, so unit tests can run them without any signal. */
#ifndef AMXEMU_TILES_H
#define AMXEMU_TILES_H

#include <stdint.h>

#include "../isa/amx.h"
#include "mem.h"

struct emu_tiles {
	uint8_t palette;   /* 0: not configured (INIT state) */
	uint8_t start_row; /* restart point of an interrupted load/store */
	uint16_t colsb[ISA_P1_NTILES];
	uint8_t rows[ISA_P1_NTILES];
	uint8_t data[ISA_P1_NTILES][ISA_P1_MAX_ROWS][ISA_P1_BYTES_PER_ROW];
};

/* LDTILECFG: -1 when the hardware would raise #GP (state unchanged). */
int emu_ldtilecfg(struct emu_tiles *t, const uint8_t img[ISA_TILECFG_BYTES]);
/* STTILECFG's 64-byte image: zeros when not configured. */
void emu_sttilecfg(const struct emu_tiles *t, uint8_t img[ISA_TILECFG_BYTES]);
void emu_tilerelease(struct emu_tiles *t);

/* Exception-class checks (Intel ISE 2.10): 0 = runs, -1 = #UD. */
int emu_check_e3(const struct emu_tiles *t, int tile);            /* TILELOADD, TILESTORED */
int emu_check_e4(const struct emu_tiles *t, int c, int a, int b); /* TDP* */
int emu_check_e5(const struct emu_tiles *t, int tile);            /* TILEZERO */

void emu_tilezero(struct emu_tiles *t, int tile);
/* Row addresses are seg + trunc(base + r * stride), trunc = 32 bits when addr32. 0 or -1 with
 * *f filled and t->start_row set to the faulting row, as the hardware leaves it. */
int emu_tileload(struct emu_tiles *t, int tile, uint64_t base, uint64_t stride, int addr32, uint64_t seg,
		 struct emu_fault *f);
int emu_tilestore(struct emu_tiles *t, int tile, uint64_t base, uint64_t stride, int addr32, uint64_t seg,
		  struct emu_fault *f);

/* AMX-FP8: BF8xBF8 (TDPBF8PS), BF8xHF8 (TDPBHF8PS), HF8xBF8 (TDPHBF8PS), HF8xHF8 (TDPHF8PS); A's format first.
 * AMX-COMPLEX: the imaginary (TCMMIMFP16PS) and real (TCMMRLFP16PS) parts of complex fp16 products. */
/* clang-format off */
enum emu_dp { EMU_DP_SS, EMU_DP_SU, EMU_DP_US, EMU_DP_UU, EMU_DP_BF16, EMU_DP_FP16, EMU_DP_BF8, EMU_DP_BHF8,
	      EMU_DP_HBF8, EMU_DP_HF8, EMU_DP_CMMIM, EMU_DP_CMMRL };
/* clang-format on */
void emu_tdp(struct emu_tiles *t, enum emu_dp kind, int c, int a, int b);

/* AMX-AVX512 (row.c): the 64-byte ZMM value from row `row`, bytes chunk.. of tile `tile`. */
enum emu_rowop { EMU_ROW_MOV, EMU_ROW_D2PS, EMU_ROW_BF16H, EMU_ROW_BF16L, EMU_ROW_PHH, EMU_ROW_PHL };
void emu_row(const struct emu_tiles *t, enum emu_rowop kind, int tile, unsigned row, unsigned chunk, uint8_t out[64]);

#endif
