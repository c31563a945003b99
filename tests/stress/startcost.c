// SPDX-License-Identifier: MIT
/* startcost ROUNDS SHIM AUDIT_SHIM PROG [ARG...]: start-up cost of PROG (e.g. /bin/true) with no shim,
 * LD_PRELOAD=SHIM, LD_AUDIT=AUDIT_SHIM and both, measured as fork + execve + waitpid wall time. The four
 * modes are interleaved round by round (so drifts in machine load hit them alike); prints the median and
 * the ratio to the no-shim median for each. A measurement tool for LD_AUDIT.md, not a test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#define MODES 4

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: startcost ROUNDS SHIM AUDIT_SHIM PROG [ARG...]\n");
		return 2;
	}
	int rounds = atoi(argv[1]);
	if (rounds < 1)
		return 2;
	static const char *const names[MODES] = { "none", "LD_PRELOAD", "LD_AUDIT", "LD_AUDIT+LD_PRELOAD" };
	double *t[MODES];
	for (int m = 0; m < MODES; m++)
		if (!(t[m] = calloc((size_t)rounds, sizeof(double))))
			return 2;
	for (int r = 0; r < rounds; r++) {
		for (int m = 0; m < MODES; m++) {
			double start = now_us();
			pid_t pid = fork();
			if (pid == 0) {
				if (m == 1 || m == 3)
					setenv("LD_PRELOAD", argv[2], 1);
				if (m == 2 || m == 3)
					setenv("LD_AUDIT", argv[3], 1);
				execv(argv[4], argv + 4);
				_exit(127);
			}
			int status;
			if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
				fprintf(stderr, "startcost: %s: the program failed\n", names[m]);
				return 1;
			}
			t[m][r] = now_us() - start;
		}
	}
	double base = 0;
	for (int m = 0; m < MODES; m++) {
		qsort(t[m], (size_t)rounds, sizeof(double), cmp);
		double med = t[m][rounds / 2];
		if (m == 0)
			base = med;
		printf("%-20s median %7.1f us  ratio %.2f  (p10 %.1f, p90 %.1f)\n", names[m], med, med / base,
		       t[m][rounds / 10], t[m][rounds * 9 / 10]);
	}
	return 0;
}
