// SPDX-License-Identifier: MIT
/* libearly.so: a DT_NEEDED library that records ARCH_GET_XCOMP_PERM bit 18 at three moments: in an IFUNC
 * resolver run by an IRELATIVE relocation (while ld.so relocates this library), in its constructor, and
 * (early.c) in main. The resolver uses a raw system call: no libc, no PLT, inside relocation. */
#include <stdint.h>
#include <sys/syscall.h>

static int resolver_bit18 = -1, ctor_bit18 = -1;

static int bit18(void)
{
	uint64_t perm = 0;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_arch_prctl), "D"(0x1022L), "S"(&perm)
			 : "rcx", "r11", "memory");
	return ret == 0 ? (int)(perm >> 18 & 1) : -1;
}

typedef int pick_fn(void);
static int pick(void)
{
	return 1;
}

__attribute__((used)) static pick_fn *early_select(void)
{
	resolver_bit18 = bit18();
	return pick;
}
static int early_pick(void) __attribute__((ifunc("early_select")));
/* A data reference: an IRELATIVE relocation, applied while ld.so relocates this library. */
__attribute__((used)) static pick_fn *const early_ref = early_pick;

__attribute__((constructor)) static void early_ctor(void)
{
	ctor_bit18 = bit18();
}

__attribute__((visibility("default"))) void early_bits(int *resolver, int *ctor);
void early_bits(int *resolver, int *ctor)
{
	*resolver = resolver_bit18;
	*ctor = ctor_bit18;
}
