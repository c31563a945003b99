// SPDX-License-Identifier: MIT
/* Process start-up cost of the shim: one command run many times under each configuration, the
 * configurations interleaved round by round so drift hits all alike; prints medians and ratios.
 * usage: startup ROUNDS EMPTY_SO SHIM_SO COMMAND [ARGS...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "stats.h"

enum { NONE, EMPTY, SHIM, SHIM_DISABLED, N_CONFIGS };
static const char *const names[N_CONFIGS] = { "no preload", "empty preload", "shim", "shim, AMXSHIM_DISABLE=1" };

static double run_once(int config, const char *empty, const char *shim, char **cmd)
{
	double start = bench_now_ns();
	pid_t pid = fork();
	if (pid == 0) {
		unsetenv("LD_PRELOAD");
		unsetenv("AMXSHIM_DISABLE");
		if (config == EMPTY)
			setenv("LD_PRELOAD", empty, 1);
		if (config == SHIM || config == SHIM_DISABLED)
			setenv("LD_PRELOAD", shim, 1);
		if (config == SHIM_DISABLED)
			setenv("AMXSHIM_DISABLE", "1", 1);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "startup: %s failed under '%s'\n", cmd[0], names[config]);
		exit(1);
	}
	return bench_now_ns() - start;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: startup ROUNDS EMPTY_SO SHIM_SO COMMAND [ARGS...]\n");
		return 2;
	}
	int rounds = atoi(argv[1]);
	double *t[N_CONFIGS];
	for (int c = 0; c < N_CONFIGS; c++)
		t[c] = calloc((size_t)rounds, sizeof(double));
	for (int r = 0; r < rounds; r++)
		for (int k = 0; k < N_CONFIGS; k++) {
			int c = (r + k) % N_CONFIGS; /* rotate the order too */
			t[c][r] = run_once(c, argv[2], argv[3], argv + 4);
		}
	double med[N_CONFIGS];
	for (int c = 0; c < N_CONFIGS; c++)
		med[c] = bench_median(t[c], (size_t)rounds);
	printf("| `%s` | %.0f | %.0f | %.0f | %.0f | %.3f | %.3f |\n", argv[4], med[NONE] / 1e3, med[EMPTY] / 1e3,
	       med[SHIM] / 1e3, med[SHIM_DISABLED] / 1e3, med[SHIM] / med[EMPTY], med[SHIM_DISABLED] / med[EMPTY]);
	return 0;
}
