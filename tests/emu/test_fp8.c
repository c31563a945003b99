// SPDX-License-Identifier: MIT
/* The AMX-FP8 arithmetic (emu/fp8.c) on hand-computed cases: each expected value is worked out in the
 * comment next to it from the format definitions, not taken from the code under test. The random cases
 * are checked against an exact rational model in tests/emu/fp8_model.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fp8.h"
#include "tiles.h"

#define QNAN 0xffc00000u

static void test_decode_bf8(void **state)
{
	(void)state;
	assert_int_equal(fp8_to_fp32(0x3c, FP8_BF8), 0x3f800000); /* 0.01111.00 = 1.0 */
	assert_int_equal(fp8_to_fp32(0xbd, FP8_BF8), 0xbfa00000); /* 1.01111.01 = -1.25 */
	assert_int_equal(fp8_to_fp32(0x7b, FP8_BF8), 0x47600000); /* max normal 1.75 * 2^15 = 57344 */
	assert_int_equal(fp8_to_fp32(0x04, FP8_BF8), 0x38800000); /* min normal 2^-14 */
	assert_int_equal(fp8_to_fp32(0x01, FP8_BF8), 0x37800000); /* min subnormal 0.25 * 2^-14 = 2^-16 */
	assert_int_equal(fp8_to_fp32(0x83, FP8_BF8), 0xb8400000); /* -0.75 * 2^-14 */
	assert_int_equal(fp8_to_fp32(0x80, FP8_BF8), 0x80000000); /* -0 */
	assert_int_equal(fp8_to_fp32(0x7c, FP8_BF8), 0x7f800000); /* +Inf */
	assert_int_equal(fp8_to_fp32(0xfc, FP8_BF8), 0xff800000); /* -Inf */
	for (unsigned v = 0x7d; v <= 0x7f; v++) {                 /* NaN: exponent 11111, mantissa != 0 */
		assert_int_equal(fp8_to_fp32((uint8_t)v, FP8_BF8), QNAN);
		assert_int_equal(fp8_to_fp32((uint8_t)(v | 0x80), FP8_BF8), QNAN);
	}
	/* BF8 is the upper byte of an IEEE binary16: 0x3c00 = 1.0, 0x7bff... so 0x78 = 0x7800 = 32768 */
	assert_int_equal(fp8_to_fp32(0x78, FP8_BF8), 0x47000000);
}

static void test_decode_hf8(void **state)
{
	(void)state;
	assert_int_equal(fp8_to_fp32(0x38, FP8_HF8), 0x3f800000); /* 0.0111.000 = 1.0 */
	assert_int_equal(fp8_to_fp32(0xc4, FP8_HF8), 0xc0400000); /* 1.1000.100 = -1.5 * 2 = -3 */
	assert_int_equal(fp8_to_fp32(0x7e, FP8_HF8), 0x43e00000); /* max 1.75 * 2^8 = 448 */
	assert_int_equal(fp8_to_fp32(0x78, FP8_HF8), 0x43800000); /* exponent 1111 is normal: 256 */
	assert_int_equal(fp8_to_fp32(0x08, FP8_HF8), 0x3c800000); /* min normal 2^-6 */
	assert_int_equal(fp8_to_fp32(0x01, FP8_HF8), 0x3b000000); /* min subnormal 0.125 * 2^-6 = 2^-9 */
	assert_int_equal(fp8_to_fp32(0x87, FP8_HF8), 0xbc600000); /* -0.875 * 2^-6 */
	assert_int_equal(fp8_to_fp32(0x7f, FP8_HF8), QNAN);       /* the only NaNs: S.1111.111 */
	assert_int_equal(fp8_to_fp32(0xff, FP8_HF8), QNAN);
}

static uint32_t dot4(uint32_t c, uint32_t a, enum fp8_fmt fa, uint32_t b, enum fp8_fmt fb)
{
	uint8_t x[4], y[4];

	memcpy(x, &a, 4), memcpy(y, &b, 4);
	return fp8_dot(c, x, fa, y, fb, 4);
}

