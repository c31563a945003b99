// SPDX-License-Identifier: MIT
/* The emulator's one contact with the machine itself (machine.h; ARCHITECTURE rule 1). */
#include <asm/prctl.h>
#include <cpuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <amxshim/resolver.h> /* AMXSHIM_RESOLVER_CONTEXT */

#include "machine.h"

AMXSHIM_RESOLVER_CONTEXT void emu_machine_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	unsigned a, b, c, d;

	__cpuid_count(leaf, subleaf, a, b, c, d);
	r[0] = a, r[1] = b, r[2] = c, r[3] = d;
}

AMXSHIM_RESOLVER_CONTEXT uint64_t emu_machine_xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return (uint64_t)hi << 32 | lo;
}

uint64_t emu_machine_fs_base(void)
{
	uint64_t base = 0;

	syscall(SYS_arch_prctl, ARCH_GET_FS, &base);
	return base;
}

uint64_t emu_machine_gs_base(void)
{
	uint64_t base = 0;

	syscall(SYS_arch_prctl, ARCH_GET_GS, &base);
	return base;
}
