// SPDX-License-Identifier: MIT
/* ifunc-main: calls libifunc's amxsel() through the PLT and amxsel_ptr(); prints the picks. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

int amxsel(void);
int amxsel_ptr(void);

static const char *name(int pick)
{
	return pick == 1 ? "amx" : pick == 2 ? "fallback" : "broken";
}

int main(void)
{
	int plt = amxsel(), ptr = amxsel_ptr();
	uint64_t perm = 0;
	int bit18 = syscall(SYS_arch_prctl, 0x1022, &perm) == 0 ? (int)(perm >> 18 & 1) : -1;
	printf("plt=%s ptr=%s perm18=%d\n", name(plt), name(ptr), bit18);
	return 0;
}
