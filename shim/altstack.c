// SPDX-License-Identifier: MIT
/* The sigaltstack guard. Once AMX permission is held, the kernel refuses (ENOMEM) an alternate signal
 * stack smaller than the AMX signal frame, which breaks programs built with the old SIGSTKSZ (8192).
 * When that happens we install a stack of the size the kernel needs instead, and keep reporting the
 * program's own values back, per thread, so the program cannot tell.
 *
 * A substitute is never unmapped before its thread exits: rt_sigreturn reinstalls the alternate stack
 * saved in the signal frame, so a stack the program replaced from a handler can come back, and an outer
 * handler may still be running on it. Reinstalling the same buffer reuses its substitute, so a thread
 * holds at most a few. sigaltstack() is async-signal-safe and called from handlers: this path only makes
 * system calls, formats without stdio and blocks signals while it reads or changes the per-thread table
 * (never while it touches the program's memory). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include "../resolver/internal.h"
#include "altstack.h"
#include "report.h"
#include "settings.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif
/* The kernel's fixed floor (arch/x86 MINSIGSTKSZ); glibc's macro of that name is now sysconf(). */
#define KERNEL_MINSIGSTKSZ 2048u
/* Without AT_MINSIGSTKSZ (kernels < 5.14) assume the AMX frame: about 11 KiB, rounded up. */
#define FALLBACK_FRAME 16384u
/* Distinct program buffers per thread we substitute; beyond that the kernel's ENOMEM is returned. */
#define MAX_SUBSTITUTES 16

/* A substitute stack, and the program buffer it stands for. */
struct substitute {
	void *map; /* guard page + stack */
	size_t map_len;
	void *wanted_sp; /* the program's ss_sp/ss_size, reported back instead of ours */
	size_t wanted_size;
};

static __thread struct substitute table[MAX_SUBSTITUTES];
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static int exit_key_ok;

static char *stack_base(const struct substitute *s)
{
	return (char *)s->map + (size_t)getpagesize();
}

/* At thread exit: take the stack out of the kernel's hands, then unmap every substitute but the one this
 * code runs on (pthread_exit from a handler). */
static void on_thread_exit(void *unused)
{
	(void)unused;
	stack_t off = { .ss_flags = SS_DISABLE };
	if (shim_sys_sigaltstack(&off, NULL) != 0)
		return;
	char *sp = __builtin_frame_address(0);
	for (int i = 0; i < MAX_SUBSTITUTES; i++) {
		struct substitute *s = &table[i];
		if (s->map && !(sp >= (char *)s->map && sp < (char *)s->map + s->map_len))
			munmap(s->map, s->map_len);
		s->map = NULL;
	}
}

static void make_exit_key(void)
{
	exit_key_ok = pthread_key_create(&exit_key, on_thread_exit) == 0;
}

/* Creating the key is not async-signal-safe: do it at start-up, not first inside a handler. */
__attribute__((constructor)) static void altstack_init(void)
{
	pthread_once(&exit_key_once, make_exit_key);
}

/* Translate the kernel's view of the installed stack (just written to *old by the kernel) back into the
 * program's. The table is searched with signals blocked (a handler may be adding to it); *old is read and
 * written outside that window. */
static void report_back(stack_t *old)
{
	void *sp = old->ss_sp;
	void *wanted_sp = NULL;
	size_t wanted_size = 0;
	sigset_t all, saved;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	for (int i = 0; i < MAX_SUBSTITUTES; i++) {
		if (table[i].map && sp == stack_base(&table[i])) {
			wanted_sp = table[i].wanted_sp;
			wanted_size = table[i].wanted_size;
			break;
		}
	}
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (wanted_sp) {
		old->ss_sp = wanted_sp;
		old->ss_size = wanted_size;
	}
}

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

