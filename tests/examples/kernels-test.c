// SPDX-License-Identifier: MIT
/* Tests for libamxkernels (examples/), one program with several modes (the drivers in this directory
 * pick the environment):
 *   variants        every usable variant of every kernel against the portable one; the portable one
 *                   against a naive GEMM on the unpacked B (checks the packing too)
 *   amx-emu         the AMX variants called through the registry though unusable: only sound under
 *                   LD_PRELOAD=libamxemu.so with AMXSHIM_DISABLE=1 (checked: the emulator must have run)
 *   hw-vs-emu LIB   real AMX: the AMX variants natively, then in a child under LIB, bit for bit
 *   dump-amx        the AMX variants' raw results on stdout (the child of hw-vs-emu)
 *   bound [--call]  which variant the loader bound and why; --call also runs the public symbols
 *   bench [M N K]   GFLOP/s of every usable variant
 * Buffers end at a PROT_NONE page, so a read or write past any matrix faults. Exit 0, 77 skip, 1 fail. */
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "amxkernels.h"
#include "kdata.h"

static size_t page;

/* Data ends exactly at a guard page. */
static void *galloc(size_t bytes)
{
	size_t span = (bytes + page - 1) / page * page;
	unsigned char *p = mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mprotect(p + span, page, PROT_NONE)) {
		perror("mmap");
		exit(99);
	}
	return p + span - bytes;
}

static void gfree(void *q, size_t bytes)
{
	size_t span = (bytes + page - 1) / page * page;
	munmap((unsigned char *)q + bytes - span, span + page);
}

struct shape {
	size_t M, N, K;
};
static const struct shape shapes[] = {
	{ 1, 1, 1 },    { 15, 17, 33 }, { 16, 16, 32 },    { 64, 64, 64 },  { 100, 3, 257 },
	{ 33, 65, 31 }, { 2, 40, 1 },   { 31, 33, 95 },    { 48, 48, 130 }, { 7, 9, 64 },
	{ 0, 5, 5 },    { 5, 5, 0 },    { 13, 1100, 300 }, /* crosses the AVX2 variant's 1024-column and 256-k blocks */
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])
/* Tight (ld = width) and loose (ld larger than the width) layouts. */
static const size_t lda_extra[] = { 0, 7 }, ldb_extra[] = { 0, 5 }, ldc_extra[] = { 0, 3 };
enum data_mode { DATA_RANDOM, DATA_EXTREME };

struct problem {
	enum amxk_kernel k;
	size_t M, N, K, lda, ldb, ldc, es; /* es: bytes per element of A and B */
	void *A, *B, *Bp, *C0;
	size_t a_bytes, b_bytes, bp_bytes, c_bytes;
};

static size_t span(size_t rows, size_t ld, size_t cols)
{
	return rows && cols ? (rows - 1) * ld + cols : 0;
}

