// SPDX-License-Identifier: MIT
/* The one file that reads the machine: CPUID, XGETBV and the arch_prctl system call, as inline asm so
 * that it runs inside an IFUNC resolver (no libc, no PLT, no errno), and glibc's copy of the CPUID leaves
 * its loader read. Tests replace this file at link time. */
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

/* glibc >= 2.33 exports the leaves its loader read (<sys/platform/x86.h>): struct cpuid_feature begins
 * with cpuid_array[4], EAX..EDX. The one call out of the resolver (ARCHITECTURE.md, rule 2): a weak
 * reference, loaded from our GOT and tested, never a PLT call. It is NULL in a static program that does
 * not link the function, on glibc < 2.33 and while our GOT is not yet relocated (glibc's "Relink" case);
 * the caller then executes CPUID. Once it is set, glibc itself is relocated: since 2.33 ld.so relocates
 * libc.so before every other object, in every namespace (bug 20972). docs/AMX-FACTS.md has the sources. */
extern const void *__x86_get_cpuid_feature_leaf(unsigned int index) __attribute__((weak));

int amx_platform_glibc_leaf(unsigned index, struct amxshim_cpuid *out)
{
	const void *(*get)(unsigned int) = __x86_get_cpuid_feature_leaf;
	if (!get)
		return 0;
	const uint32_t *regs = get(index);
	out->eax = regs[0], out->ebx = regs[1], out->ecx = regs[2], out->edx = regs[3];
	return 1;
}
