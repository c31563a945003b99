/* The sigaltstack guard. Once AMX permission is held, the kernel refuses (ENOMEM) an alternate signal
 * stack smaller than the AMX signal frame, which breaks programs built with the old SIGSTKSZ (8192).
 * When that happens we install a stack of the size the kernel needs instead, and keep reporting the
 * program's own values back, per thread, so the program cannot tell. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include "../resolver/internal.h"
#include "altstack.h"
#include "report.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif
/* The kernel's fixed floor (arch/x86 MINSIGSTKSZ); glibc's macro of that name is now sysconf(). */
#define KERNEL_MINSIGSTKSZ 2048u
/* Without AT_MINSIGSTKSZ (kernels < 5.14) assume the AMX frame: about 11 KiB, rounded up. */
#define FALLBACK_FRAME 16384u

/* The substitute, and what the program asked for. */
struct substitute {
	void *map;       /* guard page + stack */
	size_t map_len;
	stack_t wanted;  /* the program's ss_sp/ss_size, reported back instead of ours */
};

static __thread struct substitute current;
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

static int guard_enabled(void)
{
	const char *v = amx_startenv_get("AMXSHIM_ALTSTACK");
	/* On unless set to off/0/false/no; only needed while this process holds AMX permission. */
	int off = v && *v && amx_flag_value(v) == 0;
	return !off && amxshim_usable(AMXSHIM_TILE);
}

static int debug_enabled(void)
{
	if (getauxval(AT_SECURE))
		return 0;
	return amx_flag_value(amx_startenv_get("AMXSHIM_DEBUG")) != 0;
}

static void release(struct substitute *s)
{
	if (s->map)
		munmap(s->map, s->map_len);
	memset(s, 0, sizeof *s);
}

/* At thread exit: take the stack out of the kernel's hands before unmapping it. */
static void on_thread_exit(void *unused)
{
	(void)unused;
	if (!current.map)
		return;
	stack_t off = { .ss_flags = SS_DISABLE };
	if (amx_sys_sigaltstack(&off, NULL) == 0)
		release(&current);
}

static void make_exit_key(void)
{
	if (pthread_key_create(&exit_key, on_thread_exit) != 0)
		exit_key = (pthread_key_t)-1;
}

/* Translate the kernel's view of the current stack back into the program's. */
static void report_back(stack_t *old)
{
	if (current.map && old->ss_sp == (char *)current.map + (size_t)getpagesize()) {
		old->ss_sp = current.wanted.ss_sp;
		old->ss_size = current.wanted.ss_size;
	}
}

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) / to * to;
}

static int substitute(const stack_t *ss, stack_t *old)
{
	size_t page = (size_t)getpagesize();
	size_t frame = getauxval(AT_MINSIGSTKSZ);
	if (frame < KERNEL_MINSIGSTKSZ)
		frame = FALLBACK_FRAME;
	/* The program's own budget for its handler, plus the frame the kernel now pushes. */
	size_t len = page + round_up(ss->ss_size + frame, page);
	void *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (map == MAP_FAILED)
		return -ENOMEM;
	if (mprotect(map, page, PROT_NONE) != 0) {
		munmap(map, len);
		return -ENOMEM;
	}
	stack_t mine = { .ss_sp = (char *)map + page, .ss_size = len - page, .ss_flags = ss->ss_flags };
	stack_t kernel_old;
	long ret = amx_sys_sigaltstack(&mine, &kernel_old);
	if (ret != 0) {
		munmap(map, len);
		return (int)ret;
	}
	if (old) {
		*old = kernel_old;
		report_back(old);
	}
	release(&current);
	current.map = map;
	current.map_len = len;
	current.wanted = *ss;
	pthread_once(&exit_key_once, make_exit_key);
	if (exit_key != (pthread_key_t)-1)
		pthread_setspecific(exit_key, &current);
	if (debug_enabled()) {
		char line[200];
		int n = snprintf(line, sizeof line,
				 "amxshim[%ld]: sigaltstack of %zu bytes is smaller than the AMX signal frame; "
				 "installed %zu bytes instead\n",
				 (long)getpid(), ss->ss_size, mine.ss_size);
		if (n > 0)
			amx_stderr_write(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	}
	return 0;
}

__attribute__((visibility("default"))) int sigaltstack(const stack_t *ss, stack_t *old)
{
	stack_t kernel_old;
	long ret = amx_sys_sigaltstack(ss, old ? &kernel_old : NULL);
	/* ENOMEM for a stack the kernel accepted before AMX (>= 2048 bytes) means the AMX frame is why. */
	if (ret == -ENOMEM && ss && !(ss->ss_flags & SS_DISABLE) && ss->ss_size >= KERNEL_MINSIGSTKSZ && guard_enabled())
		ret = substitute(ss, old);
	else if (ret == 0) {
		if (old) {
			*old = kernel_old;
			report_back(old);
		}
		/* The program replaced or disabled the stack: ours is no longer in use. */
		if (ss && current.map)
			release(&current);
	}
	if (ret != 0) {
		errno = (int)-ret;
		return -1;
	}
	return 0;
}