static void test_dot_exact_sum(void **state)
{
	/* 57344*57344 + 2^-16*2^-16 - 57344*57344 + 0: exactly 2^-32 = 0x2f800000. Summing in FP32 (or in
	 * double, pairwise) would lose the 2^-32. */
	uint8_t a[4] = { 0x7b, 0x01, 0xfb, 0x00 }, b[4] = { 0x7b, 0x01, 0x7b, 0x3c };

	(void)state;
	assert_int_equal(fp8_dot(0, a, FP8_BF8, b, FP8_BF8, 4), 0x2f800000);
	/* mixed: HF8 448 * BF8 57344 = 25690112 (exact in FP32: 0x4bc40000) */
	assert_int_equal(dot4(0, 0x7e, FP8_HF8, 0x7b, FP8_BF8), 0x4bc40000);
	assert_int_equal(dot4(0, 0x7b, FP8_BF8, 0x7e, FP8_HF8), 0x4bc40000);
	/* HF8: 1.0*1.0 + (-3)*1.5 + 2^-9*2^-9 + 0 = -3.5 + 2^-18 = -(3.5 - 2^-18) = -11.0111..1b (ones from
	 * 2^-2 to 2^-18): -1.10 followed by 17 ones * 2^1, exact in FP32: mantissa 0x5ffff0 */
	assert_int_equal(dot4(0, 0x0001c438, FP8_HF8, 0x00013c38, FP8_HF8), 0xc05ffff0);
}

static void test_dot_one_rounding_then_add(void **state)
{
	(void)state;
	/* BF8 0x6c = 4096: 4096^2 + 1 + 1 + 1 = 2^24 + 3, rounded once (ties to even) to 2^24 + 4 = 0x4b800002.
	 * Rounding after each product would give 2^24 (each +1 is a tie that goes to even). */
	assert_int_equal(dot4(0, 0x3c3c3c6c, FP8_BF8, 0x3c3c3c6c, FP8_BF8), 0x4b800002);
	/* 2^24 + 1 rounds to 2^24; then + dst 1.0 = 2^24 + 1 rounds to 2^24 again: 0x4b800000. One rounding of
	 * the whole (2^24 + 2) would be 0x4b800001: the sum is rounded before the add. */
	assert_int_equal(dot4(0x3f800000, 0x0000006c, FP8_BF8, 0x00003c6c, FP8_BF8), 0x4b800000);
	assert_int_equal(dot4(0x3f800000, 0x00003c6c, FP8_BF8, 0x00003c6c, FP8_BF8), 0x4b800000);
	/* dst 1.5 + (1.0 * 0.25) = 1.75 exactly */
	assert_int_equal(dot4(0x3fc00000, 0x38, FP8_HF8, 0x34, FP8_BF8), 0x3fe00000);
}

static void test_dot_specials(void **state)
{
	(void)state;
	/* any NaN input: default QNaN, payload of dst not kept */
	assert_int_equal(dot4(0, 0x3c3c3c7d, FP8_BF8, 0x3c3c3c3c, FP8_BF8), QNAN);
	assert_int_equal(dot4(0, 0x7f, FP8_HF8, 0x3c, FP8_BF8), QNAN);
	assert_int_equal(dot4(0x7fc12345, 0x38, FP8_HF8, 0x38, FP8_HF8), QNAN);
	assert_int_equal(dot4(0x7f800001, 0, FP8_HF8, 0, FP8_HF8), QNAN); /* signalling NaN dst */
	/* Inf * 0 */
	assert_int_equal(dot4(0, 0x7c, FP8_BF8, 0x80, FP8_BF8), QNAN);
	/* +Inf and -Inf in one sum */
	assert_int_equal(dot4(0, 0x7c00007c, FP8_BF8, 0xbc00003c, FP8_BF8), QNAN);
	/* Inf * finite: signed Inf, finite products do not matter */
	assert_int_equal(dot4(0x3f800000, 0x7c7b, FP8_BF8, 0xbc7b, FP8_BF8), 0xff800000);
	assert_int_equal(dot4(0, 0x7c, FP8_BF8, 0x38, FP8_HF8), 0x7f800000);
	assert_int_equal(dot4(0x7f800000, 0x7c, FP8_BF8, 0x38, FP8_HF8), 0x7f800000);
	assert_int_equal(dot4(0xff800000, 0x7c, FP8_BF8, 0x38, FP8_HF8), QNAN);       /* -Inf dst + Inf */
	assert_int_equal(dot4(0xff800000, 0x38, FP8_HF8, 0x38, FP8_HF8), 0xff800000); /* Inf dst stays */
	/* HF8 0x78..0x7e are finite: 448 * 448 = 200704 = 0x48440000 */
	assert_int_equal(dot4(0, 0x7e, FP8_HF8, 0x7e, FP8_HF8), 0x48440000);
}

