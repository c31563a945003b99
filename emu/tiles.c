// SPDX-License-Identifier: MIT
/* Tile configuration, TILEZERO, TILELOADD/TILESTORED following the pseudo-code of the Intel ISA
 * extensions reference (LDTILECFG, TILELOADD, TILESTORED) and the exception classes AMX-E3/E5,
 * with the details measured on Sapphire-Rapids-class hardware noted where they matter. */
#include <string.h>

#include "tiles.h"

/* Byte offsets of tile i's fields in the 64-byte image (colsb: u16 little endian). */
#define COLSB(i) (ISA_TILECFG_COLSB + 2 * (i))
#define ROWS(i) (ISA_TILECFG_ROWS + (i))

static void zero_data(struct emu_tiles *t)
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

int emu_ldtilecfg(struct emu_tiles *t, const uint8_t img[ISA_TILECFG_BYTES])
{
	uint16_t colsb[ISA_P1_NTILES];

	if (img[ISA_TILECFG_PALETTE] == 0) { /* palette 0 is the INIT state, whatever the other bytes hold */
		emu_tilerelease(t);
		return 0;
	}
	/* palette 1 only; reserved bytes and the slots of tiles 8-15 must be zero */
	if (img[ISA_TILECFG_PALETTE] != 1 ||
	    nonzero(img + ISA_TILECFG_RESERVED, ISA_TILECFG_COLSB - ISA_TILECFG_RESERVED) ||
	    nonzero(img + COLSB(ISA_P1_NTILES), 2 * (ISA_TILECFG_MAX_TILES - ISA_P1_NTILES)) ||
	    nonzero(img + ROWS(ISA_P1_NTILES), ISA_TILECFG_MAX_TILES - ISA_P1_NTILES))
		return -1;
	for (int i = 0; i < ISA_P1_NTILES; i++) {
		colsb[i] = (uint16_t)(img[COLSB(i)] | img[COLSB(i) + 1] << 8);
		if (colsb[i] > ISA_P1_BYTES_PER_ROW || img[ROWS(i)] > ISA_P1_MAX_ROWS || !colsb[i] != !img[ROWS(i)])
			return -1; /* both zero (unused) or both set */
	}
	t->palette = 1;
	t->start_row = img[ISA_TILECFG_START_ROW]; /* not validated by the hardware: a later load/store checks it */
	memcpy(t->colsb, colsb, sizeof colsb);
	memcpy(t->rows, img + ROWS(0), ISA_P1_NTILES);
	zero_data(t);
	return 0;
}

void emu_sttilecfg(const struct emu_tiles *t, uint8_t img[ISA_TILECFG_BYTES])
{
	memset(img, 0, ISA_TILECFG_BYTES);
	if (!t->palette)
		return;
	img[ISA_TILECFG_PALETTE] = t->palette;
	img[ISA_TILECFG_START_ROW] = t->start_row;
	for (int i = 0; i < ISA_P1_NTILES; i++) {
		img[COLSB(i)] = (uint8_t)t->colsb[i];
		img[COLSB(i) + 1] = (uint8_t)(t->colsb[i] >> 8);
		img[ROWS(i)] = t->rows[i];
	}
}

void emu_tilerelease(struct emu_tiles *t)
{
	t->palette = 0;
	t->start_row = 0;
	memset(t->colsb, 0, sizeof t->colsb);
	memset(t->rows, 0, sizeof t->rows);
	zero_data(t);
}

static int valid(const struct emu_tiles *t, int tile)
{
	return t->palette && tile >= 0 && tile < ISA_P1_NTILES && t->rows[tile] && t->colsb[tile];
}

int emu_check_e5(const struct emu_tiles *t, int tile)
{
	return valid(t, tile) ? 0 : -1; /* measured: TILEZERO accepts a colsb that is not 4k */
}

int emu_check_e3(const struct emu_tiles *t, int tile)
{
	if (!valid(t, tile) || t->colsb[tile] % 4 || t->start_row >= t->rows[tile])
		return -1;
	return 0;
}

int emu_check_e4(const struct emu_tiles *t, int c, int a, int b)
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

void emu_tilezero(struct emu_tiles *t, int tile)
{
	memset(t->data[tile], 0, sizeof t->data[tile]);
	t->start_row = 0;
}

static uint64_t row_addr(uint64_t base, uint64_t stride, unsigned r, int addr32, uint64_t seg)
{
	uint64_t a = base + r * stride;

	return seg + (addr32 ? (uint32_t)a : a);
}

int emu_tileload(struct emu_tiles *t, int tile, uint64_t base, uint64_t stride, int addr32, uint64_t seg,
		 struct emu_fault *f)
{
	unsigned r = t->start_row, n = t->colsb[tile];

	/* Rows from start_row up are zeroed first, so an interrupted load leaves a clean tail. */
	memset(t->data[tile][r], 0, (size_t)(ISA_P1_MAX_ROWS - r) * ISA_P1_BYTES_PER_ROW);
	for (; r < t->rows[tile]; r++) {
		if (emu_read(t->data[tile][r], row_addr(base, stride, r, addr32, seg), n, f) != 0) {
			memset(t->data[tile][r], 0, ISA_P1_BYTES_PER_ROW);
			t->start_row = (uint8_t)r;
			return -1;
		}
	}
	t->start_row = 0;
	return 0;
}

int emu_tilestore(struct emu_tiles *t, int tile, uint64_t base, uint64_t stride, int addr32, uint64_t seg,
		  struct emu_fault *f)
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
