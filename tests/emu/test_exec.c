// SPDX-License-Identifier: MIT
/* Runs assembler-made AMX instructions through the SIGILL handler: every addressing form,
 * int8 wrapping, bf16/fp16 edge values, per-thread state. Expected values are computed here by
 * hand or by plain C loops, never taken from the emulator. AMXEMU_TEST_NATIVE=1 asks for tile
 * permission first, so the same expectations can be checked against a real AMX CPU. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <asm/prctl.h>
#include <cmocka.h>

#include "amxemu.h"
#include "amxops.h"

static int native;
static struct isa_tilecfg full; /* tmm0-7: 16 rows x 64 bytes */
static uint8_t src[16 * 256], dst[16 * 64];

/* cmocka installs its own SIGILL handler around each test function: take SIGILL back (for
 * anything not AMX the emulator chains to cmocka's handler). */
static void take_sigill(void)
{
	if (!native)
		assert_int_equal(amxemu_install(), 0);
}

static unsigned long long emulated(void)
{
	struct amxemu_stats s;

	amxemu_stats(&s);
	return s.emulated;
}

static void fill_src(void)
{
	for (size_t i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)(i * 7 + 3);
}

/* dst must hold 16 rows of 64 bytes, row r taken from base + r * stride. */
static void check_rows(const uint8_t *base, long stride)
{
	for (int r = 0; r < 16; r++)
		assert_memory_equal(dst + 64 * r, base + r * stride, 64);
}

static void store_tmm(int t)
{
	memset(dst, 0xee, sizeof dst);
	switch (t) {
	case 1: __asm__ volatile("tilestored %%tmm1, (%0,%1,1)" ::"r"(dst), "r"(64L) : "memory"); break;
	case 2: __asm__ volatile("tilestored %%tmm2, (%0,%1,1)" ::"r"(dst), "r"(64L) : "memory"); break;
	case 3: __asm__ volatile("tilestored %%tmm3, (%0,%1,1)" ::"r"(dst), "r"(64L) : "memory"); break;
	case 5: __asm__ volatile("tilestored %%tmm5, (%0,%1,1)" ::"r"(dst), "r"(64L) : "memory"); break;
	case 7: __asm__ volatile("tilestored %%tmm7, (%0,%1,1)" ::"r"(dst), "r"(64L) : "memory"); break;
	}
}

static void test_config_rip_relative(void **state)
{
	static struct isa_tilecfg out;

	(void)state;
	take_sigill();
	/* "m" on static objects makes GCC write sym(%rip): the RIP-relative form */
	__asm__ volatile("ldtilecfg %1\n\tsttilecfg %0" : "=m"(out) : "m"(full) : "memory");
	assert_memory_equal(&out, &full, 64);
	__asm__ volatile("tilerelease\n\tsttilecfg %0" : "=m"(out)::"memory");
	assert_int_equal(out.palette, 0);
	assert_int_equal(out.colsb[0], 0);
}

static void test_load_r8_r9_scaled(void **state)
{
	unsigned long long before;

	(void)state;
	take_sigill();
	fill_src();
	__asm__ volatile("ldtilecfg (%0)" ::"r"(&full) : "memory");
	before = emulated();
	{ /* register variables only hold when set right before the asm that uses them */
		register const uint8_t *base __asm__("r8") = src + 3;
		register long idx __asm__("r9") = 32; /* stride = 32 << 2 */

		__asm__ volatile("tileloadd (%0,%1,4), %%tmm3" ::"r"(base), "r"(idx) : "memory");
	}
	store_tmm(3);
	check_rows(src + 3, 128);
	if (!native)
		assert_int_equal(emulated(), before + 2); /* the load and the store */
}

static void test_load_r13_r12_disp8(void **state)
{
	(void)state;
	take_sigill();
	fill_src();
	__asm__ volatile("ldtilecfg (%0)" ::"r"(&full) : "memory");
	{
		register const uint8_t *base __asm__("r13") = src;
		register long idx __asm__("r12") = 100;

		__asm__ volatile("tileloaddt1 0x11(%0,%1,1), %%tmm7" ::"r"(base), "r"(idx) : "memory");
	}
	store_tmm(7);
	check_rows(src + 0x11, 100);
}

