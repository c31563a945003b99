// SPDX-License-Identifier: MIT
/* An unmodified AMX program, written the way most software is: it trusts __builtin_cpu_supports
 * ("amx-tile"), which looks at CPUID and XCR0 only, and never asks the kernel for permission. On an AMX
 * machine it dies with SIGILL, unless libamxshim.so asked for it. */
#include <immintrin.h>
#include <stdio.h>
#include <string.h>
#ifdef __clang__
#include <cpuid.h>
#endif

struct tile_config {
	unsigned char palette, start_row, reserved[14];
	unsigned short colsb[16];
	unsigned char rows[16];
};

static int tile_dot(void)
{
	static signed char a[16][64], b[16][64];
	static int c[16][16];
	struct tile_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.palette = 1;
	for (int t = 0; t < 3; t++) {
		cfg.rows[t] = 16;
		cfg.colsb[t] = 64;
	}
	memset(a, 1, sizeof a);
	memset(b, 2, sizeof b);
	_tile_loadconfig(&cfg);
	_tile_zero(0);
	_tile_loadd(1, a, 64);
	_tile_loadd(2, b, 64);
	_tile_dpbssd(0, 1, 2);
	_tile_stored(0, c, 64);
	_tile_release();
	return c[0][0];
}

#ifdef __clang__
/* clang 14's __builtin_cpu_supports knows no "amx-*": the same test written out (CPUID.(7,0):EDX[24,25],
 * and XCR0 bits 17-18 set by the OS), and still nothing asks the kernel. */
static int cpu_says_amx(void)
{
	unsigned a, b, c, d, xcr0_lo, xcr0_hi;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || (d & (3u << 24)) != (3u << 24))
		return 0;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)))
		return 0;
	__asm__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
	return (xcr0_lo & (3u << 17)) == (3u << 17);
}
#else
static int cpu_says_amx(void)
{
	return __builtin_cpu_supports("amx-tile") && __builtin_cpu_supports("amx-int8");
}
#endif

int main(int argc, char **argv)
{
	/* --force-tiles: skip the CPU check, so `make demo` can show the tile path where the CPU has no AMX. */
	int force = argc > 1 && !strcmp(argv[1], "--force-tiles");
	if (!force && !cpu_says_amx()) {
		printf("naive-amx: the CPU reports no AMX, using the scalar path: %d\n", 64 * 1 * 2);
		return 0;
	}
	printf("naive-amx: %s, running TDPBSSD...\n",
	       force ? "tile path forced" : "__builtin_cpu_supports(\"amx-tile\") says yes");
	fflush(stdout);
	printf("naive-amx: tile result %d (expected 128)\n", tile_dot());
	return 0;
}
