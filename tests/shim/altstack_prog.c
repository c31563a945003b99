// SPDX-License-Identifier: MIT
/* Exercises sigaltstack() the way old programs do (SIGSTKSZ = 8192) and checks what it observes.
 * usage: altstack_prog native|substitute|enomem|replace-in-handler
 *   native      the 8192-byte stack is installed as is: handlers run inside the program's buffer
 *   substitute  it is accepted, reported back unchanged, but handlers run on a larger stack (the guard)
 *   enomem      it is refused with ENOMEM (AMX permission held, guard off)
 *   replace-in-handler  with SS_AUTODISARM, a handler running on the stack installs another one (the
 *               kernel allows it): whatever runs the handler must stay mapped until it returns
 *   edges       the corners of sigaltstack(2) that must behave the same with and without the guard:
 *               rt_sigreturn reinstalling the stack a handler replaced, a nested handler on the new
 *               stack, `ss` and `old` the same struct, an `old` pointer that faults
 *   efault      bad `ss` and `old` pointers (unmapped, PROT_NONE, read-only) give -1/EFAULT as from the
 *               kernel, never a signal; the program's own SIGSEGV handler still catches its own fault */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#define OLD_SIGSTKSZ 8192
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31) /* linux/signal.h */
#endif
#define THREADS 64

static volatile uintptr_t handler_sp;

static void record_sp(int sig)
{
	(void)sig;
	handler_sp = (uintptr_t)__builtin_frame_address(0);
}

static int fail(const char *what)
{
	printf("FAIL: %s\n", what);
	return 1;
}

/* Which stack did a SIGUSR1 handler run on? 1: inside buf, 0: elsewhere. */
static int handler_inside(const char *buf, size_t len)
{
	handler_sp = 0;
	raise(SIGUSR1);
	return handler_sp >= (uintptr_t)buf && handler_sp < (uintptr_t)buf + len;
}

static void *thread_installs_stack(void *arg)
{
	static __thread char buf[OLD_SIGSTKSZ];
	stack_t ss = { .ss_sp = buf, .ss_size = sizeof buf };
	*(int *)arg = sigaltstack(&ss, NULL) == 0 ? 0 : errno;
	return NULL;
}

static long count_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	long n = 0;
	int c;
	while (f && (c = getc(f)) != EOF)
		n += c == '\n';
	if (f)
		fclose(f);
	return n;
}

/* The handler installs a big stack while running on the small one, then keeps using its own stack. */
static void replace_from_handler(int sig)
{
	static char big[65536];
	(void)sig;
	stack_t ss = { .ss_sp = big, .ss_size = sizeof big };
	if (sigaltstack(&ss, NULL) != 0)
		_exit(3);
	volatile char pad[4096];
	memset((char *)pad, 1, sizeof pad);
	handler_sp = (uintptr_t)__builtin_frame_address(0);
}

static int replace_in_handler(void)
{
	static char small[OLD_SIGSTKSZ];
	struct sigaction sa = { .sa_handler = replace_from_handler, .sa_flags = SA_ONSTACK };
	sigaction(SIGUSR2, &sa, NULL);
	long before = 0;
	for (int i = 0; i < 200; i++) {
		if (i == 1)
			before = count_mappings();
		stack_t ss = { .ss_sp = small, .ss_size = sizeof small, .ss_flags = SS_AUTODISARM };
		if (sigaltstack(&ss, NULL) != 0)
			return fail(strerror(errno));
		raise(SIGUSR2);
	}
	long after = count_mappings();
	if (after > before + 2) {
		printf("mappings %ld -> %ld\n", before, after);
		return fail("stacks replaced from inside a handler were never freed");
	}
	printf("200 replacements from inside a handler survived; mappings %ld -> %ld\n", before, after);
	return 0;
}

static char edge_a[OLD_SIGSTKSZ], edge_b[OLD_SIGSTKSZ];

static void install_b(int sig)
{
	(void)sig;
	stack_t n = { .ss_sp = edge_b, .ss_size = sizeof edge_b, .ss_flags = SS_AUTODISARM };
	if (sigaltstack(&n, NULL) != 0)
		_exit(4);
}

