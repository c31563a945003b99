// SPDX-License-Identifier: MIT
/* Counts what one process's probing costs, through the fake platform's counters (Sapphire Rapids,
 * permission granted): CPUID, XGETBV, arch_prctl calls and mallocs over many amxshim_usable() calls. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <amxshim/resolver.h>
#include "fake_platform.h"

static unsigned long mallocs;

/* Interposed to prove the probe allocates nothing. */
void *malloc(size_t n)
{
	static void *(*real)(size_t);
	if (!real)
		real = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	mallocs++;
	return real(n);
}

int main(int argc, char **argv)
{
	fake_reset(); /* scripted: never read the environment */
	if (argc != 2 || fake_load_fixture(argv[1]) < 0 || !fake_fixture_has_xcr0()) {
		fprintf(stderr, "usage: probe_count FIXTURE-WITH-XCR0\n");
		return 2;
	}
	fake_set_kernel(FAKE_KERNEL_GRANTED);
	fake_kernel_follow_cpu(); /* what Linux >= 5.16 reports on that CPU */
	fake_clear_log();
	unsigned long before = mallocs;
	int usable = 0;
	for (int i = 0; i < 1000; i++)
		usable += amxshim_usable(i % 2 ? AMXSHIM_TILE : AMXSHIM_TILE | AMXSHIM_BF16);
	const char *base = strrchr(argv[1], '/');
	printf("| minimal path: 1000 amxshim_usable() calls (fake platform: %s, granted) | %u CPUID, %u XGETBV, %u arch_prctl "
	       "(%u REQ), %lu malloc; usable %d/1000 |\n",
	       base ? base + 1 : argv[1], fake_cpuid_calls(), fake_xgetbv_calls(), fake_call_count(),
	       fake_count_code(AMX_ARCH_REQ_XCOMP_PERM), mallocs - before, usable);
	return 0;
}
