/* SPDX-License-Identifier: MIT */
/* Per-thread AMX state (palette 1 only) and the instruction semantics on it: pure functions of
 * the state plus memory, so unit tests can run them without any signal. */
#ifndef AMXEMU_TILES_H
#define AMXEMU_TILES_H

#include <stdint.h>
#include "mem.h"

#define AMX_NTILES 8
#define AMX_MAXROWS 16
#define AMX_ROWBYTES 64

struct amx_tiles {
	uint8_t palette;   /* 0: not configured (INIT state) */
	uint8_t start_row; /* restart point of an interrupted load/store */
	uint16_t colsb[AMX_NTILES];
	uint8_t rows[AMX_NTILES];
	uint8_t data[AMX_NTILES][AMX_MAXROWS][AMX_ROWBYTES];
};

/* LDTILECFG: -1 when the hardware would raise #GP (state unchanged). */
int amx_ldtilecfg(struct amx_tiles *t, const uint8_t img[64]);
/* STTILECFG's 64-byte image: zeros when not configured. */
void amx_sttilecfg(const struct amx_tiles *t, uint8_t img[64]);
void amx_tilerelease(struct amx_tiles *t);

/* Exception-class checks (Intel ISE 2.10): 0 = runs, -1 = #UD. */
int amx_check_e3(const struct amx_tiles *t, int tile); /* TILELOADD, TILESTORED */
int amx_check_e4(const struct amx_tiles *t, int c, int a, int b); /* TDP* */
int amx_check_e5(const struct amx_tiles *t, int tile); /* TILEZERO */

void amx_tilezero(struct amx_tiles *t, int tile);
/* Row addresses are seg + trunc(base + r * stride), trunc = 32 bits when addr32. 0 or -1 with
 * *f filled and t->start_row set to the faulting row, as the hardware leaves it. */
int amx_tileload(struct amx_tiles *t, int tile, uint64_t base, uint64_t stride, int addr32,
		 uint64_t seg, struct emu_fault *f);
int amx_tilestore(struct amx_tiles *t, int tile, uint64_t base, uint64_t stride, int addr32,
		  uint64_t seg, struct emu_fault *f);

enum amx_dp { DP_SS, DP_SU, DP_US, DP_UU, DP_BF16, DP_FP16 };
void amx_tdp(struct amx_tiles *t, enum amx_dp kind, int c, int a, int b);

#endif
