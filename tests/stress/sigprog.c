// SPDX-License-Identifier: MIT
/* sigprog MODE: an ordinary program with habits that a preloaded object could trip over.
 *
 *   faults   installs its own SIGILL and SIGSEGV handlers (SA_SIGINFO | SA_ONSTACK) on an 8192-byte
 *            sigaltstack (the old SIGSTKSZ: too small once AMX is granted, so the shim's guard substitutes),
 *            then causes ud2 (SIGILL), a NULL write (SIGSEGV) and one AMX tile operation, and prints what
 *            each did: the signal, si_code, and whether the handler ran on the alternate stack.
 *   tile     prints its blocked-signal mask (SigBlk) and runs one tile operation with no handler at all:
 *            without AMX permission that is a SIGILL the process dies of, blocked or not.
 *   fd2 FILE reports whether fd 2 was open at main, opens FILE (it gets fd 2 when fd 2 was closed), writes
 *            two lines into it around an 8192-byte sigaltstack() call, and reports the fds it saw. FILE
 *            must end up holding exactly the program's two lines. libfd2's constructor may hold fd 2 too.
 * stdout gets the report; nothing is written to stderr on purpose. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../integration/tileop.h"

/* The tile operation, fatal without permission (SIGILL). */
static void tile_op(void)
{
	(void)tileop_zero_store();
}

int libfd2_fd(void);

static sigjmp_buf back;
static volatile sig_atomic_t got_sig, got_code, got_onstack;

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	stack_t cur;
	got_sig = sig;
	got_code = si->si_code;
	got_onstack = sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_ONSTACK);
	siglongjmp(back, 1);
}

static const char *code_name(int sig, int code)
{
	if (sig == SIGILL)
		return code == ILL_ILLOPC ? "ILL_ILLOPC" : code == ILL_ILLOPN ? "ILL_ILLOPN" : "other";
	return code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR" : "other";
}

static void attempt(const char *what, void (*fn)(void))
{
	got_sig = 0;
	if (sigsetjmp(back, 1) == 0) {
		fn();
		printf("%s: ok\n", what);
	} else {
		/* clang-format off */
		printf("%s: %s %s onstack=%d\n", what, got_sig == SIGILL ? "SIGILL" : got_sig == SIGSEGV ? "SIGSEGV" : "?",
		       code_name(got_sig, got_code), (int)got_onstack);
		/* clang-format on */
	}
	fflush(stdout);
}

static void ud2(void)
{
	__asm__ volatile("ud2");
}

static void null_write(void)
{
	*(volatile int *)(unsigned long)getenv("STRESS_NO_SUCH_VARIABLE") = 1;
}

static void sigblk(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "SigBlk:", 7))
			printf("sigblk: %s", line + 8 + strspn(line + 7, "\t ") - 1);
	if (f)
		fclose(f);
	fflush(stdout);
}

static int small_altstack(void)
{
	static char stack[8192];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof stack, .ss_flags = 0 };
	return sigaltstack(&ss, NULL);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "faults";
	if (!strcmp(mode, "faults")) {
		printf("sigaltstack(8192): %d\n", small_altstack());
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = handler;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGILL, &sa, NULL) || sigaction(SIGSEGV, &sa, NULL))
			return 2;
		sigblk();
		attempt("ud2", ud2);
		attempt("null", null_write);
		attempt("tile", tile_op);
		attempt("ud2 again", ud2);
		return 0;
	}
	if (!strcmp(mode, "tile")) {
		sigblk();
		tile_op();
		printf("tile: ok\n");
		return 0;
	}
	if (!strcmp(mode, "fd2") && argc > 2) {
		int open_at_main = fcntl(2, F_GETFD) != -1;
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
		static const char l1[] = "main: line 1\n", l2[] = "main: line 2\n";
		if (fd < 0 || write(fd, l1, sizeof l1 - 1) < 0)
			return 2;
		int alt = small_altstack();
		if (write(fd, l2, sizeof l2 - 1) < 0)
			return 2;
		close(fd);
		printf("fd 2 at main: %s; FILE got fd %d; libfd2 log fd %d; sigaltstack(8192): %d\n",
		       open_at_main ? "open" : "closed", fd, libfd2_fd(), alt);
		return 0;
	}
	fprintf(stderr, "usage: sigprog faults|tile|fd2 FILE\n");
	return 2;
}
