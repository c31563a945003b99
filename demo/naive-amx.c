// SPDX-License-Identifier: MIT
/* An unmodified AMX program, written the way most software is: it trusts __builtin_cpu_supports
 * ("amx-tile"), which looks at CPUID and XCR0 only, and never asks the kernel for permission. On an AMX
 * machine it dies with SIGILL, unless libamxshim.so asked for it. */
#include <immintrin.h>
#include <stdio.h>
#include <string.h>

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

int main(int argc, char **argv)
{
	/* --force-tiles: skip the CPU check, so `make demo` can show the tile path where the CPU has no AMX. */
	int force = argc > 1 && !strcmp(argv[1], "--force-tiles");
	if (!force && (!__builtin_cpu_supports("amx-tile") || !__builtin_cpu_supports("amx-int8"))) {
		printf("naive-amx: the CPU reports no AMX, using the scalar path: %d\n", 64 * 1 * 2);
		return 0;
	}
	printf("naive-amx: %s, running TDPBSSD...\n",
	       force ? "tile path forced" : "__builtin_cpu_supports(\"amx-tile\") says yes");
	fflush(stdout);
	printf("naive-amx: tile result %d (expected 128)\n", tile_dot());
	return 0;
}
