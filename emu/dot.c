// SPDX-License-Identifier: MIT
/* TDPBSSD/SUD/USD/UUD, TDPBF16PS, TDPFP16PS, TDP*F8PS, TCMM*FP16PS: the loops of the Intel pseudo-code. C = M x N dwords,
 * A = M x K dwords, B = K x N dwords; shapes were checked (emu_check_e4) by the caller. */
#include <string.h>

#include "fp.h"
#include "fp8.h"
#include "tiles.h"

static uint32_t dword(const uint8_t *row, unsigned i)
{
	uint32_t v;

	memcpy(&v, row + 4 * i, sizeof v);
	return v;
}

static int32_t byte_of(uint32_t x, unsigned i, int is_signed)
{
	uint8_t b = (uint8_t)(x >> (8 * i));

	return is_signed ? (int32_t)(int8_t)b : (int32_t)b;
}

/* Four byte products summed into c; wraps modulo 2^32 like the hardware. */
static uint32_t dpbd(uint32_t c, uint32_t x, uint32_t y, int sx, int sy)
{
	for (unsigned i = 0; i < 4; i++)
		c += (uint32_t)(byte_of(x, i, sx) * byte_of(y, i, sy));
	return c;
}

static void dp_int8(struct emu_tiles *t, int c, int a, int b, int sa, int sb)
{
	unsigned N = t->colsb[c] / 4, K = t->colsb[a] / 4;

	for (unsigned m = 0; m < t->rows[c]; m++) {
		uint32_t acc[16];

		for (unsigned n = 0; n < N; n++)
			acc[n] = dword(t->data[c][m], n);
		for (unsigned k = 0; k < K; k++)
			for (unsigned n = 0; n < N; n++)
				acc[n] = dpbd(acc[n], dword(t->data[a][m], k), dword(t->data[b][k], n), sa, sb);
		memset(t->data[c][m], 0, ISA_P1_BYTES_PER_ROW);
		memcpy(t->data[c][m], acc, 4 * N);
	}
}

static uint32_t half_to_fp32(uint32_t pair, unsigned hi, int fp16)
{
	uint16_t h = (uint16_t)(pair >> (16 * hi));

	return fp16 ? fp16_to_fp32(h) : bf16_to_fp32(h);
}

/* Even and odd halves accumulate separately over K (fused, FTZ/DAZ), then are added together
 * and to C: two more roundings, exactly as the pseudo-code orders them. */
static void dp_float(struct emu_tiles *t, int c, int a, int b, int fp16)
{
	unsigned N = t->colsb[c] / 4, K = t->colsb[a] / 4;

	for (unsigned m = 0; m < t->rows[c]; m++) {
		uint32_t even[16] = { 0 }, odd[16] = { 0 }, out[16];

		for (unsigned k = 0; k < K; k++) {
			uint32_t x = dword(t->data[a][m], k);

			for (unsigned n = 0; n < N; n++) {
				uint32_t y = dword(t->data[b][k], n);

				even[n] = fp32_fma(half_to_fp32(x, 0, fp16), half_to_fp32(y, 0, fp16), even[n]);
				odd[n] = fp32_fma(half_to_fp32(x, 1, fp16), half_to_fp32(y, 1, fp16), odd[n]);
			}
		}
		for (unsigned n = 0; n < N; n++)
			out[n] = fp32_add(dword(t->data[c][m], n), fp32_add(even[n], odd[n]));
		memset(t->data[c][m], 0, ISA_P1_BYTES_PER_ROW);
		memcpy(t->data[c][m], out, 4 * N);
	}
}

/* AMX-COMPLEX: each dword is a complex fp16 pair (real in the low half). Two lanes accumulate over K as in
 * dp_float, per the SDM's Operation: TCMMIMFP16PS lane 0 += A.imag * B.real, lane 1 += A.real * B.imag;
 * TCMMRLFP16PS lane 0 += A.real * B.real, lane 1 += (-A.imag) * B.imag, the fp16 sign flipped before the
 * conversion (so a NaN there changes sign). Then C + (lane 0 + lane 1). */
