// SPDX-License-Identifier: MIT
/* static-perm: a static executable for amxrun's tests. It prints its PID, its tracer (it must have none
 * once it runs) and its own AMX permission, then exits with argv[1] or, for "kN", raises signal N.
 * Its first system call is the arch_prctl below, so nothing it does comes before amxrun's request. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#define ARCH_GET_XCOMP_PERM 0x1022

static long tracer_pid(void)
{
	char line[256];
	long pid = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "TracerPid:", 10))
			pid = strtol(line + 10, 0, 10);
	fclose(f);
	return pid;
}

int main(int argc, char **argv)
{
	unsigned long long perm = 0;
	long err = syscall(SYS_arch_prctl, ARCH_GET_XCOMP_PERM, &perm);
	printf("pid=%ld tracer=%ld xtiledata=%s\n", (long)getpid(), tracer_pid(),
	       err                ? "unreadable"
	       : (perm >> 18) & 1 ? "1"
				  : "0");
	fflush(stdout);
	if (argc > 1 && argv[1][0] == 'k')
		raise(atoi(argv[1] + 1));
	return argc > 1 ? atoi(argv[1]) : 0;
}