static void query_only(int sig)
{
	(void)sig;
	stack_t o;
	if (sigaltstack(NULL, &o) != 0)
		_exit(5);
}

/* Replaces the stack, then takes a nested signal on the new one, then keeps using its own stack. */
static void replace_then_nest(int sig)
{
	install_b(sig);
	raise(SIGUSR2);
	volatile char pad[512];
	memset((char *)pad, 1, sizeof pad);
}

static int edges(void)
{
	struct sigaction sa = { .sa_handler = install_b, .sa_flags = SA_ONSTACK };
	stack_t ss = { .ss_sp = edge_a, .ss_size = sizeof edge_a, .ss_flags = SS_AUTODISARM }, o;
	/* 1. The kernel reinstalls A on return from a handler that installed B. */
	sigaction(SIGUSR1, &sa, NULL);
	if (sigaltstack(&ss, NULL) != 0)
		return fail(strerror(errno));
	raise(SIGUSR1);
	if (sigaltstack(NULL, &o) != 0 || o.ss_sp != edge_a || o.ss_size != sizeof edge_a)
		return fail("after a handler replaced the stack, the restored one is not reported as the program's");
	raise(SIGUSR1); /* runs on the restored stack: it must still be mapped */
	/* 2. A nested handler on B while the outer one still runs on A. */
	sa.sa_handler = replace_then_nest;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = query_only;
	sigaction(SIGUSR2, &sa, NULL);
	if (sigaltstack(&ss, NULL) != 0)
		return fail(strerror(errno));
	raise(SIGUSR1);
	/* 3. The same struct as `ss` and `old`. */
	stack_t both = { .ss_sp = edge_a, .ss_size = sizeof edge_a };
	stack_t *volatile same = &both; /* hidden from the compiler's restrict check: aliasing is the point */
	if (sigaltstack(&both, same) != 0)
		return fail(strerror(errno));
	if (sigaltstack(NULL, &o) != 0 || o.ss_sp != edge_a || o.ss_size != sizeof edge_a)
		return fail("sigaltstack(&ss, &ss) lost the program's stack");
	/* 4. A faulting `old`: EFAULT, as from the kernel, not a crash. */
	errno = 0;
	if (sigaltstack(NULL, (stack_t *)8) != -1 || errno != EFAULT)
		return fail("a faulting old pointer did not give EFAULT");
	printf("edges: restored stack, nested handler, aliased arguments, EFAULT all as the kernel does\n");
	return 0;
}

static volatile sig_atomic_t segv_count;
static sigjmp_buf segv_jump;

static void on_segv(int sig)
{
	(void)sig;
	segv_count++;
	siglongjmp(segv_jump, 1);
}

/* sigaltstack(ss, old) must be -1/EFAULT without any signal; `what` names the case. With an 8192-byte
 * `ss` a kernel holding AMX permission checks the size first: ENOMEM is its answer then (guard off). */
static int expect_fail(const stack_t *ss, stack_t *old, int enomem_ok, const char *what)
{
	if (sigsetjmp(segv_jump, 1)) {
		printf("FAIL: %s: SIGSEGV instead of EFAULT\n", what);
		return 1;
	}
	errno = 0;
	int ret = sigaltstack(ss, old);
	if (ret != -1 || (errno != EFAULT && !(enomem_ok && errno == ENOMEM))) {
		printf("FAIL: %s: returned %d, errno %d (%s), want -1/EFAULT\n", what, ret, errno, strerror(errno));
		return 1;
	}
	return 0;
}

