// SPDX-License-Identifier: MIT
/* kernels-demo: which variant of each libamxkernels kernel the dynamic loader bound, and why (the resolver's
 * reason and detail); then the same GEMMs computed by the AMX variant in a child that never asked for AMX
 * (AMXSHIM_DISABLE=1) with libamxemu.so preloaded, compared with the bound variant's results.
 * Usage: kernels-demo [--emulator PATH/libamxemu.so] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "amxkernels.h"

enum { M = 48, N = 40, K = 100 }; /* not multiples of 16 or 32: the tails run too */

static amxk_bf16 a16[M * K], b16[K * N];
static uint8_t a8[M * K];
static int8_t b8[K * N];
static amxk_bf16 *bp16;
static int8_t *bp8;
static amxk_hf8 a_hf8[M * K], b_hf8[K * N], *bp_hf8;

/* +-[2^-4, 2^4): wide enough that the f32 sums round, so summation order shows. */
static amxk_bf16 bf16_of(uint32_t x)
{
	return (amxk_bf16)((x >> 16 & 0x8000) | (127 - 4 + (x >> 4 & 7)) << 7 | (x >> 9 & 0x7f));
}

static void make_data(void)
{
	uint32_t x = 12345;
	for (int i = 0; i < M * K; i++) {
		x = x * 1664525u + 1013904223u;
		a8[i] = (uint8_t)(x >> 24);
		a16[i] = bf16_of(x);
		a_hf8[i] = (amxk_hf8)((x >> 24 & 0x80) | (x >> 8 & 0x77)); /* E4M3, exponent <= 14: never NaN */
	}
	for (int i = 0; i < K * N; i++) {
		x = x * 1664525u + 1013904223u;
		b8[i] = (int8_t)(x >> 24);
		b16[i] = bf16_of(x);
		b_hf8[i] = (amxk_hf8)((x >> 24 & 0x80) | (x >> 8 & 0x77));
	}
	bp16 = malloc(amxk_pack_bf16_size(K, N) * sizeof *bp16);
	bp8 = malloc(amxk_pack_i8_size(K, N));
	bp_hf8 = malloc(amxk_pack_hf8_size(K, N));
	if (!bp16 || !bp8 || !bp_hf8)
		exit(99);
	amxk_pack_hf8(K, N, b_hf8, N, bp_hf8);
	amxk_pack_bf16(K, N, b16, N, bp16);
	amxk_pack_i8(K, N, b8, N, bp8);
}

/* C = 0 + A*B with fn (the .fn of a registry entry or a public symbol), for kernel k. */
static void compute(enum amxk_kernel k, amxshim_fn fn, uint32_t *c)
{
	memset(c, 0, M * N * sizeof *c);
	if (k == AMXK_GEMM_BF16)
		((amxk_gemm_bf16_fn *)fn)(M, N, K, a16, K, bp16, (float *)c, N);
	else if (k == AMXK_GEMM_U8S8)
		((amxk_gemm_u8s8_fn *)fn)(M, N, K, a8, K, bp8, (int32_t *)c, N);
	else if (k == AMXK_GEMM_HF8)
		((amxk_gemm_hf8_fn *)fn)(M, N, K, a_hf8, K, bp_hf8, (float *)c, N);
	else
		((amxk_gemm_s8s8_fn *)fn)(M, N, K, (const int8_t *)a8, K, bp8, (int32_t *)c, N);
}

/* The child: the AMX variants, whether or not usable (the emulator runs them), written to stdout. */
static int emu_child(void)
{
	static uint32_t c[M * N];
	for (int k = 0; k < AMXK_KERNEL_COUNT; k++) {
		size_t n;
		compute((enum amxk_kernel)k, amxk_variants((enum amxk_kernel)k, &n)[0].fn, c);
		if (fwrite(c, sizeof c, 1, stdout) != 1)
			return 1;
	}
	return fflush(stdout) != 0;
}

/* Each kernel through its public symbol, as the resolver bound it, with the reason printed. */
static void run_bound(uint32_t (*bound)[M * N])
{
	static const amxshim_fn public_fns[] = { (amxshim_fn)amxk_gemm_bf16, (amxshim_fn)amxk_gemm_u8s8,
						 (amxshim_fn)amxk_gemm_s8s8, (amxshim_fn)amxk_gemm_hf8 };
	_Static_assert(sizeof public_fns / sizeof public_fns[0] == AMXK_KERNEL_COUNT, "one symbol a kernel");
	printf("libamxkernels: what the resolver bound, and why\n");
	for (int k = 0; k < AMXK_KERNEL_COUNT; k++) {
		struct amxshim_state st;
		amxk_why((enum amxk_kernel)k, &st);
		printf("  %-10s -> %-15s AMX %s: %s: %s\n", amxk_kernel_name((enum amxk_kernel)k),
		       amxk_bound((enum amxk_kernel)k), st.usable ? "usable" : "not usable",
		       amxshim_reason_name(st.reason), st.detail);
		compute((enum amxk_kernel)k, public_fns[k], bound[k]);
	}
}