static void make_problem(struct problem *p, enum amxk_kernel k, const struct shape *s, int layout, enum data_mode mode,
			 uint64_t seed)
{
	memset(p, 0, sizeof *p);
	p->k = k;
	p->M = s->M, p->N = s->N, p->K = s->K;
	p->lda = s->K + lda_extra[layout], p->ldb = s->N + ldb_extra[layout], p->ldc = s->N + ldc_extra[layout];
	p->es = k == AMXK_GEMM_BF16 ? 2 : 1;
	p->a_bytes = span(p->M, p->lda, p->K) * p->es;
	p->b_bytes = span(p->K, p->ldb, p->N) * p->es;
	p->bp_bytes = (k == AMXK_GEMM_BF16  ? amxk_pack_bf16_size(p->K, p->N)
		       : k == AMXK_GEMM_HF8 ? amxk_pack_hf8_size(p->K, p->N)
					    : amxk_pack_i8_size(p->K, p->N)) *
		      p->es;
	p->c_bytes = span(p->M, p->ldc, p->N) * 4;
	p->A = galloc(p->a_bytes);
	p->B = galloc(p->b_bytes);
	p->Bp = galloc(p->bp_bytes);
	p->C0 = galloc(p->c_bytes);
	rng_state = seed;
	/* Every byte, padding between rows included, gets a value: variants must ignore the padding. */
	if (k == AMXK_GEMM_BF16) {
		amxk_bf16 *a = p->A, *b = p->B;
		float *c = p->C0;
		for (size_t i = 0; i < p->a_bytes / 2; i++)
			a[i] = rnd_bf16();
		for (size_t i = 0; i < p->b_bytes / 2; i++)
			b[i] = rnd_bf16();
		for (size_t i = 0; i < p->c_bytes / 4; i++)
			c[i] = (float)((double)(int64_t)(rnd() >> 11) / (double)(1ull << 50)) - 2.0f;
		amxk_pack_bf16(p->K, p->N, b, p->ldb, p->Bp);
	} else if (k == AMXK_GEMM_HF8) {
		amxk_hf8 *a = p->A, *b = p->B;
		uint32_t *c = p->C0;
		/* Random: any finite E4M3 (subnormals, 448 and ties in the block sums included). Extreme: also NaNs
		 * (1 in 512) and C subnormal, zero, -0 or NaN. */
		for (size_t i = 0; i < p->a_bytes; i++)
			a[i] = rnd_hf8(mode == DATA_EXTREME);
		for (size_t i = 0; i < p->b_bytes; i++)
			b[i] = rnd_hf8(mode == DATA_EXTREME);
		for (size_t i = 0; i < p->c_bytes / 4; i++) {
			static const uint32_t sp[] = { 0x00000001, 0x807fffff, 0, 0x80000000, 0x7fc00001, 0x3f800000 };
			uint64_t r = rnd();
			c[i] = mode == DATA_EXTREME && r % 4 == 0
				       ? sp[(r >> 8) % 6]
				       : (uint32_t)(r >> 32 & 0x80000000u) | (uint32_t)(110 + (r >> 8) % 40) << 23 |
						 (uint32_t)(r >> 16 & 0x7fffff);
		}
		amxk_pack_hf8(p->K, p->N, b, p->ldb, p->Bp);
	} else {
		uint8_t *a = p->A, *b = p->B;
		int32_t *c = p->C0;
		/* Extreme: the products that break saturating shortcuts (VPMADDUBSW) and the sums that wrap. */
		uint8_t ea = k == AMXK_GEMM_U8S8 ? 255 : 0x80;
		for (size_t i = 0; i < p->a_bytes; i++)
			a[i] = mode == DATA_EXTREME ? ea : (uint8_t)rnd();
		for (size_t i = 0; i < p->b_bytes; i++)
			b[i] = mode == DATA_EXTREME ? 0x80 : (uint8_t)rnd();
		for (size_t i = 0; i < p->c_bytes / 4; i++)
			c[i] = mode == DATA_EXTREME ? INT32_MAX - (int32_t)(rnd() & 0xffff) : (int32_t)rnd();
		amxk_pack_i8(p->K, p->N, (const int8_t *)b, p->ldb, p->Bp);
	}
}

static void free_problem(struct problem *p)
{
	gfree(p->A, p->a_bytes);
	gfree(p->B, p->b_bytes);
	gfree(p->Bp, p->bp_bytes);
	gfree(p->C0, p->c_bytes);
}

static void call(const struct problem *p, amxshim_fn fn, void *C)
{
	switch (p->k) {
	case AMXK_GEMM_BF16: ((amxk_gemm_bf16_fn *)fn)(p->M, p->N, p->K, p->A, p->lda, p->Bp, C, p->ldc); break;
	case AMXK_GEMM_U8S8: ((amxk_gemm_u8s8_fn *)fn)(p->M, p->N, p->K, p->A, p->lda, p->Bp, C, p->ldc); break;
	case AMXK_GEMM_HF8: ((amxk_gemm_hf8_fn *)fn)(p->M, p->N, p->K, p->A, p->lda, p->Bp, C, p->ldc); break;
	default: ((amxk_gemm_s8s8_fn *)fn)(p->M, p->N, p->K, p->A, p->lda, p->Bp, C, p->ldc); break;
	}
}

/* A fresh copy of C0 with fn applied; release with gfree(c, p->c_bytes). */
static void *run(const struct problem *p, amxshim_fn fn)
{
	void *C = galloc(p->c_bytes);
	memcpy(C, p->C0, p->c_bytes);
	call(p, fn, C);
	return C;
}

/* hf8 C[i][j] from amxkernels.h's definition on the unpacked B, in double: every E4M3 value and product is
 * exact in double, and a block of 64 products (multiples of 2^-18 below 2^24 in sum) too, so the double
 * block sum is the exact sum and (float) rounds it once. */
