// SPDX-License-Identifier: MIT
/* AMX-AVX512: one tile row to a ZMM value (TILEMOVROW, TCVTROWD2PS, TCVTROWPS2BF16H/L, TCVTROWPS2PHH/L),
 * following the pseudo-code in clang-22's amxavx512intrin.h (the same as GCC's test models):
 * dword i of the 64 bytes is 0 when i + row_chunk/4 >= colsb/4, else converted from the row's dword
 * row_chunk/4 + i; H variants put the 16-bit result in the high word of each dword, L in the low one.
 * Conversions round to nearest even whatever MXCSR says. Rules the sources do not settle are marked in
 * emu/README.md ("AMX-AVX512 rules"). */
#include <string.h>

#include "tiles.h"

/* INT32 -> FP32, round to nearest even. */
static uint32_t i32_to_fp32(int32_t v)
{
	uint32_t sign = v < 0 ? 0x80000000u : 0, u = v < 0 ? -(uint32_t)v : (uint32_t)v, keep, rem;
	int top = 31, shift;

	if (!u)
		return 0;
	while (!(u >> top))
		top--;
	if (top <= 23)
		return sign | (uint32_t)(top + 127) << 23 | ((u << (23 - top)) & 0x7fffffu);
	shift = top - 23;
	keep = u >> shift;
	rem = u & ((1u << shift) - 1);
	if (rem > 1u << (shift - 1) || (rem == 1u << (shift - 1) && (keep & 1)))
		keep++;
	if (keep >> 24)
		keep >>= 1, top++;
	return sign | (uint32_t)(top + 127) << 23 | (keep & 0x7fffffu);
}

/* FP32 -> BF16 as AVX512-BF16's VCVTNEPS2BF16 (Bochs uses the same routine for TCVTROWPS2BF16): RNE,
 * denormal inputs read as zero, NaN quieted (bit 6 of the bf16 set). */
static uint16_t fp32_to_bf16(uint32_t x)
{
	if ((x & 0x7fffffffu) > 0x7f800000u)
		return (uint16_t)((x >> 16) | 0x40);
	if (!(x & 0x7f800000u))
		return (uint16_t)((x >> 16) & 0x8000);
	return (uint16_t)((x + 0x7fffu + ((x >> 16) & 1)) >> 16);
}

/* FP32 -> FP16, RNE, IEEE (overflow to Inf, FP16 denormals produced, NaN quieted keeping the payload's top
 * bits). FP32 denormals are far below FP16's range, so DAZ cannot change the result. */
static uint16_t fp32_to_fp16(uint32_t x)
{
	uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
	int exp = (int)((x >> 23) & 0xff) - 127 + 15;
	uint32_t man = (x & 0x7fffffu) | 0x800000u, keep, rem, half;
	int shift;

	if ((x & 0x7fffffffu) > 0x7f800000u)
		return (uint16_t)(sign | 0x7e00 | ((x >> 13) & 0x3ff));
	if ((x & 0x7fffffffu) == 0x7f800000u)
		return (uint16_t)(sign | 0x7c00);
	if (!(x & 0x7f800000u))
		return sign;
	/* value = man * 2^(exp - 15 - 23); FP16 keeps 11 bits down to 2^-24 */
	shift = exp >= 1 ? 13 : 14 - exp;
	if (shift > 25)
		return sign; /* below half the smallest denormal */
	keep = man >> shift;
	rem = man & ((1u << shift) - 1);
	half = 1u << (shift - 1);
	if (rem > half || (rem == half && (keep & 1)))
		keep++;
	if (exp < 1) /* denormal (or rounded up to the smallest normal: the carry lands in the exponent) */
		return (uint16_t)(sign | keep);
	if (keep >> 11)
		keep >>= 1, exp++;
	if (exp >= 31)
		return (uint16_t)(sign | 0x7c00);
	return (uint16_t)(sign | exp << 10 | (keep & 0x3ff));
}

void emu_row(const struct emu_tiles *t, enum emu_rowop kind, int tile, unsigned row, unsigned chunk, uint8_t out[64])
{
	const uint8_t *src = t->data[tile][row < ISA_P1_MAX_ROWS ? row : 0];

	memset(out, 0, 64);
	/* rows past the tile's: zero (the recommended reading of the conflicting sources; see README) */
	if (row >= t->rows[tile])
		return;
	if (kind == EMU_ROW_MOV) { /* byte granular: byte i is 0 when chunk + i >= colsb */
		for (unsigned i = 0; i < 64 && chunk + i < t->colsb[tile]; i++)
			out[i] = src[chunk + i];
		return;
	}
	for (unsigned i = 0; i < 16; i++) {
		uint32_t v, r;

		if (i + chunk / 4 >= t->colsb[tile] / 4u) /* also covers every chunk > 0 in palette 1 */
			continue;
		memcpy(&v, src + chunk + 4 * i, 4);
		switch (kind) {
		case EMU_ROW_D2PS: r = i32_to_fp32((int32_t)v); break;
		case EMU_ROW_BF16H: r = (uint32_t)fp32_to_bf16(v) << 16; break;
		case EMU_ROW_BF16L: r = fp32_to_bf16(v); break;
		case EMU_ROW_PHH: r = (uint32_t)fp32_to_fp16(v) << 16; break;
		default: r = fp32_to_fp16(v); break;
		}
		memcpy(out + 4 * i, &r, 4);
	}
}
