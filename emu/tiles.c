// SPDX-License-Identifier: MIT
/* Tile configuration, TILEZERO, TILELOADD/TILESTORED following the pseudo-code of the Intel ISA
 * extensions reference (LDTILECFG, TILELOADD, TILESTORED) and the exception classes AMX-E3/E5,
 * with the details measured on Sapphire-Rapids-class hardware noted where they matter. */
#include <string.h>

#include "tiles.h"

static void zero_data(struct amx_tiles *t)
{
	memset(t->data, 0, sizeof t->data);
}

static int nonzero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 1;
	return 0;
}

int amx_ldtilecfg(struct amx_tiles *t, const uint8_t img[64])
{
	uint16_t colsb[AMX_NTILES];
	int i;

	if (img[0] == 0) { /* palette 0 is the INIT state, whatever the other bytes hold */
		amx_tilerelease(t);
		return 0;
	}
	if (img[0] != 1 || nonzero(img + 2, 14) || nonzero(img + 32, 16) || nonzero(img + 56, 8))
		return -1;
	for (i = 0; i < AMX_NTILES; i++) {
		colsb[i] = (uint16_t)(img[16 + 2 * i] | img[17 + 2 * i] << 8);
		if (colsb[i] > AMX_ROWBYTES || img[48 + i] > AMX_MAXROWS || !colsb[i] != !img[48 + i])
			return -1; /* both zero (unused) or both set */
	}
	t->palette = 1;
	t->start_row = img[1]; /* not validated by the hardware: a later load/store checks it */
	memcpy(t->colsb, colsb, sizeof colsb);
	memcpy(t->rows, img + 48, AMX_NTILES);
	zero_data(t);
	return 0;
}

void amx_sttilecfg(const struct amx_tiles *t, uint8_t img[64])
{
	int i;

	memset(img, 0, 64);
	if (!t->palette)
		return;
	img[0] = t->palette;
	img[1] = t->start_row;
	for (i = 0; i < AMX_NTILES; i++) {
		img[16 + 2 * i] = (uint8_t)t->colsb[i];
		img[17 + 2 * i] = (uint8_t)(t->colsb[i] >> 8);
		img[48 + i] = t->rows[i];
	}
}

void amx_tilerelease(struct amx_tiles *t)
{
	t->palette = 0;
	t->start_row = 0;
	memset(t->colsb, 0, sizeof t->colsb);
	memset(t->rows, 0, sizeof t->rows);
	zero_data(t);
}

static int valid(const struct amx_tiles *t, int tile)
{
	return t->palette && tile >= 0 && tile < AMX_NTILES && t->rows[tile] && t->colsb[tile];
}

int amx_check_e5(const struct amx_tiles *t, int tile)
{
	return valid(t, tile) ? 0 : -1; /* measured: TILEZERO accepts a colsb that is not 4k */
}

int amx_check_e3(const struct amx_tiles *t, int tile)
{
	if (!valid(t, tile) || t->colsb[tile] % 4 || t->start_row >= t->rows[tile])
		return -1;
	return 0;
}

int amx_check_e4(const struct amx_tiles *t, int c, int a, int b)
{
	if (c == a || c == b || a == b || !valid(t, c) || !valid(t, a) || !valid(t, b))
		return -1;
	if (t->colsb[c] % 4 || t->colsb[a] % 4 || t->colsb[b] % 4)
		return -1;
	/* C = M x N, A = M x K, B = K x N (in dwords); TMUL limits K <= 16, N <= 16 dwords. */
	if (t->colsb[c] != t->colsb[b] || t->rows[c] != t->rows[a] || t->colsb[a] / 4 != t->rows[b])
		return -1;
	return 0;
}

void amx_tilezero(struct amx_tiles *t, int tile)
{
	memset(t->data[tile], 0, sizeof t->data[tile]);
	t->start_row = 0;
}

static uint64_t row_addr(uint64_t base, uint64_t stride, unsigned r, int addr32, uint64_t seg)
{
	uint64_t a = base + r * stride;

	return seg + (addr32 ? (uint32_t)a : a);
}

int amx_tileload(struct amx_tiles *t, int tile, uint64_t base, uint64_t stride, int addr32,
		 uint64_t seg, struct emu_fault *f)
{
	unsigned r = t->start_row, n = t->colsb[tile];

	/* Rows from start_row up are zeroed first, so an interrupted load leaves a clean tail. */
	memset(t->data[tile][r], 0, (size_t)(AMX_MAXROWS - r) * AMX_ROWBYTES);
	for (; r < t->rows[tile]; r++) {
		if (emu_read(t->data[tile][r], row_addr(base, stride, r, addr32, seg), n, f) != 0) {
			memset(t->data[tile][r], 0, AMX_ROWBYTES);
			t->start_row = (uint8_t)r;
			return -1;
		}
	}
	t->start_row = 0;
	return 0;
}

int amx_tilestore(struct amx_tiles *t, int tile, uint64_t base, uint64_t stride, int addr32,
		  uint64_t seg, struct emu_fault *f)
{
	unsigned r = t->start_row;

	for (; r < t->rows[tile]; r++) {
		if (emu_write(row_addr(base, stride, r, addr32, seg), t->data[tile][r], t->colsb[tile], f)) {
			t->start_row = (uint8_t)r;
			return -1;
		}
	}
	t->start_row = 0;
	return 0;
}