static void c_hf8(const struct problem *p, void *C, size_t i, size_t j)
{
	const amxk_hf8 *a = p->A, *b = p->B;
	float *c = (float *)C + i * p->ldc + j, acc = *c;
	static const uint32_t qnan = 0xffc00000u;

	for (size_t k0 = 0; k0 < p->K; k0 += 64) {
		double sum = 0;
		int nan = acc != acc;

		for (size_t k = k0; k < k0 + 64 && k < p->K; k++) {
			double x = f64_of_hf8(a[i * p->lda + k]), y = f64_of_hf8(b[k * p->ldb + j]);

			nan |= x != x || y != y;
			sum += x * y;
		}
		if (nan) {
			memcpy(c, &qnan, 4);
			return;
		}
		if (fabsf(acc) < 0x1p-126f)
			acc = signbit(acc) ? -0.0f : 0.0f; /* a subnormal C reads as zero */
		acc += (float)sum;
	}
	*c = acc;
}

/* The reference written again from amxkernels.h's definition, on the unpacked B. */
static void *naive(const struct problem *p)
{
	void *C = galloc(p->c_bytes);
	memcpy(C, p->C0, p->c_bytes);
	for (size_t i = 0; i < p->M; i++)
		for (size_t j = 0; j < p->N; j++) {
			if (p->k == AMXK_GEMM_BF16) {
				const amxk_bf16 *a = p->A, *b = p->B;
				float *c = C, acc = c[i * p->ldc + j];
				for (size_t k = 0; k < p->K; k++)
					acc = acc + f32_of_bf16(a[i * p->lda + k]) * f32_of_bf16(b[k * p->ldb + j]);
				c[i * p->ldc + j] = acc;
			} else if (p->k == AMXK_GEMM_HF8) {
				c_hf8(p, C, i, j);
			} else {
				const int8_t *b = p->B;
				int32_t *c = C;
				uint32_t acc = (uint32_t)c[i * p->ldc + j];
				for (size_t k = 0; k < p->K; k++) {
					int32_t a = p->k == AMXK_GEMM_U8S8 ? ((const uint8_t *)p->A)[i * p->lda + k]
									   : ((const int8_t *)p->A)[i * p->lda + k];
					acc += (uint32_t)(a * b[k * p->ldb + j]);
				}
				c[i * p->ldc + j] = (int32_t)acc;
			}
		}
	return C;
}

/* The bf16 bound of amxk gemm (see examples/README.md): any two summation orders of the same K+1 terms,
 * each addition rounded to nearest (error <= u relative), differ by at most 2*gamma(K)*S; flushing a
 * subnormal intermediate adds at most 2^-126 per addition. */
static double bf16_tolerance(const struct problem *p, size_t i, size_t j, double *s_out)
{
	const amxk_bf16 *a = p->A, *b = p->B;
	double s = fabs((double)((const float *)p->C0)[i * p->ldc + j]);
	for (size_t k = 0; k < p->K; k++)
		s += fabs((double)f32_of_bf16(a[i * p->lda + k]) * (double)f32_of_bf16(b[k * p->ldb + j]));
	double u = ldexp(1.0, -24), n = (double)p->K, gamma = n * u / (1.0 - n * u);
	*s_out = s;
	return 2.0 * gamma * s + 2.0 * (n + 1.0) * ldexp(1.0, -126);
}

static double worst_ulps, worst_share; /* largest |diff| / (u * S) and |diff| / tolerance, for the log */

/* exact: bits must match everywhere; else bf16 elements within the tolerance. Elements outside the
 * M x N region (row padding) must match bit for bit in any case: nobody may write them. */
static int compare(const struct problem *p, const void *got, const void *want, int exact, const char *what)
{
	const uint32_t *g = got, *w = want;
	int bad = 0;
	for (size_t x = 0; x < p->c_bytes / 4; x++) {
		if (g[x] == w[x])
			continue;
		size_t i = x / p->ldc, j = x % p->ldc;
		double tol = 0, s = 0, diff = 0;
		int ok = 0;
		if (!exact && j < p->N) {
			float gf, wf;
			memcpy(&gf, &g[x], 4);
			memcpy(&wf, &w[x], 4);
			tol = bf16_tolerance(p, i, j, &s);
			diff = fabs((double)gf - (double)wf);
			ok = diff <= tol;
			if (s > 0 && diff / (ldexp(1.0, -24) * s) > worst_ulps)
				worst_ulps = diff / (ldexp(1.0, -24) * s);
			if (diff / tol > worst_share)
				worst_share = diff / tol;
		}
		if (!ok && bad++ < 5)
			printf("FAIL %s: %s %zux%zux%zu lda=%zu ldc=%zu: C[%zu][%zu] = 0x%08x, want 0x%08x"
			       " (|diff| %g > tolerance %g)%s\n",
			       what, amxk_kernel_name(p->k), p->M, p->N, p->K, p->lda, p->ldc, i, j, g[x], w[x], diff,
			       tol, j >= p->N ? " (padding written)" : "");
	}
	return bad;
}

