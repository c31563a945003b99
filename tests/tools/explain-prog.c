// SPDX-License-Identifier: MIT
/* explain-prog MODE [N]: the crashes amxrun --explain is tested on (tests/tools/explain.sh). Each mode prints
 * a line first, so that the test sees the program's own output survive.
 *   amx        tdpbssd (AMX-INT8) in amx_crash_site(): SIGILL without AMX or without permission
 *   req        arch_prctl(ARCH_REQ_XCOMP_PERM, XTILEDATA) itself (prints the errno), then the same
 *   fork       the crash in a forked child; the parent prints how the child ended and exits 3
 *   thread     the crash in a second thread
 *   ud2        ud2: SIGILL that is not AMX
 *   handled N  N ud2 instructions, each caught by a SIGILL handler that steps over it; exits 0
 *   altstack   SIGUSR1 to a handler on an alternate signal stack that cannot be written: the kernel fails
 *              to write the frame and raises SIGSEGV */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

__attribute__((noinline)) void amx_crash_site(void);
__attribute__((noinline)) void amx_crash_site(void)
{
	__asm__ volatile(".byte 0xc4, 0xe2, 0x63, 0x5e, 0xca" ::: "memory"); /* tdpbssd %tmm3, %tmm2, %tmm1 */
}

static void *thread_main(void *arg)
{
	(void)arg;
	amx_crash_site();
	return 0;
}

static volatile sig_atomic_t caught;

static void step_over_ud2(int sig, siginfo_t *si, void *uc_)
{
	ucontext_t *uc = uc_;
	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_RIP] += 2;
	caught++;
}

static void nothing(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	printf("explain-prog %s: before\n", mode);
	fflush(stdout);
	if (!strcmp(mode, "amx")) {
		amx_crash_site();
	} else if (!strcmp(mode, "req")) {
		long r = syscall(SYS_arch_prctl, 0x1023, 18);
		printf("req: %s\n", r ? strerrorname_np(errno) : "granted");
		fflush(stdout);
		amx_crash_site();
	} else if (!strcmp(mode, "fork")) {
		pid_t pid = fork();
		if (pid == 0) {
			amx_crash_site();
			_exit(0);
		}
		int status;
		waitpid(pid, &status, 0);
		printf("child: %s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
		       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		return 3;
	} else if (!strcmp(mode, "thread")) {
		pthread_t t;
		pthread_create(&t, 0, thread_main, 0);
		pthread_join(t, 0);
	} else if (!strcmp(mode, "ud2")) {
		__asm__ volatile("ud2");
	} else if (!strcmp(mode, "handled")) {
		long n = argc > 2 ? atol(argv[2]) : 1;
		struct sigaction sa = { .sa_sigaction = step_over_ud2, .sa_flags = SA_SIGINFO };
		sigaction(SIGILL, &sa, 0);
		for (long i = 0; i < n; i++)
			__asm__ volatile("ud2");
		printf("handled %ld\n", (long)caught);
	} else if (!strcmp(mode, "altstack")) {
		size_t size = 1 << 16;
		void *mem = mmap(0, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		stack_t ss = { .ss_sp = mem, .ss_size = size };
		struct sigaction sa = { .sa_handler = nothing, .sa_flags = SA_ONSTACK };
		if (mem == MAP_FAILED || sigaltstack(&ss, 0) || sigaction(SIGUSR1, &sa, 0))
			return 2;
		raise(SIGUSR1);
	} else {
		fprintf(stderr, "explain-prog: unknown mode %s\n", mode);
		return 2;
	}
	printf("explain-prog %s: after\n", mode);
	return 0;
}
