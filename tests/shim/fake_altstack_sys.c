// SPDX-License-Identifier: MIT
/* A kernel that granted AMX, for machines that cannot: while the (fake) platform says permission is held,
 * a stack smaller than the AMX signal frame is refused with ENOMEM, as CONFIG_DYNAMIC_SIGFRAME does.
 * Everything else goes to the real system call. */
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "../../resolver/internal.h"
#include "../../shim/altstack.h"

/* AT_MINSIGSTKSZ measured on a Sapphire Rapids VM with AMX (kernel 6.18). */
#define AMX_FRAME_BYTES 11952u

long amx_sys_sigaltstack(const stack_t *ss, stack_t *old)
{
	if (ss && !(ss->ss_flags & SS_DISABLE) && ss->ss_size < AMX_FRAME_BYTES && amxshim_usable(AMXSHIM_TILE))
		return -ENOMEM;
	return syscall(SYS_sigaltstack, ss, old) == 0 ? 0 : -errno;
}
