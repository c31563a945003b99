// SPDX-License-Identifier: MIT
/* A kernel that granted AMX, for machines that cannot: while the (fake) platform says permission is held,
 * a stack smaller than the AMX signal frame is refused with ENOMEM, as CONFIG_DYNAMIC_SIGFRAME does.
 * Everything else goes to the real system call. */
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include "../../resolver/internal.h"
#include "../../shim/altstack.h"

/* AT_MINSIGSTKSZ measured on a Sapphire Rapids VM with AMX (kernel 6.18). */
#define AMX_FRAME_BYTES 11952u

long shim_sys_sigaltstack(const stack_t *ss, stack_t *old)
{
	/* Read `ss` as the kernel does: a bad pointer is EFAULT (from the real call below), never a fault. */
	stack_t copy;
	struct iovec local = { &copy, sizeof copy }, remote = { (void *)ss, sizeof copy };
	if (ss && process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)sizeof copy &&
	    !(copy.ss_flags & SS_DISABLE) && copy.ss_size < AMX_FRAME_BYTES && amxshim_usable(AMXSHIM_TILE))
		return -ENOMEM;
	return syscall(SYS_sigaltstack, ss, old) == 0 ? 0 : -errno;
}