/* The AMX variants' results from a child under the emulator: 0, or the exit status of main. */
static int run_emulated(const char *emu, const char *argv0, uint32_t (*emulated)[AMXK_KERNEL_COUNT][M * N])
{
	int fd[2];
	if (pipe(fd))
		return 99;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		setenv("AMXSHIM_DISABLE", "1", 1);
		setenv("LD_PRELOAD", emu, 1);
		execl("/proc/self/exe", argv0, "--emu-child", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	FILE *in = fdopen(fd[0], "r");
	size_t got = fread(emulated, sizeof *emulated, 1, in);
	fclose(in);
	int status;
	waitpid(pid, &status, 0);
	if (got != 1 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("  FAILED: the emulator child exited with status 0x%x\n", status);
		return 1;
	}
	return 0;
}

/* Element i of the bf16 kernel: its distance from the bound result, in units of the error bound of
 * amxkernels.h, 2*gamma(K)*S, S = sum |a*b| (C started at 0). */
static double bf16_error(uint32_t emulated, uint32_t bound, int i)
{
	float e, b;
	memcpy(&e, &emulated, 4);
	memcpy(&b, &bound, 4);
	double s = 0, u = ldexp(1, -24);
	for (int kk = 0; kk < K; kk++) {
		uint32_t x = (uint32_t)a16[i / N * K + kk] << 16, y = (uint32_t)b16[kk * N + i % N] << 16;
		float fx, fy;
		memcpy(&fx, &x, 4);
		memcpy(&fy, &y, 4);
		s += fabs((double)fx * fy);
	}
	return fabs((double)e - b) / (2 * K * u / (1 - K * u) * s);
}

/* The emulated results against the bound ones, kernel by kernel: 1 when one differs beyond its tolerance. */
static int compare(uint32_t (*emulated)[M * N], uint32_t (*bound)[M * N])
{
	int bad = 0;
	for (int k = 0; k < AMXK_KERNEL_COUNT; k++) {
		int differ = 0;
		double worst = 0;
		for (int i = 0; i < M * N; i++) {
			if (emulated[k][i] == bound[k][i])
				continue;
			differ++;
			if (k == AMXK_GEMM_BF16) {
				double r = bf16_error(emulated[k][i], bound[k][i], i);
				worst = r > worst ? r : worst;
			}
		}
		size_t n;
		const char *amx_name = amxk_variants((enum amxk_kernel)k, &n)[0].name;
		if (!differ)
			printf("  %-15s matches %s bit for bit\n", amx_name, amxk_bound((enum amxk_kernel)k));
		else if (k == AMXK_GEMM_BF16 && worst <= 1)
			printf("  %-15s matches %s within the stated bf16 tolerance (%d of %d elements differ in the last"
			       " bits; worst %.1f%% of the bound)\n",
			       amx_name, amxk_bound((enum amxk_kernel)k), differ, M * N, 100 * worst);
		else
			printf("  %-15s DIFFERS from %s in %d elements\n", amx_name, amxk_bound((enum amxk_kernel)k),
			       differ),
				bad = 1;
	}
	return bad;
}

int main(int argc, char **argv)
{
	make_data();
	if (argc == 2 && !strcmp(argv[1], "--emu-child"))
		return emu_child();
	const char *emu = argc == 3 && !strcmp(argv[1], "--emulator") ? argv[2] : NULL;

	static uint32_t bound[AMXK_KERNEL_COUNT][M * N];
	run_bound(bound);

	printf("The AMX variants under the emulator (AMXSHIM_DISABLE=1, LD_PRELOAD=libamxemu.so), %dx%dx%d:\n", M, N,
	       K);
	if (!emu || access(emu, R_OK)) {
		printf("  skipped: the emulator %s is not built\n", emu ? emu : "(--emulator PATH)");
		return 0;
	}
	static uint32_t emulated[AMXK_KERNEL_COUNT][M * N];
	int failed = run_emulated(emu, argv[0], &emulated);
	if (failed)
		return failed;
	return compare(emulated, bound);
}
