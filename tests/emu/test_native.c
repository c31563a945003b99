// SPDX-License-Identifier: MIT
/* Emulator against the real hardware, bit for bit: the same random tiles go through libamxemu
 * in this process (no tile-data permission, so every tile instruction traps) and through the
 * CPU in a forked child that asks for permission. Exits 77 where the CPU has no usable AMX.
 * AMX-FP8 and AMX-COMPLEX cases are added where CPUID announces them. */
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "amxemu.h"
#include "amxops.h"

#ifndef CASES
#define CASES 300
#endif
#define FP8_CASES 200     /* after the CASES classic ones, where CPUID has AMX-FP8 */
#define COMPLEX_CASES 200 /* then these, where CPUID has AMX-COMPLEX */
#define ALL_CASES (CASES + FP8_CASES + COMPLEX_CASES)

struct tcase {
	enum isa_insn op;
	int m, k, n;
	struct isa_tilecfg cfg;
	uint8_t a[1024], b[1024], c[1024];
};

struct results {
	int fp16_native; /* the CPU ran TDPFP16PS (it may do so without announcing it) */
	uint8_t c[ALL_CASES][1024];
};

static uint64_t rng = 88172645463325252ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* A half (bf16 or fp16) from one of: any bits, a moderate value, or a special value. */
static uint16_t half(int fp16, int mode)
{
	static const uint16_t sp_bf[] = { 0,      0x8000, 0x7f80, 0xff80, 0x7fc1, 0xffa0,
					  0x0001, 0x807f, 0x7f7f, 0x0080, 0x3f80 };
	static const uint16_t sp_h[] = { 0,      0x8000, 0x7c00, 0xfc00, 0x7e01, 0xfd00,
					 0x0001, 0x83ff, 0x7bff, 0x0400, 0x3c00 };
	uint16_t sign = (uint16_t)(rnd() & 0x8000);

	if (mode == 0)
		return (uint16_t)rnd();
	if (mode == 2 && rnd() % 8 == 0)
		return (fp16 ? sp_h : sp_bf)[rnd() % 11];
	if (fp16) /* exponent 10..20 of 31 */
		return (uint16_t)(sign | (10 + rnd() % 11) << 10 | (rnd() & 0x3ff));
	return (uint16_t)(sign | (120 + rnd() % 16) << 7 | (rnd() & 0x7f));
}

/* AMX-FP8: any bits (NaN/Inf/subnormal included), or moderate values with cancellation, C any FP32. */
static void make_fp8_case(struct tcase *t, int i)
{
	int j, mode = i % 2;

	t->op = tdp_fp8_nth(i);
	t->m = 1 + (int)(rnd() % 16), t->k = 1 + (int)(rnd() % 16), t->n = 1 + (int)(rnd() % 16);
	if (i < 8)
		t->m = t->k = t->n = 16;
	cfg_mkn(&t->cfg, t->m, t->k, t->n);
	for (j = 0; j < 1024; j++) {
		t->a[j] = (uint8_t)(mode ? (rnd() & 0x80) | (0x28 + rnd() % 0x20) : rnd());
		t->b[j] = (uint8_t)(mode ? (rnd() & 0x80) | (0x28 + rnd() % 0x20) : rnd());
		t->c[j] = (uint8_t)rnd();
	}
}

/* AMX-COMPLEX: complex fp16 pairs from half()'s three modes, C as for the other float cases. */
static void make_complex_case(struct tcase *t, int i)
{
	int mode = i % 3, j;

	t->op = tdp_complex_nth(i);
	t->m = 1 + (int)(rnd() % 16), t->k = 1 + (int)(rnd() % 16), t->n = 1 + (int)(rnd() % 16);
	if (i < 4)
		t->m = t->k = t->n = 16;
	cfg_mkn(&t->cfg, t->m, t->k, t->n);
	for (j = 0; j < 1024; j += 4) {
		uint16_t x[2] = { half(1, mode), half(1, mode) }, y[2] = { half(1, mode), half(1, mode) };
		uint16_t z[2] = { (uint16_t)rnd(), half(0, mode == 0 ? 1 : mode) };

		memcpy(t->a + j, x, 4), memcpy(t->b + j, y, 4), memcpy(t->c + j, z, 4);
	}
}

static void make_case(struct tcase *t, int i)
{
	int mode = i % 3, j;

	t->op = tdp_nth(i);
	t->m = 1 + (int)(rnd() % 16), t->k = 1 + (int)(rnd() % 16), t->n = 1 + (int)(rnd() % 16);
	if (i < 12)
		t->m = t->k = t->n = 16;
	cfg_mkn(&t->cfg, t->m, t->k, t->n);
	for (j = 0; j < 1024; j += 2) {
		uint16_t x = (uint16_t)rnd(), y = (uint16_t)rnd(), z = (uint16_t)rnd();

		if (tdp_is_float(t->op)) {
			x = half(t->op == ISA_TDPFP16PS, mode);
			y = half(t->op == ISA_TDPFP16PS, mode);
			z = half(0, mode == 0 ? 1 : mode); /* C is fp32: its high half is a bf16 */
		}
		memcpy(t->a + j, &x, 2), memcpy(t->b + j, &y, 2);
		t->c[j] = (uint8_t)rnd(), t->c[j + 1] = (uint8_t)rnd();
		if (j % 4 == 2)
			memcpy(t->c + j, &z, 2);
	}
}

