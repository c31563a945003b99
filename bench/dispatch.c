// SPDX-License-Identifier: MIT
/* Dispatch cost: an IFUNC-bound call vs a direct call (both through the PLT, both in a shared library) vs
 * a function pointer vs a per-call feature check. Rounds interleave the four; medians in ns per call. */
#include <stdio.h>
#include <stdlib.h>
#include "stats.h"

int bench_ifunc(int x);
int bench_direct(int x);
int bench_checked(int x);
int (*bench_pointer(void))(int);

#define CALLS 2000000
#define ROUNDS 31

/* Each call is written out (not passed as a pointer), so the IFUNC and direct cases really are PLT calls. */
#define TIME_CALLS(call)                        \
	({                                      \
		volatile int acc = 0;           \
		double t0 = bench_now_ns();     \
		for (int i = 0; i < CALLS; i++) \
			acc = call(acc);        \
		(bench_now_ns() - t0) / CALLS;  \
	})

int main(void)
{
	int (*volatile pointer)(int) = bench_pointer();
	double t[4][ROUNDS];
	for (int r = 0; r < ROUNDS; r++) {
		t[0][r] = TIME_CALLS(bench_ifunc);
		t[1][r] = TIME_CALLS(bench_direct);
		t[2][r] = TIME_CALLS(pointer);
		t[3][r] = TIME_CALLS(bench_checked);
	}
	double ifunc = bench_median(t[0], ROUNDS), direct = bench_median(t[1], ROUNDS);
	double ptr = bench_median(t[2], ROUNDS), checked = bench_median(t[3], ROUNDS);
	printf("| IFUNC-bound call | %.2f ns | %.3f |\n", ifunc, ifunc / direct);
	printf("| direct call | %.2f ns | 1.000 |\n", direct);
	printf("| function pointer | %.2f ns | %.3f |\n", ptr, ptr / direct);
	printf("| per-call amxshim_usable() check | %.2f ns | %.3f |\n", checked, checked / direct);
	return 0;
}
