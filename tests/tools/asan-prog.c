// SPDX-License-Identifier: MIT
/* asan-prog: built with -fsanitize=address (dynamic runtime, gcc's default). Prints a line from a heap
 * buffer; with a number it writes out of bounds there, which ASan must still catch under amxrun; with
 * "run CMD [ARG...]" it first runs CMD as its child (fork and execvp) and waits for it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	if (argc > 2 && !strcmp(argv[1], "run")) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		int status;
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			return 2;
		argc = 1;
	}
	char *p = malloc(8);
	if (!p)
		return 2;
	strcpy(p, "asan ok");
	if (argc > 1)
		p[atoi(argv[1])] = 'x';
	puts(p);
	free(p);
	return 0;
}
