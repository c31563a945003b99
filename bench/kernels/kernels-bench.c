// SPDX-License-Identifier: MIT
/* Speed of the example kernels (examples/), single thread; used by scripts/bench-kernels, which prints the
 * markdown around these rows. Never part of make check, never an assert on a time.
 *   freq                 the core clock in GHz, measured with a chain of dependent IMULs
 *   variants ROUNDS S..  one markdown row per usable variant: GFLOP/s (GOP/s for int8) at each size S^3
 *   openblas ROUNDS S..  the AVX2 bf16 variant against OpenBLAS sgemm (dlopen'd libopenblas.so.0, one
 *                        thread; OPENBLAS_CORETYPE comes from the environment) on the same values as
 *                        binary32, one markdown row per size; exit 3 when OpenBLAS cannot be loaded
 * Every figure is the median of ROUNDS rounds; in each round every contender runs once, in turn, a batch of
 * calls lasting about BATCH_NS, so a busy machine slows all of them alike and ratios come from one run. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "amxkernels.h"
#include "../../tests/examples/kdata.h"
#include "../stats.h"

#define BATCH_NS 30e6
#define MAXC 16

struct contender {
	const char *name;
	void (*run)(const struct contender *c);
	const void *fn;
	size_t M, N, K;
	void *A, *B, *C; /* B is packed for the kernels */
	double unit_ns;  /* one call, calibrated */
	long reps;       /* calls per batch */
	double gops[64];
	int rounds;
};

static void run_bf16(const struct contender *c)
{
	((amxk_gemm_bf16_fn *)c->fn)(c->M, c->N, c->K, c->A, c->K, c->B, c->C, c->N);
}

static void run_u8s8(const struct contender *c)
{
	((amxk_gemm_u8s8_fn *)c->fn)(c->M, c->N, c->K, c->A, c->K, c->B, c->C, c->N);
}

static void run_s8s8(const struct contender *c)
{
	((amxk_gemm_s8s8_fn *)c->fn)(c->M, c->N, c->K, c->A, c->K, c->B, c->C, c->N);
}

