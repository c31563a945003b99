// SPDX-License-Identifier: MIT
/* The real sigaltstack system call, bypassing our own interposer. */
#include <sys/syscall.h>
#include "../resolver/internal.h"
#include "altstack.h"

long shim_sys_sigaltstack(const stack_t *ss, stack_t *old)
{
	return amx_raw_syscall2(SYS_sigaltstack, (long)ss, (long)old);
}
