/* The sigaltstack guard. Once AMX permission is held, the kernel refuses (ENOMEM) an alternate signal
 * stack smaller than the AMX signal frame, which breaks programs built with the old SIGSTKSZ (8192).
 * When that happens we install a stack of the size the kernel needs instead, and keep reporting the
 * program's own values back, per thread, so the program cannot tell.
 *
 * sigaltstack() is async-signal-safe and programs call it from handlers, so the paths here only make
 * system calls, block signals while they change the per-thread record, and format without stdio. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
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

/* A substitute stack, and what the program asked for. */
struct substitute {
	void *map;       /* guard page + stack */
	size_t map_len;
	stack_t wanted;  /* the program's ss_sp/ss_size, reported back instead of ours */
};

/* `current` is installed in the kernel. `retired` was replaced while a handler was still running on it
 * (SS_AUTODISARM allows that): it is unmapped at the next call made off it, or at thread exit. */
static __thread struct substitute current, retired;
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static int exit_key_ok;

static int guard_enabled(void)
{
	/* On unless set to off/0/false/no (never in secure-execution processes, which honour only
	 * AMXSHIM_DISABLE); only needed while this process holds AMX permission. */
	const char *v = getauxval(AT_SECURE) ? 0 : amx_startenv_get("AMXSHIM_ALTSTACK");
	int off = v && *v && amx_flag_value(v) == 0;
	return !off && amxshim_usable(AMXSHIM_TILE);
}

static int debug_enabled(void)
{
	return !getauxval(AT_SECURE) && amx_flag_value(amx_startenv_get("AMXSHIM_DEBUG")) != 0;
}

static int running_on(const struct substitute *s)
{
	char *sp = __builtin_frame_address(0);
	return s->map && sp >= (char *)s->map && sp < (char *)s->map + s->map_len;
}

static void release(struct substitute *s)
{
	if (s->map)
		munmap(s->map, s->map_len);
	s->map = NULL;
	s->map_len = 0;
}

/* `current` is no longer installed: unmap it, or retire it while a handler still runs on it. */
static void drop_current(void)
{
	if (retired.map && !running_on(&retired))
		release(&retired);
	/* Running on `current` means not on `retired`, which is therefore free now. */
	if (running_on(&current))
		retired = current;
	else
		release(&current);
	current.map = NULL;
	current.map_len = 0;
}

/* At thread exit: take the stack out of the kernel's hands before unmapping it. */
static void on_thread_exit(void *unused)
{
	(void)unused;
	stack_t off = { .ss_flags = SS_DISABLE };
	if (current.map && amx_sys_sigaltstack(&off, NULL) == 0)
		release(&current);
	release(&retired);
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

/* Decimal without stdio (async-signal-safe). */
static char *put_size(char *p, size_t v)
{
	char tmp[24];
	int n = 0;
	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

static void report_substitution(size_t wanted, size_t installed)
{
	char line[160], *p = line;
	p = put_str(p, "amxshim[");
	p = put_size(p, (size_t)getpid());
	p = put_str(p, "]: sigaltstack of ");
	p = put_size(p, wanted);
	p = put_str(p, " bytes is smaller than the AMX signal frame; installed ");
	p = put_size(p, installed);
	p = put_str(p, " bytes instead\n");
	amx_stderr_write(line, (size_t)(p - line));
}

static long substitute(const stack_t *ss, stack_t *old)
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
		return ret;
	}
	if (old) {
		*old = kernel_old;
		report_back(old);
	}
	drop_current();
	current.map = map;
	current.map_len = len;
	current.wanted = *ss;
	pthread_once(&exit_key_once, make_exit_key); /* normally done by the constructor already */
	if (exit_key_ok)
		pthread_setspecific(exit_key, &current);
	if (debug_enabled())
		report_substitution(ss->ss_size, mine.ss_size);
	return 0;
}

__attribute__((visibility("default"))) int sigaltstack(const stack_t *ss, stack_t *old)
{
	/* A handler that interrupted us and called sigaltstack() would see a half-updated record. */
	sigset_t all, saved;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	stack_t kernel_old;
	long ret = amx_sys_sigaltstack(ss, old ? &kernel_old : NULL);
	/* ENOMEM for a stack the kernel accepted before AMX (>= 2048 bytes) means the AMX frame is why. */
	if (ret == -ENOMEM && ss && !(ss->ss_flags & SS_DISABLE) && ss->ss_size >= KERNEL_MINSIGSTKSZ &&
	    guard_enabled()) {
		ret = substitute(ss, old);
	} else if (ret == 0) {
		if (old) {
			*old = kernel_old;
			report_back(old);
		}
		/* The program replaced or disabled the stack: ours is no longer installed. */
		if (ss && current.map)
			drop_current();
	}
	if (retired.map && !running_on(&retired))
		release(&retired);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (ret != 0) {
		errno = (int)-ret;
		return -1;
	}
	return 0;
}
