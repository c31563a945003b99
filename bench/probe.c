// SPDX-License-Identifier: MIT
/* The probe's cost: cycles of the first amxshim_usable() call (a fresh process each sample, so the cache
 * is cold) and of a cached call; and, through the fake platform, how many CPUID, XGETBV and arch_prctl
 * calls and mallocs one process makes. usage: probe SAMPLES */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <amxshim/resolver.h>
#include "stats.h"

#define CACHED_CALLS 100000

/* In a fresh process: the first amxshim_usable() and the mean of the cached ones, in cycles, to wfd. */
static _Noreturn void time_usable_child(int wfd)
{
	double r[2];
	uint64_t t0 = bench_cycles();
	volatile int u = amxshim_usable(AMXSHIM_TILE);
	uint64_t t1 = bench_cycles();
	for (int k = 0; k < CACHED_CALLS; k++)
		u = amxshim_usable(AMXSHIM_TILE | AMXSHIM_INT8);
	uint64_t t2 = bench_cycles();
	(void)u;
	r[0] = (double)(t1 - t0);
	r[1] = (double)(t2 - t1) / CACHED_CALLS;
	_exit(write(wfd, r, sizeof r) == sizeof r ? 0 : 1);
}

/* samples fresh processes, each timing amxshim_usable() first and cached; 1 when one could not start. */
static int time_usable(int samples, double *first, double *cached)
{
	for (int i = 0; i < samples; i++) {
		int fd[2];
		if (pipe(fd) != 0)
			return 1;
		pid_t pid = fork();
		if (pid == 0)
			time_usable_child(fd[1]);
		double r[2] = { 0, 0 };
		close(fd[1]);
		if (read(fd[0], r, sizeof r) != sizeof r)
			return 1;
		close(fd[0]);
		waitpid(pid, NULL, 0);
		first[i] = r[0];
		cached[i] = r[1];
	}
	return 0;
}

/* What one CPUID costs here: in a VM each is a VM exit, which dominates the first call. The same in
 * nanoseconds, and one system call of the probe's kind, for the start-up prediction. */
static void time_cpuid(double one[101], double cpuid_ns[31], double sys_ns[31])
{
	for (int i = 0; i < 101; i++) {
		uint32_t a = 7, b, c = 0, d;
		uint64_t t0 = bench_cycles();
		__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
		one[i] = (double)(bench_cycles() - t0);
	}
	for (int i = 0; i < 31; i++) {
		double t0 = bench_now_ns();
		for (int k = 0; k < 100; k++) {
			uint32_t a = 7, b, c = 0, d;
			__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
		}
		double t1 = bench_now_ns();
		for (int k = 0; k < 100; k++) {
			unsigned long long mask;
			syscall(SYS_arch_prctl, 0x1022 /* ARCH_GET_XCOMP_PERM */, &mask);
		}
		double t2 = bench_now_ns();
		cpuid_ns[i] = (t1 - t0) / 100;
		sys_ns[i] = (t2 - t1) / 100;
	}
}

int main(int argc, char **argv)
{
	int samples = argc > 1 ? atoi(argv[1]) : 101;
	double *first = calloc((size_t)samples, sizeof(double));
	double *cached = calloc((size_t)samples, sizeof(double));
	if (time_usable(samples, first, cached))
		return 1;
	double one[101], cpuid_ns[31], sys_ns[31];
	time_cpuid(one, cpuid_ns, sys_ns);
	printf("| one CPUID instruction (leaf 7) | %.0f cycles, %.0f ns |\n", bench_median(one, 101),
	       bench_median(cpuid_ns, 31));
	printf("| one arch_prctl(ARCH_GET_XCOMP_PERM) | %.0f ns |\n", bench_median(sys_ns, 31));
	printf("| first amxshim_usable() (fresh process, includes GET/REQ/GET syscalls) | %.0f cycles |\n",
	       bench_median(first, (size_t)samples));
	printf("| cached amxshim_usable() | %.1f cycles |\n", bench_median(cached, (size_t)samples));
	return 0;
}