typedef int check_fn(const struct problem *p, size_t shape, int layout, int mode);

/* Runs check over every kernel x shape x layout x data mode; returns the failure count. */
static int for_each_problem(check_fn *check)
{
	int fails = 0;
	for (int k = 0; k < AMXK_KERNEL_COUNT; k++)
		for (size_t s = 0; s < NSHAPES; s++)
			for (int layout = 0; layout < 2; layout++)
				for (int mode = 0; mode < (k == AMXK_GEMM_BF16 ? 1 : 2); mode++) {
					struct problem p;
					make_problem(&p, (enum amxk_kernel)k, &shapes[s], layout, (enum data_mode)mode,
						     1000 * s + 10 * (uint64_t)layout + (uint64_t)k);
					fails += check(&p, s, layout, mode) != 0;
					free_problem(&p);
				}
	return fails;
}

static const struct amxshim_variant *variants(enum amxk_kernel k, size_t *n)
{
	const struct amxshim_variant *v = amxk_variants(k, n);
	if (!v || *n < 2 || v[0].amx == 0 || v[*n - 1].amx != 0) {
		printf("FAIL: registry of %s: want the AMX variant first and a portable one last\n",
		       amxk_kernel_name(k));
		exit(1);
	}
	return v;
}

static int check_variants(const struct problem *p, size_t shape, int layout, int mode)
{
	(void)shape, (void)layout, (void)mode;
	size_t n;
	const struct amxshim_variant *v = variants(p->k, &n);
	int fails = 0;
	void *ref = run(p, v[n - 1].fn), *nv = naive(p);
	fails += compare(p, ref, nv, 1, "portable vs naive") != 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (!amxk_variant_usable(p->k, i))
			continue;
		void *c = run(p, v[i].fn);
		/* Only TDPBF16PS sums in another order; every other variant keeps the reference's k order with
		 * one FMA per k, so it must match bit for bit (examples/README.md). */
		int exact = p->k != AMXK_GEMM_BF16 || v[i].amx == 0;
		fails += compare(p, c, ref, exact, v[i].name) != 0;
		gfree(c, p->c_bytes);
	}
	gfree(ref, p->c_bytes);
	gfree(nv, p->c_bytes);
	return fails;
}

static int mode_variants(void)
{
	for (int k = 0; k < AMXK_KERNEL_COUNT; k++) {
		size_t n;
		const struct amxshim_variant *v = variants((enum amxk_kernel)k, &n);
		printf("%s: bound %s; variants:", amxk_kernel_name((enum amxk_kernel)k),
		       amxk_bound((enum amxk_kernel)k));
		for (size_t i = 0; i < n; i++)
			printf(" %s(%s)", v[i].name,
			       amxk_variant_usable((enum amxk_kernel)k, i) ? "tested" : "not usable here");
		printf("\n");
	}
	int fails = for_each_problem(check_variants);
	/* One product per kernel large enough for the AMX variant's cache-blocked path (packed B over 1 MiB,
	 * M >= 64), with ragged N and K: too slow for the emulator, so checked natively only. */
	static const struct shape big = { 70, 1100, 1030 };
	for (int k = 0; k < AMXK_KERNEL_COUNT; k++) {
		struct problem p;
		make_problem(&p, (enum amxk_kernel)k, &big, 1, DATA_RANDOM, 777 + (uint64_t)k);
		fails += check_variants(&p, NSHAPES, 1, DATA_RANDOM) != 0;
		free_problem(&p);
	}
	printf("bf16: largest difference seen %.2f u*S, %.1f%% of the tolerance\n", worst_ulps, 100 * worst_share);
	printf("%s: %d failing problem(s)\n", fails ? "FAIL" : "PASS", fails);
	return fails ? 1 : 0;
}

/* The emulator's counters, found at run time so this program does not link libamxemu. */
static long long emulated_count(void)
{
	void (*stats)(unsigned long long *) = (void (*)(unsigned long long *))dlsym(RTLD_DEFAULT, "amxemu_stats");
	unsigned long long buf[16] = { 0 }; /* struct amxemu_stats: emulated is the first counter */
	if (!stats)
		return -1;
	stats(buf);
	return (long long)buf[0];
}

