// SPDX-License-Identifier: MIT
/* secure-prog: linked against libamxshim.so (DT_NEEDED, absolute RUNPATH), so the shim loads even in a
 * secure-execution (setgid) process, where LD_PRELOAD with a slash is ignored. Prints whether the process
 * is secure and whether it holds AMX permission. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/syscall.h>

int main(void)
{
	uint64_t perm = 0;
	int bit18 = syscall(SYS_arch_prctl, 0x1022, &perm) == 0 ? (int)(perm >> 18 & 1) : -1;
	printf("main ran: secure=%lu perm18=%d\n", getauxval(AT_SECURE), bit18);
	return 0;
}