/* cblas_sgemm with the CBLAS enum values (RowMajor 101, NoTrans 111): no header needed. */
typedef void sgemm_fn(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
static void run_sgemm(const struct contender *c)
{
	((sgemm_fn *)c->fn)(101, 111, 111, (int)c->M, (int)c->N, (int)c->K, 1.0f, c->A, (int)c->K, c->B, (int)c->N,
			    1.0f, c->C, (int)c->N);
}

static void *xalloc(size_t bytes)
{
	void *p = aligned_alloc(64, (bytes + 63) / 64 * 64);
	if (!p) {
		perror("aligned_alloc");
		exit(2);
	}
	memset(p, 0, bytes);
	return p;
}

/* The operands of one kernel at size S^3, shared by its variants (each has its own C). */
struct data {
	void *A, *B, *Bp, *Af, *Bf;
};

static void make_data(struct data *d, enum amxk_kernel k, size_t S)
{
	memset(d, 0, sizeof *d);
	if (k == AMXK_GEMM_BF16) {
		amxk_bf16 *a = xalloc(S * S * 2), *b = xalloc(S * S * 2);
		float *af = xalloc(S * S * 4), *bf = xalloc(S * S * 4);
		for (size_t i = 0; i < S * S; i++) {
			a[i] = rnd_bf16(), b[i] = rnd_bf16();
			af[i] = f32_of_bf16(a[i]), bf[i] = f32_of_bf16(b[i]);
		}
		d->Bp = xalloc(amxk_pack_bf16_size(S, S) * 2);
		amxk_pack_bf16(S, S, b, S, d->Bp);
		d->A = a, d->B = b, d->Af = af, d->Bf = bf;
	} else {
		uint8_t *a = xalloc(S * S), *b = xalloc(S * S);
		for (size_t i = 0; i < S * S; i++)
			a[i] = (uint8_t)rnd(), b[i] = (uint8_t)rnd();
		d->Bp = xalloc(amxk_pack_i8_size(S, S));
		amxk_pack_i8(S, S, (const int8_t *)b, S, d->Bp);
		d->A = a, d->B = b;
	}
}

static void free_data(struct data *d)
{
	free(d->A), free(d->B), free(d->Bp), free(d->Af), free(d->Bf);
}

static void add(struct contender *cs, int *n, const char *name, void (*run)(const struct contender *), const void *fn,
		size_t S, void *A, void *B)
{
	struct contender *c = &cs[(*n)++];
	memset(c, 0, sizeof *c);
	c->name = name, c->run = run, c->fn = fn, c->M = c->N = c->K = S, c->A = A, c->B = B;
	c->C = xalloc(S * S * 4);
	for (size_t i = 0; i < S * S; i++)
		((float *)c->C)[i] = (float)(rnd() % 1000) / 500.0f - 1.0f;
}

/* Calibrates, then ROUNDS interleaved rounds. A contender whose batch is a single call longer than a
 * second (the portable variants at 1024^3) stops after 3 rounds. */
static void measure(struct contender *cs, int n, int rounds)
{
	for (int i = 0; i < n; i++) {
		cs[i].run(&cs[i]); /* warm up: page faults, lazy binding, AMX permission */
		double t0 = bench_now_ns();
		cs[i].run(&cs[i]);
		cs[i].unit_ns = bench_now_ns() - t0;
		cs[i].reps = cs[i].unit_ns >= BATCH_NS ? 1 : (long)(BATCH_NS / (cs[i].unit_ns + 1)) + 1;
	}
	for (int r = 0; r < rounds && r < 64; r++)
		for (int i = 0; i < n; i++) {
			struct contender *c = &cs[i];
			if (c->rounds >= 3 && c->reps == 1 && c->unit_ns > 1e9)
				continue;
			double t0 = bench_now_ns();
			for (long j = 0; j < c->reps; j++)
				c->run(c);
			double t = bench_now_ns() - t0;
			c->gops[c->rounds++] = 2.0 * (double)c->M * (double)c->N * (double)c->K * (double)c->reps / t;
		}
}

static double median_gops(struct contender *c)
{
	return bench_median(c->gops, (size_t)c->rounds);
}

static int mode_variants(int rounds, int nsizes, size_t *sizes)
{
	/* results[kernel][variant][size] */
	static double res[AMXK_KERNEL_COUNT][MAXC][8];
	static int nr[AMXK_KERNEL_COUNT][MAXC];
	for (int s = 0; s < nsizes && s < 8; s++)
		for (int k = 0; k < AMXK_KERNEL_COUNT; k++) {
			size_t nv;
			const struct amxshim_variant *v = amxk_variants((enum amxk_kernel)k, &nv);
			struct data d;
			struct contender cs[MAXC];
			int n = 0, idx[MAXC];
			make_data(&d, (enum amxk_kernel)k, sizes[s]);
			for (size_t i = 0; i < nv && n < MAXC; i++) {
				if (!amxk_variant_usable((enum amxk_kernel)k, i))
					continue;
				idx[n] = (int)i;
				/* clang-format off */
				add(cs, &n, v[i].name, k == AMXK_GEMM_BF16 ? run_bf16 : k == AMXK_GEMM_U8S8 ? run_u8s8 : run_s8s8,
				    (const void *)v[i].fn, sizes[s], d.A, d.Bp);
				/* clang-format on */
			}
			measure(cs, n, rounds);
			for (int i = 0; i < n; i++) {
				res[k][idx[i]][s] = median_gops(&cs[i]);
				nr[k][idx[i]] = cs[i].rounds;
				free(cs[i].C);
			}
			free_data(&d);
		}
	for (int k = 0; k < AMXK_KERNEL_COUNT; k++) {
		size_t nv;
		const struct amxshim_variant *v = amxk_variants((enum amxk_kernel)k, &nv);
		for (size_t i = 0; i < nv && i < MAXC; i++) {
			if (!amxk_variant_usable((enum amxk_kernel)k, i))
				continue;
			printf("%s", v[i].name);
			for (int s = 0; s < nsizes && s < 8; s++)
				printf(" %.2f", res[k][i][s]);
			printf(" %d\n", nr[k][i]);
		}
	}
	return 0;
}

static int mode_openblas(int rounds, int nsizes, size_t *sizes)
{
	setenv("OPENBLAS_NUM_THREADS", "1", 1);
	void *h = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		h = dlopen("libopenblas.so", RTLD_NOW | RTLD_LOCAL);
	void *sgemm = h ? dlsym(h, "cblas_sgemm") : NULL;
	if (!sgemm) {
		printf("cannot load OpenBLAS: %s\n", dlerror());
		return 3;
	}
	char *(*corename)(void) = (char *(*)(void))dlsym(h, "openblas_get_corename");
	void (*set_threads)(int) = (void (*)(int))dlsym(h, "openblas_set_num_threads");
	if (set_threads)
		set_threads(1);
	size_t nv;
	const struct amxshim_variant *v = amxk_variants(AMXK_GEMM_BF16, &nv);
	size_t avx2 = nv;
	for (size_t i = 0; i < nv; i++)
		if (strstr(v[i].name, "avx2") && amxk_variant_usable(AMXK_GEMM_BF16, i))
			avx2 = i;
	if (avx2 == nv) {
		printf("the AVX2 bf16 variant is not usable here\n");
		return 4;
	}
	const char *core = corename ? corename() : "?";
	for (int s = 0; s < nsizes; s++) {
		struct data d;
		struct contender cs[2];
		int n = 0;
		make_data(&d, AMXK_GEMM_BF16, sizes[s]);
		add(cs, &n, v[avx2].name, run_bf16, (const void *)v[avx2].fn, sizes[s], d.A, d.Bp);
		add(cs, &n, "sgemm", run_sgemm, sgemm, sizes[s], d.Af, d.Bf);
		measure(cs, n, rounds);
		/* The ratio is the median of the per-round ratios: the two ran back to back in each round. */
		double ratio[64];
		for (int r = 0; r < cs[0].rounds; r++)
			ratio[r] = cs[0].gops[r] / cs[1].gops[r];
		double q = bench_median(ratio, (size_t)cs[0].rounds);
		double a = median_gops(&cs[0]), b = median_gops(&cs[1]);
		printf("%s %zu %.2f %.2f %.3f %d\n", core, sizes[s], a, b, q, cs[0].rounds);
		free(cs[0].C), free(cs[1].C);
		free_data(&d);
	}
	return 0;
}

/* 64 dependent IMULs per iteration, 3 cycles each on every x86-64 core of the last decade (a chain of
 * ADDs would not do: Golden Cove folds immediate adds at rename). The best of 31 trials, since another
 * process can only slow a trial down. */
static double mode_freq(void)
{
	double best = 0;
	for (int t = 0; t < 31; t++) {
		uint64_t x = 1, y = 3, iters = 200000;
		double t0 = bench_now_ns();
		for (uint64_t i = 0; i < iters; i++)
			__asm__ volatile(".rept 64\n\timulq %1, %0\n\t.endr" : "+r"(x) : "r"(y));
		double ghz = (double)iters * 64 * 3 / (bench_now_ns() - t0);
		if (ghz > best)
			best = ghz;
	}
	return best;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "freq")) {
		printf("%.3f\n", mode_freq());
		return 0;
	}
	if (argc >= 4 && (!strcmp(argv[1], "variants") || !strcmp(argv[1], "openblas"))) {
		int rounds = atoi(argv[2]);
		size_t sizes[8];
		int n = 0;
		for (int i = 3; i < argc && n < 8; i++)
			sizes[n++] = strtoul(argv[i], NULL, 0);
		if (rounds < 1)
			rounds = 1;
		return !strcmp(argv[1], "variants") ? mode_variants(rounds, n, sizes) : mode_openblas(rounds, n, sizes);
	}
	fprintf(stderr, "usage: %s freq | variants ROUNDS SIZE... | openblas ROUNDS SIZE...\n", argv[0]);
	return 2;
}
