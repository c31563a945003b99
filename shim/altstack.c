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
 * system calls, reads its per-thread table's key (pthread_getspecific, lock-free in glibc), formats
 * without stdio and blocks signals while it reads or changes the table (never while it touches the
 * program's memory). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include "../resolver/internal.h"
#include "altstack.h"
#include "libc.h"
#include "report.h"
#include "settings.h"
#include "sys.h"

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

/* A thread's substitutes: a page mapped on its first substitution, found through a pthread key whose
 * destructor unmaps them at thread exit. Not TLS: a __thread block costs every process __tls_get_addr's
 * import and a TLS module, and only a process holding AMX permission ever needs one. */
struct table {
	struct substitute slot[MAX_SUBSTITUTES];
};
_Static_assert(sizeof(struct table) <= SHIM_PAGE_SIZE, "a thread's table fits its page");

/* What the guard needs from libc, and the key: set up once (prepare()), then made read-only, as full RELRO
 * makes the GOT: function pointers in writable memory would be a target. A page of its own for that. */
static union {
	struct {
		void *(*getspecific)(pthread_key_t);
		int (*setspecific)(pthread_key_t, const void *);
		pthread_key_t key;
		size_t frame; /* the kernel's signal frame, AT_MINSIGSTKSZ */
	} v;
	char page[SHIM_PAGE_SIZE];
} guard __attribute__((aligned(SHIM_PAGE_SIZE)));

enum { GUARD_NONE, GUARD_PREPARING, GUARD_READY, GUARD_FAILED };
static int guard_state;

static char *stack_base(const struct substitute *s)
{
	return (char *)s->map + SHIM_PAGE_SIZE;
}

/* At thread exit: take the stack out of the kernel's hands, then unmap every substitute but the one this
 * code runs on (pthread_exit from a handler), and the table. */
static void on_thread_exit(void *arg)
{
	struct table *t = arg;
	stack_t off = { .ss_flags = SS_DISABLE };
	if (shim_sys_sigaltstack(&off, NULL) != 0)
		return;
	char *sp = __builtin_frame_address(0);
	for (int i = 0; i < MAX_SUBSTITUTES; i++) {
		struct substitute *s = &t->slot[i];
		if (s->map && !(sp >= (char *)s->map && sp < (char *)s->map + s->map_len))
			shim_munmap(s->map, s->map_len);
	}
	shim_munmap(t, SHIM_PAGE_SIZE);
}

/* Look up what the guard needs and create the key. Not async-signal-safe (dlsym, pthread_key_create): the
 * constructor does it when AMX is granted, so that only a substitution before the shim's constructor ran
 * (another library's) does it here. A second thread arriving meanwhile gets no substitute. */
static int prepare(void)
{
	int state = __atomic_load_n(&guard_state, __ATOMIC_ACQUIRE);
	if (state == GUARD_NONE &&
	    __atomic_compare_exchange_n(&guard_state, &state, GUARD_PREPARING, 0, __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
		__typeof__(&pthread_key_create) key_create = SHIM_LIBC(pthread_key_create);
		__typeof__(&getauxval) auxval = SHIM_LIBC(getauxval);
		guard.v.getspecific = SHIM_LIBC(pthread_getspecific);
		guard.v.setspecific = SHIM_LIBC(pthread_setspecific);
		guard.v.frame = auxval ? auxval(AT_MINSIGSTKSZ) : 0;
		if (guard.v.frame < KERNEL_MINSIGSTKSZ)
			guard.v.frame = FALLBACK_FRAME;
		int ok = key_create && guard.v.getspecific && guard.v.setspecific &&
			 key_create(&guard.v.key, on_thread_exit) == 0;
		(void)shim_mprotect(&guard, sizeof guard, PROT_READ);
		state = ok ? GUARD_READY : GUARD_FAILED;
		__atomic_store_n(&guard_state, state, __ATOMIC_RELEASE);
	}
	return state == GUARD_READY;
}

/* Creating the key is not async-signal-safe: do it at start-up, not first inside a handler. Only where the
 * guard can act at all: the kernel refuses small stacks only once AMX permission is held. */
__attribute__((constructor)) static void altstack_init(void)
{
	if (shim_altstack_enabled() && amxshim_usable(AMXSHIM_TILE))
		(void)prepare();
}

/* This thread's table, or NULL when it has none (no substitute ever made in this thread). */
static struct table *this_table(void)
{
	if (__atomic_load_n(&guard_state, __ATOMIC_ACQUIRE) != GUARD_READY)
		return NULL;
	return guard.v.getspecific(guard.v.key);
}

/* Translate the kernel's view of the installed stack (just written to *old by the kernel) back into the
 * program's. The table is searched with signals blocked (a handler may be adding to it); *old is read and
 * written outside that window. */
static void report_back(stack_t *old)
{
	struct table *t = this_table();
	if (!t)
		return;
	void *sp = old->ss_sp;
	void *wanted_sp = NULL;
	size_t wanted_size = 0;
	shim_sigset all = SHIM_SIGSET_ALL, saved;
	shim_sigprocmask(SIG_SETMASK, &all, &saved);
	for (int i = 0; i < MAX_SUBSTITUTES; i++) {
		if (t->slot[i].map && sp == stack_base(&t->slot[i])) {
			wanted_sp = t->slot[i].wanted_sp;
			wanted_size = t->slot[i].wanted_size;
			break;
		}
	}
	shim_sigprocmask(SIG_SETMASK, &saved, NULL);
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
	amx_line_dec(&l, (uint64_t)shim_getpid());
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
	struct table *t = this_table();
	if (!t) {
		if (__atomic_load_n(&guard_state, __ATOMIC_ACQUIRE) != GUARD_READY)
			return NULL;
		t = shim_mmap_anon(SHIM_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
		if (t == MAP_FAILED)
			return NULL;
		if (guard.v.setspecific(guard.v.key, t) != 0) {
			shim_munmap(t, SHIM_PAGE_SIZE);
			return NULL;
		}
	}
	struct substitute *free_slot = NULL;
	for (int i = 0; i < MAX_SUBSTITUTES; i++) {
		struct substitute *s = &t->slot[i];
		if (s->map && s->wanted_sp == ss->ss_sp && s->wanted_size == ss->ss_size)
			return s;
		if (!s->map && !free_slot)
			free_slot = s;
	}
	if (!free_slot)
		return NULL;
	size_t page = SHIM_PAGE_SIZE;
	/* The program's own budget for its handler, plus the frame the kernel now pushes. */
	size_t len = page + round_up(ss->ss_size + guard.v.frame, page);
	void *map = shim_mmap_anon(len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK);
	if (map == MAP_FAILED)
		return NULL;
	if (shim_mprotect(map, page, PROT_NONE) != 0) {
		shim_munmap(map, len);
		return NULL;
	}
	*free_slot = (struct substitute){ map, len, ss->ss_sp, ss->ss_size };
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
	shim_sigset all = SHIM_SIGSET_ALL, saved;
	shim_sigprocmask(SIG_SETMASK, &all, &saved);
	struct substitute *s = substitute_for(wanted);
	stack_t mine = { .ss_sp = s ? stack_base(s) : NULL,
			 .ss_size = s ? s->map_len - SHIM_PAGE_SIZE : 0,
			 .ss_flags = wanted->ss_flags };
	shim_sigprocmask(SIG_SETMASK, &saved, NULL);
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
		    shim_altstack_enabled() && amxshim_usable(AMXSHIM_TILE) && prepare())
			ret = install_substitute(&wanted, old);
	} else if (ret == 0 && old) {
		report_back(old);
	}
	if (ret != 0) {
		/* libc's errno is thread-local in libc: __errno_location is the shim's one libc import besides
		 * dlsym, since any sigaltstack() in any thread can fail (EFAULT, EINVAL, EPERM), from a handler
		 * too, where a lookup could not be made. */
		errno = (int)-ret;
		return -1;
	}
	return 0;
}
