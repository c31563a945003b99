// SPDX-License-Identifier: MIT
/* libordering.so: a DT_NEEDED library whose constructor records whether this process already holds AMX
 * permission (ARCH_GET_XCOMP_PERM bit 18) and makes a distinctive marker system call that strace shows:
 * faccessat on a path that does not exist. */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>

#define ORDERING_MARKER "/amxshim-ordering-ctor-marker"

static int ctor_bit18 = -1; /* -1: the constructor did not run or GET_PERM failed */

__attribute__((constructor)) static void ordering_ctor(void)
{
	(void)syscall(SYS_faccessat, AT_FDCWD, ORDERING_MARKER, F_OK, 0);
	uint64_t perm = 0;
	if (syscall(SYS_arch_prctl, 0x1022 /* ARCH_GET_XCOMP_PERM */, &perm) == 0)
		ctor_bit18 = (int)(perm >> 18 & 1);
}

__attribute__((visibility("default"))) int ordering_ctor_bit18(void);
int ordering_ctor_bit18(void)
{
	return ctor_bit18;
}