static void test_load_rbp_disp32(void **state)
{
	(void)state;
	take_sigill();
	fill_src();
	__asm__ volatile("ldtilecfg (%0)" ::"r"(&full) : "memory");
	__asm__ volatile("mov %%rbp, %%r11\n\tmov %0, %%rbp\n\t"
			 "tileloadd 0x180(%%rbp,%1,2), %%tmm5\n\tmov %%r11, %%rbp" ::"r"((uintptr_t)src - 0x100),
			 "r"(60L)
			 : "r11", "memory");
	store_tmm(5);
	check_rows(src + 0x80, 120);
}

/* RSP as the base: point RSP into a big buffer, so the signal frame lands below the data. */
static uint8_t stack_area[256 * 1024] __attribute__((aligned(64)));

static void test_load_rsp_base(void **state)
{
	uint8_t *top = stack_area + sizeof stack_area - 16 * 256;

	(void)state;
	take_sigill();
	for (int i = 0; i < 16 * 256; i++)
		top[i] = (uint8_t)(i ^ 0x5a);
	__asm__ volatile("ldtilecfg (%0)" ::"r"(&full) : "memory");
	__asm__ volatile("mov %%rsp, %%r11\n\tmov %0, %%rsp\n\t"
			 "tileloadd 0x40(%%rsp,%1,1), %%tmm1\n\tmov %%r11, %%rsp" ::"r"(top),
			 "r"(128L)
			 : "r11", "memory");
	store_tmm(1);
	check_rows(top + 0x40, 128);
}