static int efault(void)
{
	struct sigaction sa = { .sa_handler = on_segv };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	stack_t *ro = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (none == MAP_FAILED || ro == MAP_FAILED)
		return fail("mmap");
	static char small[OLD_SIGSTKSZ], big[65536];
	*ro = (stack_t){ .ss_sp = small, .ss_size = sizeof small }; /* a valid 8192-byte request, read-only */
	mprotect(ro, page, PROT_READ);
	stack_t good = { .ss_sp = big, .ss_size = sizeof big };
	int bad = 0;
	bad |= expect_fail((const stack_t *)8, NULL, 0, "ss = 8");
	bad |= expect_fail((const stack_t *)none, NULL, 0, "ss in a PROT_NONE page");
	bad |= expect_fail((const stack_t *)(none + page - 4), NULL, 0, "ss straddling into PROT_NONE");
	bad |= expect_fail(NULL, (stack_t *)8, 0, "old = 8");
	bad |= expect_fail(NULL, ro, 0, "old read-only");
	bad |= expect_fail(&good, (stack_t *)none, 0, "valid ss, old in a PROT_NONE page");
	bad |= expect_fail(ro, ro, 1, "8192-byte ss and old the same read-only struct");
	bad |= expect_fail(ro, (stack_t *)8, 1, "8192-byte ss, old = 8");
	if (bad)
		return 1;
	if (segv_count)
		return fail("a SIGSEGV was raised");
	/* The program's own handler still works: every signal it needs is deliverable. */
	if (!sigsetjmp(segv_jump, 1))
		*(volatile char *)none = 1;
	if (segv_count != 1)
		return fail("the program's SIGSEGV handler did not catch its own fault");
	printf("efault: 8 bad pointers gave -1/EFAULT and no signal; the program's SIGSEGV handler works\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return fail("usage");
	const char *mode = argv[1];
	if (!strcmp(mode, "replace-in-handler"))
		return replace_in_handler();
	if (!strcmp(mode, "edges"))
		return edges();
	if (!strcmp(mode, "efault"))
		return efault();
	static char buf[OLD_SIGSTKSZ];
	struct sigaction sa = { .sa_handler = record_sp, .sa_flags = SA_ONSTACK };
	sigaction(SIGUSR1, &sa, NULL);

	stack_t ss = { .ss_sp = buf, .ss_size = sizeof buf }, cur;
	int ret = sigaltstack(&ss, NULL);
	if (!strcmp(mode, "enomem"))
		return ret == -1 && errno == ENOMEM ? (printf("refused with ENOMEM as expected\n"), 0)
						    : fail("sigaltstack(8192) was not refused with ENOMEM");
	if (ret != 0)
		return fail(strerror(errno));
	if (sigaltstack(NULL, &cur) != 0 || cur.ss_sp != buf || cur.ss_size != sizeof buf || cur.ss_flags != 0)
		return fail("sigaltstack(NULL, &old) does not report the program's own stack");
	int inside = handler_inside(buf, sizeof buf);
	if (!strcmp(mode, "native"))
		return inside ? (printf("installed as is; handler ran inside the program's buffer\n"), 0)
			      : fail("handler did not run on the program's stack");
	if (inside)
		return fail("handler ran on the too-small stack: no substitute installed");
	if (!handler_sp)
		return fail("handler did not run");

	/* Replacing the stack reports our substitute as the program's old one, then frees it. */
	stack_t off = { .ss_flags = SS_DISABLE }, old;
	if (sigaltstack(&off, &old) != 0 || old.ss_sp != buf || old.ss_size != sizeof buf)
		return fail("disabling does not report the program's stack as the old one");
	if (sigaltstack(NULL, &cur) != 0 || !(cur.ss_flags & SS_DISABLE))
		return fail("stack not disabled");

	/* Threads that install a small stack and exit must not leak substitutes. Round 0 warms glibc's
	 * cache of thread stacks, whose mappings would otherwise look like a leak. */
	long before = 0;
	for (int round = 0; round < 5; round++) {
		if (round == 1)
			before = count_mappings();
		pthread_t t[THREADS];
		int err[THREADS];
		for (int i = 0; i < THREADS; i++)
			if (pthread_create(&t[i], NULL, thread_installs_stack, &err[i]) != 0)
				return fail("pthread_create");
		for (int i = 0; i < THREADS; i++) {
			pthread_join(t[i], NULL);
			if (err[i])
				return fail("a thread's sigaltstack(8192) failed");
		}
	}
	long after = count_mappings();
	if (after > before + 2) {
		printf("mappings %ld -> %ld\n", before, after);
		return fail("mappings grew: substitutes of exited threads were not freed");
	}
	printf("substituted: handler ran on a larger stack, program's values reported, %d threads, "
	       "mappings %ld -> %ld\n",
	       5 * THREADS, before, after);
	return 0;
}
