// SPDX-License-Identifier: MIT
/* The shim's reports must never raise SIGPIPE or change errno.
 * usage: epipe_prog run CMD...   run CMD with stderr on a pipe whose reader has gone (SIGPIPE default,
 *                                unblocked), then print CMD's fate: "exit N" or "signal N"
 *        epipe_prog check        print errno as main sees it; then errno 4242 across a sigaltstack(8192)
 *                                (under the fake shim: a substitute and its report line)
 *        epipe_prog pending      SIGPIPE blocked and already pending: the same call must leave it pending */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(char **cmd)
{
	int fds[2];
	if (pipe(fds) != 0)
		return 2;
	close(fds[0]);
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		dup2(fds[1], 2);
		close(fds[1]);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	close(fds[1]);
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 2;
	if (WIFSIGNALED(st))
		printf("signal %d\n", WTERMSIG(st));
	else
		printf("exit %d\n", WEXITSTATUS(st));
	return 0;
}

static int small_stack(void)
{
	static char buf[8192];
	stack_t ss = { .ss_sp = buf, .ss_size = sizeof buf };
	errno = 4242;
	int ret = sigaltstack(&ss, NULL);
	int err = errno;
	printf("sigaltstack=%d errno_after=%d\n", ret, err);
	return ret;
}

int main(int argc, char **argv)
{
	int errno_at_main = errno;
	if (argc > 2 && !strcmp(argv[1], "run"))
		return run(argv + 2);
	if (argc == 2 && !strcmp(argv[1], "check")) {
		printf("errno_at_main=%d\n", errno_at_main);
		small_stack();
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "pending")) {
		sigset_t pipe_set, pending;
		sigemptyset(&pipe_set);
		sigaddset(&pipe_set, SIGPIPE);
		sigprocmask(SIG_BLOCK, &pipe_set, NULL);
		raise(SIGPIPE);
		small_stack();
		sigpending(&pending);
		printf("sigpipe_pending=%d\n", sigismember(&pending, SIGPIPE));
		return 0;
	}
	fprintf(stderr, "usage: epipe_prog run CMD... | check | pending\n");
	return 2;
}