/* No base register: disp32 is the address, so the data must live below 2 GiB. */
static void test_load_no_base_and_addr32(void **state)
{
	uint8_t *low = mmap((void *)0x40000000, 1 << 16, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	(void)state;
	take_sigill();
	if (low != (void *)0x40000000)
		skip();
	for (int i = 0; i < 1 << 16; i++)
		low[i] = (uint8_t)(i * 13);
	__asm__ volatile("ldtilecfg (%0)" ::"r"(&full) : "memory");
	__asm__ volatile("tileloadd 0x40000010(,%0,1), %%tmm2" ::"r"(256L) : "memory");
	store_tmm(2);
	check_rows(low + 0x10, 256);
	/* 0x67: the upper halves of base and index must be ignored */
	__asm__ volatile("tileloadd 4(%k0,%k1,1), %%tmm2" ::"r"(0xdead000040000000UL), "r"(0xffffffff00000080UL)
			 : "memory");
	store_tmm(2);
	check_rows(low + 4, 128);
	munmap(low, 1 << 16);
}

static __thread uint8_t tls_buf[16 * 64];

static void test_load_fs_segment(void **state)
{
	uint64_t fsbase;
	long off;

	(void)state;
	take_sigill();
	syscall(SYS_arch_prctl, ARCH_GET_FS, &fsbase);
	off = (long)((uintptr_t)tls_buf - fsbase);
	for (int i = 0; i < 16 * 64; i++)
		tls_buf[i] = (uint8_t)(255 - i);
	__asm__ volatile("ldtilecfg (%0)" ::"r"(&full) : "memory");
	__asm__ volatile("tileloadd %%fs:(%0,%1,1), %%tmm3" ::"r"(off), "r"(64L) : "memory");
	store_tmm(3);
	check_rows(tls_buf, 64);
}

static void test_store_r15_r14_scaled(void **state)
{
	static uint8_t out[16 * 640];

	(void)state;
	take_sigill();
	fill_src();
	memset(out, 0xcc, sizeof out);
	__asm__ volatile("ldtilecfg (%0)\n\ttileloadd (%1,%2,1), %%tmm6" ::"r"(&full), "r"(src), "r"(256L) : "memory");
	{
		register uint8_t *base __asm__("r15") = out;
		register long idx __asm__("r14") = 64;

		__asm__ volatile("tilestored %%tmm6, 0x1234(%0,%1,4)" ::"r"(base), "r"(idx) : "memory");
	}
	for (int r = 0; r < 16; r++) {
		assert_memory_equal(out + 0x1234 + 256 * r, src + 256 * r, 64);
		assert_int_equal(out[0x1234 + 256 * r + 64], 0xcc); /* nothing past colsb */
	}
}

/* A 3-row, 12-byte tile: rows past `rows` and bytes past colsb read back as zero. */
static void test_partial_tile_and_zero(void **state)
{
	struct isa_tilecfg c = full;

	(void)state;
	take_sigill();
	fill_src();
	c.colsb[1] = 12, c.rows[1] = 3;
	__asm__ volatile("ldtilecfg (%0)\n\ttileloadd (%1,%2,1), %%tmm1" ::"r"(&c), "r"(src), "r"(64L) : "memory");
	c.colsb[1] = 64, c.rows[1] = 16; /* widen only for reading back, after reloading config */
	store_tmm(1);                    /* stores 3 x 12 bytes into dst (rest 0xee) */
	for (int r = 0; r < 16; r++)
		for (int j = 0; j < 64; j++)
			assert_int_equal(dst[64 * r + j], r < 3 && j < 12 ? src[64 * r + j] : 0xee);
	__asm__ volatile("ldtilecfg (%0)\n\ttileloadd (%1,%2,1), %%tmm7\n\ttilezero %%tmm7" ::"r"(&full), "r"(src),
			 "r"(64L)
			 : "memory");
	store_tmm(7);
	for (int i = 0; i < 16 * 64; i++)
		assert_int_equal(dst[i], 0);
}

static uint32_t c_out[256];

static void tdp_int8(enum isa_insn op, uint8_t abyte, uint8_t bbyte, uint32_t c0)
{
	static uint8_t a[1024], b[1024], c[1024];

	memset(a, abyte, sizeof a), memset(b, bbyte, sizeof b);
	for (int i = 0; i < 256; i++)
		memcpy(c + 4 * i, &c0, 4);
	cfg_mkn(&full, 16, 16, 16);
	run_tdp(op, &full, a, b, c);
	memcpy(c_out, c, sizeof c_out);
}

static void test_int8_signs_and_wrap(void **state)
{
	(void)state;
	take_sigill();
	/* K=16 dwords x 4 bytes = 64 products each. 0xff x 0x80: */
	tdp_int8(ISA_TDPBSSD, 0xff, 0x80, 0);
	assert_int_equal(c_out[17], 64 * 128); /* (-1)(-128) */
	tdp_int8(ISA_TDPBSUD, 0xff, 0x80, 0);
	assert_int_equal(c_out[17], (uint32_t)(64 * -128)); /* (-1)(128) */
	tdp_int8(ISA_TDPBUSD, 0xff, 0x80, 5);
	assert_int_equal(c_out[17], (uint32_t)(5 + 64 * -32640)); /* 255 x (-128) */
	tdp_int8(ISA_TDPBUUD, 0xff, 0x80, 0);
	assert_int_equal(c_out[17], 64 * 32640);
	/* 64 x 127 x 127 = 1032256 added to INT32_MAX wraps to negative */
	tdp_int8(ISA_TDPBSSD, 0x7f, 0x7f, 0x7fffffff);
	assert_int_equal(c_out[255], (uint32_t)0x7fffffff + 1032256u);
	/* UU maximum: 64 x 255 x 255 = 4161600, from 0xfff00000 wraps past zero */
	tdp_int8(ISA_TDPBUUD, 0xff, 0xff, 0xfff00000u);
	assert_int_equal(c_out[0], 0xfff00000u + 4161600u);
	cfg_mkn(&full, 16, 16, 16);
	full.colsb[3] = full.colsb[4] = full.colsb[5] = full.colsb[6] = full.colsb[7] = 64;
	full.rows[3] = full.rows[4] = full.rows[5] = full.rows[6] = full.rows[7] = 16;
}

/* One 1x1x1 (or 1xKx1) bf16/fp16 dot product: C += A.even*B.even + A.odd*B.odd. */
static uint32_t dot1(enum isa_insn op, int k, const uint16_t *a, const uint16_t *b, uint32_t c)
{
	static uint8_t ta[1024], tb[1024], tc[1024];
	struct isa_tilecfg cfg;
	uint32_t r;

	memset(ta, 0, sizeof ta), memset(tb, 0, sizeof tb), memset(tc, 0, sizeof tc);
	memcpy(ta, a, 4 * (size_t)k);
	for (int i = 0; i < k; i++)
		memcpy(tb + 64 * i, b + 2 * i, 4);
	memcpy(tc, &c, 4);
	cfg_mkn(&cfg, 1, k, 1);
	run_tdp(op, &cfg, ta, tb, tc);
	memcpy(&r, tc, 4);
	return r;
}

static void test_bf16_edges(void **state)
{
	const uint16_t one_one[2] = { 0x3f80, 0x3f80 };
	uint16_t a[4];

	(void)state;
	take_sigill();
	a[0] = 0x3f80, a[1] = 0x4000; /* (1, 2) . (3, 0.5) + 10 = 14 */
	assert_int_equal(dot1(ISA_TDPBF16PS, 1, a, (uint16_t[]){ 0x4040, 0x3f00 }, 0x41200000), 0x41600000);
	a[0] = 0x7fc1, a[1] = 0x3f80; /* quiet NaN: payload kept */
	assert_int_equal(dot1(ISA_TDPBF16PS, 1, a, one_one, 0x3f800000), 0x7fc10000);
	a[0] = 0x7f81; /* signalling NaN: quietened */
	assert_int_equal(dot1(ISA_TDPBF16PS, 1, a, one_one, 0), 0x7fc10000);
	a[0] = 0x7f80, a[1] = 0; /* inf x 1 */
	assert_int_equal(dot1(ISA_TDPBF16PS, 1, a, one_one, 0x3f800000), 0x7f800000);
	a[0] = 0x7f80, a[1] = 0; /* inf x 0: the x86 default NaN */
	assert_int_equal(dot1(ISA_TDPBF16PS, 1, a, (uint16_t[]){ 0, 0 }, 0), 0xffc00000);
	a[0] = 0x7f80, a[1] = 0xff80; /* inf + -inf */
	assert_int_equal(dot1(ISA_TDPBF16PS, 1, a, one_one, 0), 0xffc00000);
	a[0] = 0x0001, a[1] = 0; /* denormal input reads as 0 (else 2^-133 x 2^127 = 2^-6) */
	assert_int_equal(dot1(ISA_TDPBF16PS, 1, a, (uint16_t[]){ 0x7f00, 0 }, 0x3f800000), 0x3f800000);
	a[0] = 0x0d80, a[1] = 0; /* 2^-100 x 2^-30: denormal result flushed to +0 */
	assert_int_equal(dot1(ISA_TDPBF16PS, 1, a, (uint16_t[]){ 0x3080, 0 }, 0), 0);
	assert_int_equal(dot1(ISA_TDPBF16PS, 1, a, (uint16_t[]){ 0x3080, 0 }, 0x00000001), 0); /* DAZ on C */
	a[0] = 0x8000, a[1] = 0x8000; /* -0 products start from +0 sums: -0 + (+0) = +0 */
	assert_int_equal(dot1(ISA_TDPBF16PS, 1, a, one_one, 0x80000000), 0);
	a[0] = 0xbf80, a[1] = 0; /* -1 x 1 + 1 = +0 (round to nearest: +0) */
	assert_int_equal(dot1(ISA_TDPBF16PS, 1, a, one_one, 0x3f800000), 0);
	/* Order of the roundings: even 2^24, odd 1 -> 2^24 + 1 rounds to 2^24, then -2^24 -> 0. */
	a[0] = 0x4b80, a[1] = 0x3f80;
	assert_int_equal(dot1(ISA_TDPBF16PS, 1, a, one_one, 0xcb800000), 0);
	/* Over K: the even lane sums 2^24 + 1 -> 2^24 before C is added. */
	a[0] = 0x4b80, a[1] = 0, a[2] = 0x3f80, a[3] = 0;
	assert_int_equal(dot1(ISA_TDPBF16PS, 2, a, (uint16_t[]){ 0x3f80, 0, 0x3f80, 0 }, 0xcb800000), 0);
	/* Even 2^24 + 2 and odd 1: 2^24 + 3 is a tie between 2^24+2 and 2^24+4 -> +4 (even). */
	a[0] = 0x4b80, a[1] = 0x3f80, a[2] = 0x4000, a[3] = 0;
	assert_int_equal(dot1(ISA_TDPBF16PS, 2, a, (uint16_t[]){ 0x3f80, 0x3f80, 0x3f80, 0 }, 0xcb800000), 0x40800000);
}

static void test_fp16_edges(void **state)
{
	uint16_t a[2];

	(void)state;
	take_sigill();
	a[0] = 0x0001, a[1] = 0; /* fp16 denormal 2^-24 is kept: 2^-24 x 1 */
	assert_int_equal(dot1(ISA_TDPFP16PS, 1, a, (uint16_t[]){ 0x3c00, 0 }, 0), 0x33800000);
	a[0] = 0x3c00, a[1] = 0xc000; /* 1 x 65504 + (-2) x 0.5 = 65503 */
	assert_int_equal(dot1(ISA_TDPFP16PS, 1, a, (uint16_t[]){ 0x7bff, 0x3800 }, 0), 0x477fdf00);
	a[0] = 0x7e01, a[1] = 0; /* fp16 NaN payload moves to fp32 bits 22:13 */
	assert_int_equal(dot1(ISA_TDPFP16PS, 1, a, (uint16_t[]){ 0x3c00, 0 }, 0), 0x7fc02000);
}

/* Each thread configures its own shapes and data; nothing may leak between threads. */
static pthread_barrier_t bar;

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	struct isa_tilecfg c;
	uint8_t in[1024], out[1024];
	long bad = 0;

	memset(&c, 0, sizeof c);
	c.palette = 1, c.colsb[4] = (uint16_t)(4 * (id + 1)), c.rows[4] = (uint8_t)(id + 2);
	for (int i = 0; i < 1024; i++)
		in[i] = (uint8_t)(id * 31 + i);
	__asm__ volatile("ldtilecfg (%0)\n\ttileloadd (%1,%2,1), %%tmm4" ::"r"(&c), "r"(in), "r"(64L) : "memory");
	for (int round = 0; round < 50; round++) {
		pthread_barrier_wait(&bar); /* the other threads load their own tiles meanwhile */
		memset(out, 0, sizeof out);
		__asm__ volatile("tilestored %%tmm4, (%0,%1,1)" ::"r"(out), "r"(64L) : "memory");
		for (int r = 0; r < id + 2; r++)
			bad += memcmp(out + 64 * r, in + 64 * r, (size_t)(4 * (id + 1))) != 0;
		__asm__ volatile("tileloadd (%0,%1,1), %%tmm4" ::"r"(in), "r"(64L) : "memory");
	}
	return (void *)bad;
}

