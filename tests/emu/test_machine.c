// SPDX-License-Identifier: MIT
/* The emulator's reads of the machine go through emu/machine.h, and only there: linked with the fake
 * (fake_machine.c), the frame layout, XCR0 and the FS/GS bases are the fake's on any machine, so the
 * paths of a CPU without APX or AVX-512 state run everywhere (test_nextgen takes them only where the CPU
 * lacks the state) and a segment-prefixed address uses the base the seam returns. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "amxemu.h"
#include "fake_machine.h"
#include "frame.h"
#include "inchild.h"

static struct isa_tilecfg full = { .palette = 1 };

static void config_full(void)
{
	for (int i = 0; i < 8; i++)
		full.colsb[i] = 64, full.rows[i] = 16;
}

static void apx_load(void)
{
	static uint8_t src[16 * 64];

	__asm__ volatile("ldtilecfg (%0)" ::"r"(&full) : "memory");
	/* tileloadd 8(%r16,%r17), %tmm3 */
	__asm__ volatile(".byte 0x62,0xfa,0x7b,0x08,0x4b,0x5c,0x08,0x08" ::"r"(src) : "memory");
}

/* The default fake describes no APX component (CPUID.(0xD,19) = 0): the frame cannot hold r16-r31. */
static void test_no_apx_state(void **state)
{
	const char *err;
	int sig;

	(void)state;
	config_full();
	err = in_child(apx_load, &sig);
	assert_int_equal(sig, SIGILL);
	assert_non_null(strstr(err, "libamxemu: tileloadd at 0x"));
	assert_non_null(strstr(err, "no APX state"));
}

static void tilemovrow_zmm22(void)
{
	__asm__ volatile("ldtilecfg (%0)" ::"r"(&full) : "memory");
	{
		register long row __asm__("rcx") = 0;

		/* tilemovrow %ecx, %tmm3, %zmm22 (llvm-mc-22) */
		__asm__ volatile(".byte 0x62,0xe2,0x75,0x48,0x4a,0xf3" ::"r"(row) : "memory");
	}
}

/* ... nor ZMM_Hi256 and Hi16_ZMM (CPUID.(0xD,6/7) = 0): AMX-AVX512 cannot write its ZMM destination. */
static void test_no_avx512_state(void **state)
{
	const char *err;
	int sig;

	(void)state;
	config_full();
	err = in_child(tilemovrow_zmm22, &sig);
	assert_int_equal(sig, SIGILL);
	assert_non_null(strstr(err, "libamxemu: tilemovrow at 0x"));
	assert_non_null(strstr(err, "no AVX-512"));
}

/* %fs: and %gs: addresses add the base the seam returns (the real ones are this thread's TLS and 0). */
static void test_segment_base(void **state)
{
	static uint8_t src[2][16 * 64], dst[16 * 64];

	(void)state;
	assert_int_equal(amxemu_install(), 0);
	config_full();
	for (size_t i = 0; i < sizeof src[0]; i++)
		src[0][i] = (uint8_t)(i * 7 + 1), src[1][i] = (uint8_t)(i * 3 + 5);
	fake_machine.fs_base = (uintptr_t)src[0];
	fake_machine.gs_base = (uintptr_t)src[1];
	for (int s = 0; s < 2; s++) {
		register long base __asm__("r8") = 0;
		register long idx __asm__("r9") = 64;
		unsigned fs = fake_machine.fs_calls, gs = fake_machine.gs_calls;

		memset(dst, 0, sizeof dst);
		__asm__ volatile("ldtilecfg (%0)" ::"r"(&full) : "memory");
		/* tileloadd %fs:(%r8,%r9,1), %tmm3 / the same with %gs: (binutils) */
		if (s == 0)
			__asm__ volatile(".byte 0x64,0xc4,0x82,0x7b,0x4b,0x1c,0x08" ::"r"(base), "r"(idx) : "memory");
		else
			__asm__ volatile(".byte 0x65,0xc4,0x82,0x7b,0x4b,0x1c,0x08" ::"r"(base), "r"(idx) : "memory");
		__asm__ volatile("tilestored %%tmm3, (%0,%1,1)\n\ttilerelease" ::"r"(dst), "r"(64L) : "memory");
		assert_memory_equal(dst, src[s], sizeof dst);
		assert_int_equal(fake_machine.fs_calls - fs, s == 0);
		assert_int_equal(fake_machine.gs_calls - gs, s == 1);
	}
}

/* The layout, XCR0's XTILECFG bit and the tile config's offset are what CPUID and XGETBV say: a machine
 * with AVX-512, AMX and APX state (offsets of Sapphire Rapids and of Intel's APX layout) on any CPU. Last:
 * frame_init() only fills, so the tests above see the default fake. */
static void test_layout_from_cpuid(void **state)
{
	static const uint32_t want[FRAME_NX][2] = {
		[FRAME_X_AVX] = { 256, 576 },       [FRAME_X_ZMM_HI256] = { 512, 1152 },
		[FRAME_X_HI16_ZMM] = { 1024, 1664 }, [FRAME_X_APX] = { 128, 2432 },
	};
	const struct frame_layout *l = frame_cpu_layout();

	(void)state;
	assert_int_equal(amxemu_install(), 0); /* the first frame_init(), from the default fake */
	assert_int_equal(frame_xcr0_tilecfg(), 0);
	assert_int_equal(l->size[FRAME_X_ZMM_HI256] | l->size[FRAME_X_HI16_ZMM] | l->size[FRAME_X_APX], 0);
	for (int i = FRAME_X_AVX; i < FRAME_NX; i++)
		fake_machine.xsave[i][0] = want[i][0], fake_machine.xsave[i][1] = want[i][1];
	fake_machine.xsave[ISA_XFEATURE_XTILECFG][0] = ISA_TILECFG_BYTES;
	fake_machine.xsave[ISA_XFEATURE_XTILECFG][1] = 2752;
	fake_machine.xcr0 = 0x7 | 0xe0 | 1u << ISA_XFEATURE_XTILECFG | 1u << ISA_XFEATURE_APX;
	frame_init();
	for (int i = FRAME_X_AVX; i < FRAME_NX; i++) {
		if (!want[i][0])
			continue; /* components the emulator does not use (MPX, ..., XTILECFG) */
		assert_int_equal(l->size[i], want[i][0]);
		assert_int_equal(l->off[i], want[i][1]);
	}
	assert_int_equal(frame_xcr0_tilecfg(), 1);
	/* no OSXSAVE: XGETBV is not executed */
	{
		unsigned x = fake_machine.xgetbv_calls;

		fake_machine.leaf1_ecx = 0;
		frame_init();
		assert_int_equal(fake_machine.xgetbv_calls, x);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_apx_state),
		cmocka_unit_test(test_no_avx512_state),
		cmocka_unit_test(test_segment_base),
		cmocka_unit_test(test_layout_from_cpuid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