static int check_amx(const struct problem *p, size_t shape, int layout, int mode)
{
	(void)shape, (void)layout, (void)mode;
	size_t n;
	const struct amxshim_variant *v = variants(p->k, &n);
	void *ref = run(p, v[n - 1].fn), *c = run(p, v[0].fn);
	int fails = compare(p, c, ref, p->k != AMXK_GEMM_BF16, v[0].name) != 0;
	gfree(c, p->c_bytes);
	gfree(ref, p->c_bytes);
	return fails;
}

static int mode_amx_emu(void)
{
	if (emulated_count() < 0) {
		printf("FAIL: amxemu_stats not found: run with LD_PRELOAD=libamxemu.so\n");
		return 1;
	}
	if (!getenv("AMXSHIM_DISABLE")) {
		printf("FAIL: run with AMXSHIM_DISABLE=1, so that the process never holds AMX permission\n");
		return 1;
	}
	int fails = for_each_problem(check_amx);
	long long emulated = emulated_count();
	printf("emulated AMX instructions: %lld\n", emulated);
	if (emulated <= 0) {
		printf("FAIL: the emulator executed nothing\n");
		return 1;
	}
	printf("bf16: largest difference seen %.2f u*S, %.1f%% of the tolerance\n", worst_ulps, 100 * worst_share);
	printf("%s: %d failing problem(s)\n", fails ? "FAIL" : "PASS", fails);
	return fails ? 1 : 0;
}

static int dump_one(const struct problem *p, size_t shape, int layout, int mode)
{
	(void)shape, (void)layout, (void)mode;
	size_t n;
	const struct amxshim_variant *v = variants(p->k, &n);
	void *c = run(p, v[0].fn);
	size_t put = fwrite(c, 1, p->c_bytes, stdout);
	gfree(c, p->c_bytes);
	return put != p->c_bytes;
}

static int mode_dump_amx(void)
{
	int fails = for_each_problem(dump_one);
	if (fflush(stdout) || fails)
		return 1;
	return emulated_count() > 0 ? 0 : 2; /* 2: the dump did not come from the emulator */
}

/* hw-vs-emu: the child's dump, read back problem by problem in the same order. */
static FILE *emu_dump;
static unsigned not_native[AMXK_KERNEL_COUNT]; /* problems whose AMX variant the CPU cannot run */

static int check_hw_vs_emu(const struct problem *p, size_t shape, int layout, int mode)
{
	(void)shape, (void)layout, (void)mode;
	size_t n;
	const struct amxshim_variant *v = variants(p->k, &n);
	void *emu = galloc(p->c_bytes);
	int fails = 0;
	if (fread(emu, 1, p->c_bytes, emu_dump) != p->c_bytes) {
		printf("FAIL: the emulator's dump is short\n");
		fails = 1;
	} else if (amxk_variant_usable(p->k, 0)) {
		void *hw = run(p, v[0].fn);
		fails = compare(p, emu, hw, 1, "emulator vs hardware") != 0;
		gfree(hw, p->c_bytes);
	} else if (!not_native[p->k]++) {
		/* e.g. AMX-FP8 on a CPU without it: the emulator's result has no hardware to be compared with */
		printf("note: %s is not usable natively here: compared under the emulator only\n", v[0].name);
	}
	gfree(emu, p->c_bytes);
	return fails;
}

static int mode_hw_vs_emu(const char *self, const char *emulib)
{
	if (!amxk_variant_usable(AMXK_GEMM_BF16, 0) || !amxk_variant_usable(AMXK_GEMM_U8S8, 0)) {
		struct amxshim_state st;
		amxk_why(AMXK_GEMM_BF16, &st);
		printf("SKIP: AMX is not usable natively here (%s)\n", st.detail);
		return 77;
	}
	if (access(emulib, R_OK)) {
		printf("SKIP: %s is not built yet (the AMX emulator)\n", emulib);
		return 77;
	}
	if (emulated_count() >= 0) {
		printf("FAIL: this side must run natively, without libamxemu.so\n");
		return 1;
	}
	int fd[2];
	if (pipe(fd)) {
		perror("pipe");
		return 99;
	}
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		setenv("AMXSHIM_DISABLE", "1", 1);
		setenv("LD_PRELOAD", emulib, 1);
		execl(self, self, "dump-amx", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	emu_dump = fdopen(fd[0], "r");
	int fails = for_each_problem(check_hw_vs_emu);
	char rest;
	if (fread(&rest, 1, 1, emu_dump) != 0)
		fails++, printf("FAIL: the emulator's dump is too long\n");
	fclose(emu_dump);
	int status;
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("FAIL: the emulator child exited with status 0x%x (2: nothing was emulated)\n", status);
		return 1;
	}
	printf("%s: hardware vs emulator, %d differing problem(s)\n", fails ? "FAIL" : "PASS", fails);
	return fails ? 1 : 0;
}