static void test_dot_zero_and_denormal(void **state)
{
	(void)state;
	/* -0 * 1 sums to an exact zero, which is +0; -0 + +0 = +0 under RNE */
	assert_int_equal(dot4(0x80000000, 0x80, FP8_BF8, 0x3c, FP8_BF8), 0);
	assert_int_equal(dot4(0x80000000, 0, FP8_BF8, 0, FP8_BF8), 0);
	/* +1 - 1 = 0 exactly */
	assert_int_equal(dot4(0, 0x3c3c, FP8_BF8, 0xbc3c, FP8_BF8), 0);
	/* UNCERTAIN rule (Bochs FP8 model): a denormal dst reads as zero */
	assert_int_equal(dot4(0x00000001, 0, FP8_BF8, 0, FP8_BF8), 0);
	assert_int_equal(dot4(0x807fffff, 0, FP8_BF8, 0, FP8_BF8), 0);
	/* FP8 subnormals are never flushed: 2^-16 * 2^-9 = 2^-25 = 0x33000000 */
	assert_int_equal(dot4(0, 0x01, FP8_BF8, 0x01, FP8_HF8), 0x33000000);
}

/* The tile loop: C[m][n] += sum_k sum_i A[m].fp8[4k+i] * B[k].fp8[4n+i] (A and B in different formats). */
static void test_tile_indexing(void **state)
{
	static struct emu_tiles t;
	uint8_t img[64] = { 1 };
	uint32_t c;

	(void)state;
	/* C: 2 x 2 dwords, A: 2 x 2 dwords (8 fp8 a row), B: 2 x 2 dwords */
	img[16] = 8, img[48] = 2; /* tmm0 = C */
	img[18] = 8, img[49] = 2; /* tmm1 = A */
	img[20] = 8, img[50] = 2; /* tmm2 = B */
	assert_int_equal(emu_ldtilecfg(&t, img), 0);
	/* A row 1 (HF8): element 5 = 2.0 (0x40), others 0. B (BF8) row 1 (k=1), dword 1 (n=1), byte 1 = 4.0
	 * (0x44): C[1][1] = A[1].fp8[4*1+1] * B[1].fp8[4*1+1] = 8.0 */
	t.data[1][1][5] = 0x40;
	t.data[2][1][5] = 0x44;
	t.data[2][1][1] = 0x3c; /* B[1] dword 0 byte 1: pairs with A[m].fp8[5] into C[m][0] */
	memcpy(t.data[0][0], (uint32_t[]){ 0x3f800000 }, 4); /* C[0][0] = 1 stays 1 */
	t.data[0][5][0] = 0xff;                              /* a row beyond rows[C]: zeroed */
	emu_tdp(&t, EMU_DP_HBF8, 0, 1, 2);
	memcpy(&c, t.data[0][1] + 4, 4);
	assert_int_equal(c, 0x41000000); /* 8.0 */
	memcpy(&c, t.data[0][1], 4);
	assert_int_equal(c, 0x40000000); /* 2.0 * 1.0 */
	memcpy(&c, t.data[0][0], 4);
	assert_int_equal(c, 0x3f800000);
	assert_int_equal(t.data[0][5][0], 0);
	assert_int_equal(t.data[0][1][8], 0); /* beyond colsb: zeroed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_bf8),    cmocka_unit_test(test_decode_hf8),
		cmocka_unit_test(test_dot_exact_sum), cmocka_unit_test(test_dot_one_rounding_then_add),
		cmocka_unit_test(test_dot_specials),  cmocka_unit_test(test_dot_zero_and_denormal),
		cmocka_unit_test(test_tile_indexing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
