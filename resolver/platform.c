// SPDX-License-Identifier: MIT
/* The one file that reads the machine: CPUID, XGETBV and the arch_prctl system call, as inline asm so
 * that it runs inside an IFUNC resolver (no libc, no PLT, no errno). Tests replace this file at link time. */
#include <sys/syscall.h>
#include "internal.h"

void amx_platform_cpuid(uint32_t leaf, uint32_t subleaf, struct amxshim_cpuid *out)
{
	__asm__ volatile("cpuid"
			 : "=a"(out->eax), "=b"(out->ebx), "=c"(out->ecx), "=d"(out->edx)
			 : "a"(leaf), "c"(subleaf));
}

uint64_t amx_platform_xgetbv0(void)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

long amx_platform_arch_prctl(int code, unsigned long arg)
{
	return amx_raw_syscall2(SYS_arch_prctl, code, (long)arg);
}
