// SPDX-License-Identifier: MIT
/* early: prints ARCH_GET_XCOMP_PERM bit 18 as libearly's IFUNC resolver, libearly's constructor and main
 * saw it: "resolver=R ctor=C main=M" (-1: unreadable). With ARG "tile" it then runs one tile operation. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

void early_bits(int *resolver, int *ctor);

int main(int argc, char **argv)
{
	int r, c;
	uint64_t perm = 0;
	early_bits(&r, &c);
	int m = syscall(SYS_arch_prctl, 0x1022, &perm) == 0 ? (int)(perm >> 18 & 1) : -1;
	printf("resolver=%d ctor=%d main=%d\n", r, c, m);
	(void)argc;
	(void)argv;
	return 0;
}
