/* SPDX-License-Identifier: MIT */
/* The sigaltstack guard's seam: the raw system call, replaced by a fake in tests (AMD CI machines cannot
 * grant AMX, so the kernel never answers ENOMEM there). */
#ifndef AMXSHIM_ALTSTACK_H
#define AMXSHIM_ALTSTACK_H
#include <signal.h>

long shim_sys_sigaltstack(const stack_t *ss, stack_t *old); /* 0 or -errno */

#endif
