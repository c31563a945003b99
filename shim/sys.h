/* SPDX-License-Identifier: MIT */
/* The shim's system calls, made directly: every libc function the shim imports costs a symbol lookup in
 * every process at load (BIND_NOW), called or not, and these are system calls anyway. They leave errno
 * alone (0..n or -errno), which is what a report from a signal handler wants. */
#ifndef AMXSHIM_SYS_H
#define AMXSHIM_SYS_H
#include <stddef.h>
#include <sys/syscall.h>
#include "../resolver/freestanding.h"

/* The kernel's sigset_t: one bit per signal, signal n at bit n - 1 (64 signals on x86-64). */
typedef unsigned long shim_sigset;
#define SHIM_SIGBIT(sig) (1ul << ((sig) - 1))
/* What sigfillset() fills: every signal but glibc's two internal ones (SIGCANCEL 32, SIGSETXID 33), which
 * pthread_sigmask() would also refuse to block. */
#define SHIM_SIGSET_ALL (~(SHIM_SIGBIT(32) | SHIM_SIGBIT(33)))

/* The base page size: 4 KiB on every x86-64 Linux (getpagesize() reads the same number from AT_PAGESZ). */
#define SHIM_PAGE_SIZE 4096u

static inline long shim_raw_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long shim_getpid(void)
{
	return amx_raw_syscall2(SYS_getpid, 0, 0);
}

static inline long shim_sigprocmask(int how, const shim_sigset *set, shim_sigset *old)
{
	return amx_raw_syscall4(SYS_rt_sigprocmask, how, (long)set, (long)old, sizeof(shim_sigset));
}

/* mmap's result, or MAP_FAILED ((void *)-1) on error. */
static inline void *shim_mmap_anon(size_t len, int prot, int flags)
{
	long ret = shim_raw_syscall6(SYS_mmap, 0, (long)len, prot, flags, -1, 0);
	return ret < 0 && ret > -4096 ? (void *)-1 : (void *)ret;
}

static inline long shim_munmap(void *p, size_t len)
{
	return amx_raw_syscall2(SYS_munmap, (long)p, (long)len);
}

static inline long shim_mprotect(void *p, size_t len, int prot)
{
	return amx_raw_syscall3(SYS_mprotect, (long)p, (long)len, prot);
}

__attribute__((noreturn)) static inline void shim_exit_group(int status)
{
	for (;;)
		(void)amx_raw_syscall2(SYS_exit_group, status, 0);
}

#endif