static void dp_complex(struct emu_tiles *t, int c, int a, int b, int real)
{
	unsigned N = t->colsb[c] / 4, K = t->colsb[a] / 4;

	for (unsigned m = 0; m < t->rows[c]; m++) {
		uint32_t lane0[16] = { 0 }, lane1[16] = { 0 }, out[16];

		for (unsigned k = 0; k < K; k++) {
			uint32_t x = dword(t->data[a][m], k);
			uint32_t ar = fp16_to_fp32((uint16_t)x), ai = fp16_to_fp32((uint16_t)(x >> 16));
			uint32_t nai = fp16_to_fp32((uint16_t)((x >> 16) ^ 0x8000));

			for (unsigned n = 0; n < N; n++) {
				uint32_t y = dword(t->data[b][k], n);
				uint32_t br = fp16_to_fp32((uint16_t)y), bi = fp16_to_fp32((uint16_t)(y >> 16));

				lane0[n] = fp32_fma(real ? ar : ai, br, lane0[n]);
				lane1[n] = fp32_fma(real ? nai : ar, bi, lane1[n]);
			}
		}
		for (unsigned n = 0; n < N; n++)
			out[n] = fp32_add(dword(t->data[c][m], n), fp32_add(lane0[n], lane1[n]));
		memset(t->data[c][m], 0, ISA_P1_BYTES_PER_ROW);
		memcpy(t->data[c][m], out, 4 * N);
	}
}

/* AMX-FP8: C[m][n] += sum over k, i < 4 of A[m].fp8[4k+i] * B[k].fp8[4n+i], as one exact sum (fp8.c). */
static void dp_fp8(struct emu_tiles *t, int c, int a, int b, enum fp8_fmt fa, enum fp8_fmt fb)
{
	unsigned N = t->colsb[c] / 4, K = t->colsb[a] / 4;

	for (unsigned m = 0; m < t->rows[c]; m++) {
		uint32_t out[16];

		for (unsigned n = 0; n < N; n++) {
			uint8_t col[4 * 16];

			for (unsigned k = 0; k < K; k++)
				for (unsigned i = 0; i < 4; i++)
					col[4 * k + i] = t->data[b][k][4 * n + i];
			out[n] = fp8_dot(dword(t->data[c][m], n), t->data[a][m], fa, col, fb, 4 * K);
		}
		memset(t->data[c][m], 0, ISA_P1_BYTES_PER_ROW);
		memcpy(t->data[c][m], out, 4 * N);
	}
}

void emu_tdp(struct emu_tiles *t, enum emu_dp kind, int c, int a, int b)
{
	switch (kind) {
	case EMU_DP_SS: dp_int8(t, c, a, b, 1, 1); break;
	case EMU_DP_SU: dp_int8(t, c, a, b, 1, 0); break;
	case EMU_DP_US: dp_int8(t, c, a, b, 0, 1); break;
	case EMU_DP_UU: dp_int8(t, c, a, b, 0, 0); break;
	case EMU_DP_BF16: dp_float(t, c, a, b, 0); break;
	case EMU_DP_FP16: dp_float(t, c, a, b, 1); break;
	case EMU_DP_BF8: dp_fp8(t, c, a, b, FP8_BF8, FP8_BF8); break;
	case EMU_DP_BHF8: dp_fp8(t, c, a, b, FP8_BF8, FP8_HF8); break;
	case EMU_DP_HBF8: dp_fp8(t, c, a, b, FP8_HF8, FP8_BF8); break;
	case EMU_DP_HF8: dp_fp8(t, c, a, b, FP8_HF8, FP8_HF8); break;
	case EMU_DP_CMMIM: dp_complex(t, c, a, b, 0); break;
	case EMU_DP_CMMRL: dp_complex(t, c, a, b, 1); break;
	}
	for (unsigned r = t->rows[c]; r < ISA_P1_MAX_ROWS; r++) /* zero_upper_rows */
		memset(t->data[c][r], 0, ISA_P1_BYTES_PER_ROW);
	t->start_row = 0;
}
