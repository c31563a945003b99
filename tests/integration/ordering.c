// SPDX-License-Identifier: MIT
/* ordering: prints what its library's constructor saw (ctor_bit18) and what main sees (main_bit18). */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

int ordering_ctor_bit18(void);

int main(void)
{
	uint64_t perm = 0;
	int main_bit18 = syscall(SYS_arch_prctl, 0x1022, &perm) == 0 ? (int)(perm >> 18 & 1) : -1;
	printf("ctor_bit18=%d main_bit18=%d\n", ordering_ctor_bit18(), main_bit18);
	return 0;
}