static sigjmp_buf probe_jmp;

static void probe_ill(int sig)
{
	(void)sig;
	siglongjmp(probe_jmp, 1);
}

static int ncases = CASES; /* more where CPUID has AMX-FP8 or AMX-COMPLEX */

static void run_native(struct tcase *cases, struct results *res)
{
	struct tcase t;
	int i;

	signal(SIGILL, probe_ill);
	memcpy(&t, &cases[6 * 2 + 5], sizeof t); /* an FP16 case */
	res->fp16_native = !sigsetjmp(probe_jmp, 1);
	if (res->fp16_native)
		run_tdp(ISA_TDPFP16PS, &t.cfg, t.a, t.b, t.c);
	signal(SIGILL, SIG_DFL);
	for (i = 0; i < ncases; i++) {
		memcpy(&t, &cases[i], sizeof t);
		if (t.op != ISA_TDPFP16PS || res->fp16_native)
			run_tdp(t.op, &t.cfg, t.a, t.b, t.c);
		memcpy(res->c[i], t.c, 1024);
	}
}

static int have_amx(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (d >> 24 & 1) && (d >> 25 & 1) && (d >> 22 & 1); /* TILE, INT8, BF16 */
}

/* CPUID.(1EH,1):EAX[4], read only where leaf 1EH and its subleaf 1 exist (docs/AMX-FACTS.md "The next-generation sets"). */
static int have_fp8(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid_count(0, 0, &a, &b, &c, &d) || a < 0x1e)
		return 0;
	__cpuid_count(0x1e, 0, a, b, c, d);
	if (a < 1)
		return 0;
	__cpuid_count(0x1e, 1, a, b, c, d);
	return a >> 4 & 1;
}

/* CPUID.(7,1):EDX[8], read only where leaf 7 has subleaf 1 (docs/AMX-FACTS.md). */
static int have_complex(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || a < 1)
		return 0;
	__cpuid_count(7, 1, a, b, c, d);
	return d >> 8 & 1;
}

int main(void)
{
	static struct tcase cases[ALL_CASES];
	struct results *native;
	struct amxemu_stats st;
	int i, st_child, bad[ISA_NINSNS] = { 0 }, total[ISA_NINSNS] = { 0 }, shown = 0;
	pid_t pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!have_amx()) {
		printf("SKIP: CPUID has no AMX-TILE/INT8/BF16: nothing to compare against\n");
		return 77;
	}
	for (i = 0; i < CASES; i++)
		make_case(&cases[i], i);
	if (have_fp8())
		for (; i < CASES + FP8_CASES; i++)
			make_fp8_case(&cases[i], i - CASES);
	if (have_complex())
		for (int j = 0; j < COMPLEX_CASES; j++, i++)
			make_complex_case(&cases[i], j);
	ncases = i;
	native = mmap(NULL, sizeof *native, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (native == MAP_FAILED)
		return 2;
	pid = fork();
	if (pid == 0) {
		if (syscall(SYS_arch_prctl, ISA_ARCH_REQ_XCOMP_PERM, ISA_XFEATURE_XTILEDATA) != 0)
			_exit(77);
		run_native(cases, native);
		_exit(0);
	}
	if (waitpid(pid, &st_child, 0) != pid || !WIFEXITED(st_child)) {
		printf("FAIL: native child died (status %#x)\n", st_child);
		return 1;
	}
	if (WEXITSTATUS(st_child) == 77) {
		printf("SKIP: the kernel refused AMX tile-data permission\n");
		return 77;
	}
	if (amxemu_install() != 0)
		return 2;
	for (i = 0; i < ncases; i++) {
		struct tcase *t = &cases[i];

		if (t->op == ISA_TDPFP16PS && !native->fp16_native)
			continue;
		run_tdp(t->op, &t->cfg, t->a, t->b, t->c);
		total[t->op]++;
		if (memcmp(t->c, native->c[i], 1024)) {
			bad[t->op]++;
			for (int j = 0; j < 1024 && shown < 10; j += 4) {
				uint32_t e, h;

				memcpy(&e, t->c + j, 4), memcpy(&h, native->c[i] + j, 4);
				if (e != h)
					printf("case %d op %d m%d k%d n%d row %d col %d: emulated %08x native %08x\n",
					       i, t->op, t->m, t->k, t->n, j / 64, j % 64 / 4, e, h),
						shown++;
			}
		}
	}
	amxemu_stats(&st);
	printf("emulated %llu instructions; TDPFP16PS native: %s; AMX-FP8: %s; AMX-COMPLEX: %s\n", st.emulated,
	       native->fp16_native ? "yes" : "no (not compared)", have_fp8() ? "yes" : "no (not in CPUID)",
	       have_complex() ? "yes" : "no (not in CPUID)");
	for (i = 0; i < ISA_NINSNS; i++)
		if (total[i])
			printf("%s: %d/%d cases differ\n", isa_mnemonic(i), bad[i], total[i]);
	if (st.emulated == 0) {
		printf("FAIL: nothing was emulated: the comparison proved nothing\n");
		return 1;
	}
	for (i = 0; i < ISA_NINSNS; i++)
		if (bad[i])
			return 1;
	return 0;
}