static int mode_bound(int do_call)
{
	for (int k = 0; k < AMXK_KERNEL_COUNT; k++) {
		struct amxshim_state st;
		amxk_why((enum amxk_kernel)k, &st);
		printf("%s%s=%s(%s)", k ? " " : "", amxk_kernel_name((enum amxk_kernel)k),
		       amxk_bound((enum amxk_kernel)k), amxshim_reason_name(st.reason));
	}
	printf("\n");
	if (!do_call)
		return 0;
	/* Through the public symbols, i.e. through the PLT and the loader's binding. */
	static const amxshim_fn public_fns[] = { (amxshim_fn)amxk_gemm_bf16, (amxshim_fn)amxk_gemm_u8s8,
						 (amxshim_fn)amxk_gemm_s8s8, (amxshim_fn)amxk_gemm_hf8 };
	_Static_assert(sizeof public_fns / sizeof public_fns[0] == AMXK_KERNEL_COUNT, "one symbol a kernel");
	static const struct shape s = { 37, 45, 70 };
	int fails = 0;
	for (int k = 0; k < AMXK_KERNEL_COUNT; k++) {
		struct problem p;
		size_t n;
		make_problem(&p, (enum amxk_kernel)k, &s, 1, DATA_RANDOM, 7);
		const struct amxshim_variant *v = variants(p.k, &n);
		void *ref = run(&p, v[n - 1].fn), *c = run(&p, public_fns[k]);
		fails += compare(&p, c, ref, k != AMXK_GEMM_BF16, "public symbol") != 0;
		gfree(ref, p.c_bytes);
		gfree(c, p.c_bytes);
		free_problem(&p);
	}
	if (fails)
		printf("FAIL: %d kernel(s) wrong through the public symbols\n", fails);
	return fails ? 1 : 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int mode_bench(size_t M, size_t N, size_t K)
{
	struct shape s = { M, N, K };
	for (int k = 0; k < AMXK_KERNEL_COUNT; k++) {
		struct problem p;
		size_t n;
		make_problem(&p, (enum amxk_kernel)k, &s, 0, DATA_RANDOM, 1);
		const struct amxshim_variant *v = variants(p.k, &n);
		void *C = galloc(p.c_bytes);
		for (size_t i = 0; i < n; i++) {
			if (!amxk_variant_usable(p.k, i))
				continue;
			memcpy(C, p.C0, p.c_bytes);
			call(&p, v[i].fn, C); /* warm up */
			int reps = 0;
			double t0 = now(), t;
			do {
				call(&p, v[i].fn, C);
				reps++;
			} while ((t = now() - t0) < 0.5);
			printf("%-16s %zux%zux%zu: %8.1f G%s/s\n", v[i].name, M, N, K,
			       2.0 * (double)M * (double)N * (double)K * reps / t / 1e9,
			       k == AMXK_GEMM_BF16 || k == AMXK_GEMM_HF8 ? "FLOP" : "OP");
		}
		gfree(C, p.c_bytes);
		free_problem(&p);
	}
	return 0;
}

int main(int argc, char **argv)
{
	page = (size_t)sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *mode = argc > 1 ? argv[1] : "variants";
	if (!strcmp(mode, "variants"))
		return mode_variants();
	if (!strcmp(mode, "amx-emu"))
		return mode_amx_emu();
	if (!strcmp(mode, "dump-amx")) {
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
		return mode_dump_amx();
	}
	if (!strcmp(mode, "hw-vs-emu") && argc == 3)
		return mode_hw_vs_emu("/proc/self/exe", argv[2]);
	if (!strcmp(mode, "bound"))
		return mode_bound(argc > 2 && !strcmp(argv[2], "--call"));
	if (!strcmp(mode, "bench"))
		return mode_bench(argc > 4 ? strtoul(argv[2], NULL, 0) : 512,
				  argc > 4 ? strtoul(argv[3], NULL, 0) : 512,
				  argc > 4 ? strtoul(argv[4], NULL, 0) : 512);
	fprintf(stderr, "usage: %s [variants|amx-emu|hw-vs-emu EMULIB|dump-amx|bound [--call]|bench [M N K]]\n",
		argv[0]);
	return 2;
}
