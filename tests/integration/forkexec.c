// SPDX-License-Identifier: MIT
/* forkexec N: fork, the child execs forkexec N-1, the parent waits; at 0, exec /bin/sh -c '...; exit 5'.
 * The exit status is 5 + N, and every level prints a line. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3;
	if (n <= 0) {
		execl("/bin/sh", "sh", "-c", "echo leaf; echo leaf-err >&2; exit 5", (char *)0);
		perror("forkexec: /bin/sh");
		return 127;
	}
	char next[16];
	snprintf(next, sizeof next, "%d", n - 1);
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("forkexec: fork");
		return 126;
	}
	if (pid == 0) {
		execl("/proc/self/exe", "forkexec", next, (char *)0);
		perror("forkexec: exec");
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return 126;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("level %d: child exited %d\n", n, code);
	fprintf(stderr, "level %d done\n", n);
	return code + 1;
}