/* Formatted without stdio (async-signal-safe). */
static void report_substitution(size_t wanted, size_t installed)
{
	char text[160];
	struct amx_line l;
	amx_line_init(&l, text, sizeof text);
	amx_line_put(&l, "amxshim[");
	amx_line_dec(&l, (uint64_t)getpid());
	amx_line_put(&l, "]: sigaltstack of ");
	amx_line_dec(&l, wanted);
	amx_line_put(&l, " bytes is smaller than the AMX signal frame; installed ");
	amx_line_dec(&l, installed);
	amx_line_put(&l, " bytes instead\n");
	shim_stderr_write(l.buf, l.len);
}

/* The substitute for the program's buffer: the one made for it before, or a new one in a free slot. */
static struct substitute *substitute_for(const stack_t *ss)
{
	struct substitute *free_slot = NULL;
	for (int i = 0; i < MAX_SUBSTITUTES; i++) {
		if (table[i].map && table[i].wanted_sp == ss->ss_sp && table[i].wanted_size == ss->ss_size)
			return &table[i];
		if (!table[i].map && !free_slot)
			free_slot = &table[i];
	}
	if (!free_slot)
		return NULL;
	size_t page = (size_t)getpagesize();
	size_t frame = getauxval(AT_MINSIGSTKSZ);
	if (frame < KERNEL_MINSIGSTKSZ)
		frame = FALLBACK_FRAME;
	/* The program's own budget for its handler, plus the frame the kernel now pushes. */
	size_t len = page + round_up(ss->ss_size + frame, page);
	void *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (map == MAP_FAILED)
		return NULL;
	if (mprotect(map, page, PROT_NONE) != 0) {
		munmap(map, len);
		return NULL;
	}
	*free_slot = (struct substitute){ map, len, ss->ss_sp, ss->ss_size };
	if (exit_key_ok)
		pthread_setspecific(exit_key, table);
	if (shim_debug_enabled())
		report_substitution(ss->ss_size, len - page);
	return free_slot;
}

/* The kernel refused `wanted` with ENOMEM: install its substitute. `old` gets the state before the change,
 * written by the kernel first, so that a bad pointer fails with EFAULT before anything changes. */
static long install_substitute(const stack_t *wanted, stack_t *old)
{
	if (old) {
		long ret = shim_sys_sigaltstack(NULL, old);
		if (ret != 0)
			return ret;
	}
	/* A handler that interrupted us and called sigaltstack() would see a half-updated table. Only our own
	 * memory is touched while signals are blocked: a fault there must stay catchable. */
	sigset_t all, saved;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	struct substitute *s = substitute_for(wanted);
	stack_t mine = { .ss_sp = s ? stack_base(s) : NULL,
			 .ss_size = s ? s->map_len - (size_t)getpagesize() : 0,
			 .ss_flags = wanted->ss_flags };
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (!s)
		return -ENOMEM;
	long ret = shim_sys_sigaltstack(&mine, NULL);
	if (ret == 0 && old)
		report_back(old);
	return ret;
}

/* The program's memory is read and written only where the kernel itself just read or wrote it in this
 * call, so a bad `ss` or `old` gives EFAULT as without the shim, and nothing runs with signals blocked
 * across an access that can fault (a program's SIGSEGV handler keeps working). */
__attribute__((visibility("default"))) int sigaltstack(const stack_t *ss, stack_t *old)
{
	long ret = shim_sys_sigaltstack(ss, old);
	/* ENOMEM for a stack the kernel accepted before AMX (>= 2048 bytes) means the AMX frame is why. On
	 * ENOMEM the kernel read `ss` and wrote nothing, so the copy is safe, and taken before `old` (which may
	 * be the same struct) is written. */
	if (ret == -ENOMEM && ss) {
		stack_t wanted = *ss;
		if (!(wanted.ss_flags & SS_DISABLE) && wanted.ss_size >= KERNEL_MINSIGSTKSZ &&
		    shim_altstack_enabled() && amxshim_usable(AMXSHIM_TILE))
			ret = install_substitute(&wanted, old);
	} else if (ret == 0 && old) {
		report_back(old);
	}
	if (ret != 0) {
		errno = (int)-ret;
		return -1;
	}
	return 0;
}
