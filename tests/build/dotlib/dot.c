// SPDX-License-Identifier: MIT
/* A library as its author writes it against the installed resolver: one function, four variants (AMX-INT8,
 * AVX-512 VNNI, AVX2, C). tests/build/testkit.sh builds it with amxresolver-test and runs its test under
 * amxshim-test --all. n is a multiple of 64. The test builds two mistakes on purpose: -DDOT_BREAK_AMX (a
 * wrong AMX variant) and -DDOT_LAST_NEEDS_AMX (the AMX variant last, where the portable one belongs). */
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <amxshim/resolver.h>

__attribute__((visibility("default"))) int32_t dot_u8s8(const uint8_t *a, const int8_t *b, size_t n);

__attribute__((target("amx-tile,amx-int8"))) static int32_t dot_u8s8_amx(const uint8_t *a, const int8_t *b, size_t n)
{
	/* palette 1: tmm0 = C (1 row, 4 bytes), tmm1 = A (1 row, 64 bytes), tmm2 = B (16 rows of 4 bytes) */
	struct {
		uint8_t palette, start_row, reserved[14];
		uint16_t colsb[16];
		uint8_t rows[16];
	} __attribute__((aligned(64))) cfg = { .palette = 1 };
	cfg.colsb[0] = 4, cfg.rows[0] = 1;
	cfg.colsb[1] = 64, cfg.rows[1] = 1;
	cfg.colsb[2] = 4, cfg.rows[2] = 16;
	int32_t c = 0;
	_tile_loadconfig(&cfg);
	_tile_zero(0);
	for (size_t i = 0; i < n; i += 64) {
		_tile_loadd(1, a + i, 64);
		_tile_loadd(2, b + i, 4);
		_tile_dpbusd(0, 1, 2);
	}
	_tile_stored(0, &c, 4);
	_tile_release();
#ifdef DOT_BREAK_AMX
	c += 1;
#endif
	return c;
}

__attribute__((target("avx512f,avx512bw,avx512vnni"))) static int32_t dot_u8s8_vnni(const uint8_t *a, const int8_t *b,
										   size_t n)
{
	__m512i acc = _mm512_setzero_si512();
	for (size_t i = 0; i < n; i += 64)
		acc = _mm512_dpbusd_epi32(acc, _mm512_loadu_si512(a + i), _mm512_loadu_si512(b + i));
	return _mm512_reduce_add_epi32(acc);
}

__attribute__((target("avx2"))) static int32_t dot_u8s8_avx2(const uint8_t *a, const int8_t *b, size_t n)
{
	__m256i acc = _mm256_setzero_si256();
	for (size_t i = 0; i < n; i += 16) {
		__m256i x = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(a + i)));
		__m256i y = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + i)));
		acc = _mm256_add_epi32(acc, _mm256_madd_epi16(x, y));
	}
	int32_t lanes[8];
	_mm256_storeu_si256((__m256i *)lanes, acc);
	int32_t s = 0;
	for (int i = 0; i < 8; i++)
		s += lanes[i];
	return s;
}

static int32_t dot_u8s8_c(const uint8_t *a, const int8_t *b, size_t n)
{
	int32_t s = 0;
	for (size_t i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

AMXSHIM_RESOLVER_CONTEXT static int have_vnni(void)
{
	return amxshim_isa_usable(AMXSHIM_ISA_AVX512_VNNI);
}

AMXSHIM_RESOLVER_CONTEXT static int have_avx2(void)
{
	return amxshim_isa_usable(AMXSHIM_ISA_AVX2);
}

static const struct amxshim_variant dot_variants[] = {
#ifndef DOT_LAST_NEEDS_AMX
	AMXSHIM_VARIANT_OF(dot_u8s8, dot_u8s8_amx, AMXSHIM_TILE | AMXSHIM_INT8, 0),
#endif
	AMXSHIM_VARIANT_OF(dot_u8s8, dot_u8s8_vnni, 0, have_vnni),
	AMXSHIM_VARIANT_OF(dot_u8s8, dot_u8s8_avx2, 0, have_avx2),
	AMXSHIM_VARIANT_OF(dot_u8s8, dot_u8s8_c, 0, 0),
#ifdef DOT_LAST_NEEDS_AMX
	AMXSHIM_VARIANT_OF(dot_u8s8, dot_u8s8_amx, AMXSHIM_TILE | AMXSHIM_INT8, 0),
#endif
};
AMXSHIM_IFUNC(dot_u8s8, dot_variants)

__attribute__((visibility("default"))) const char *dot_u8s8_variant(void)
{
	return AMXSHIM_BOUND(dot_u8s8)->name;
}

/* For the test: the portable answer, never dispatched. */
__attribute__((visibility("default"))) int32_t dot_u8s8_reference(const uint8_t *a, const int8_t *b, size_t n)
{
	return dot_u8s8_c(a, b, n);
}