static void test_threads_private_state(void **state)
{
	pthread_t th[4];
	void *bad;

	(void)state;
	take_sigill();
	pthread_barrier_init(&bar, NULL, 4);
	for (intptr_t i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker, (void *)i), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], &bad);
		assert_int_equal((intptr_t)bad, 0);
	}
	pthread_barrier_destroy(&bar);
}

static int setup(void **state)
{
	(void)state;
	cfg_mkn(&full, 16, 16, 16);
	for (int t = 3; t < 8; t++)
		full.colsb[t] = 64, full.rows[t] = 16;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_config_rip_relative, setup),
		cmocka_unit_test_setup(test_load_r8_r9_scaled, setup),
		cmocka_unit_test_setup(test_load_r13_r12_disp8, setup),
		cmocka_unit_test_setup(test_load_rbp_disp32, setup),
		cmocka_unit_test_setup(test_load_rsp_base, setup),
		cmocka_unit_test_setup(test_load_no_base_and_addr32, setup),
		cmocka_unit_test_setup(test_load_fs_segment, setup),
		cmocka_unit_test_setup(test_store_r15_r14_scaled, setup),
		cmocka_unit_test_setup(test_partial_tile_and_zero, setup),
		cmocka_unit_test_setup(test_int8_signs_and_wrap, setup),
		cmocka_unit_test_setup(test_bf16_edges, setup),
		cmocka_unit_test_setup(test_fp16_edges, setup),
		cmocka_unit_test_setup(test_threads_private_state, setup),
	};
	const char *nat = getenv("AMXEMU_TEST_NATIVE");

	native = nat && *nat == '1' && syscall(SYS_arch_prctl, ISA_ARCH_REQ_XCOMP_PERM, ISA_XFEATURE_XTILEDATA) == 0;
	if (!native && amxemu_install() != 0)
		return 2;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
