// SPDX-License-Identifier: MIT
/* earlyhook-prog: exports functions named like the shim's early hook (linked with -rdynamic). A shim that
 * exported its hook as a global IFUNC (clang 14 did) would bind its own data reference to these, and its
 * relocation-time request would never run. Prints the AMX permission bit its constructor saw: programs'
 * constructors run after the shim's relocation, and the shim's constructor requests nothing without
 * AMXSHIM_DEBUG/STRICT, so on an AMX machine bit 18 is set there only if the early hook ran. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

#define EXPORT __attribute__((visibility("default")))

static int hooks_called, ctor_bit18 = -1;

EXPORT void early_hook(void);
EXPORT void *early_resolve(void);
EXPORT void early_noop(void);

void early_hook(void)
{
	hooks_called++;
}

void *early_resolve(void)
{
	hooks_called++;
	return (void *)early_hook;
}

void early_noop(void)
{
	hooks_called++;
}

__attribute__((constructor)) static void probe_permission(void)
{
	uint64_t perm = 0;
	ctor_bit18 = syscall(SYS_arch_prctl, 0x1022, &perm) == 0 ? (int)(perm >> 18 & 1) : -1;
}

int main(void)
{
	printf("ctor_bit18=%d hooks_called=%d\n", ctor_bit18, hooks_called);
	return 0;
}
