// SPDX-License-Identifier: MIT
/* stress-exec [OPTIONS] -- PROG [ARG...]: set up a hostile start for PROG, then execve it.
 *   -b            block every signal (sigprocmask is inherited across execve)
 *   -c            close fd 2 (stderr) first
 *   -e ENTRY      append ENTRY to the environment verbatim (it may lack '=' or repeat a name)
 *   -x NAME=HEX   append NAME=<the bytes written as hex digits> (binary values; NUL is impossible)
 *   -n NAME=LEN   append NAME=<LEN bytes 'x'>
 *   -N NAME=LEN   append NAME=<LEN bytes cycling through 0x01..0xff: control bytes, '=', invalid UTF-8>
 * The environment is this process's own plus the appended entries. When execve fails, prints
 * "stress-exec: execve: ENAME" (E2BIG for a string over MAX_ARG_STRLEN) on stderr and exits 126. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#define MAX_ADDED 64

static void usage(void)
{
	fprintf(stderr, "usage: stress-exec [-b] [-c] [-e ENTRY] [-x NAME=HEX] [-n|-N NAME=LEN] -- PROG [ARG...]\n");
	exit(2);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* NAME= followed by the value `make` writes into `len` bytes. */
static char *entry(const char *spec, int kind)
{
	const char *eq = strchr(spec, '=');
	if (!eq)
		usage();
	size_t name_len = (size_t)(eq - spec) + 1, len;
	const char *arg = eq + 1;
	if (kind == 'x') {
		len = strlen(arg);
		if (len % 2)
			usage();
		len /= 2;
	} else {
		char *end;
		len = strtoul(arg, &end, 10);
		if (*end || end == arg)
			usage();
	}
	char *e = malloc(name_len + len + 1);
	if (!e) {
		perror("stress-exec");
		exit(2);
	}
	memcpy(e, spec, name_len);
	char *v = e + name_len;
	for (size_t i = 0; i < len; i++) {
		if (kind == 'x') {
			int hi = hexval(arg[2 * i]), lo = hexval(arg[2 * i + 1]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				usage();
			v[i] = (char)(hi << 4 | lo);
		} else {
			v[i] = kind == 'n' ? 'x' : (char)(1 + i % 255);
		}
	}
	v[len] = 0;
	return e;
}

int main(int argc, char **argv)
{
	char *added[MAX_ADDED];
	int n_added = 0, block = 0, close2 = 0, opt;
	while ((opt = getopt(argc, argv, "+bce:x:n:N:")) != -1) {
		if (n_added >= MAX_ADDED)
			usage();
		switch (opt) {
		case 'b': block = 1; break;
		case 'c': close2 = 1; break;
		case 'e': added[n_added++] = optarg; break;
		case 'x': added[n_added++] = entry(optarg, 'x'); break;
		case 'n': added[n_added++] = entry(optarg, 'n'); break;
		case 'N': added[n_added++] = entry(optarg, 'N'); break;
		default: usage();
		}
	}
	if (optind >= argc)
		usage();
	size_t n_env = 0;
	while (environ[n_env])
		n_env++;
	char **envp = calloc(n_env + (size_t)n_added + 1, sizeof *envp);
	if (!envp)
		return 2;
	memcpy(envp, environ, n_env * sizeof *envp);
	memcpy(envp + n_env, added, (size_t)n_added * sizeof *envp);
	if (block) {
		sigset_t all;
		sigfillset(&all);
		if (sigprocmask(SIG_SETMASK, &all, NULL) != 0) {
			perror("stress-exec: sigprocmask");
			return 2;
		}
	}
	if (close2)
		close(2);
	execve(argv[optind], argv + optind, envp);
	int err = errno;
	if (close2) /* stderr is gone: the exit status says it */
		return 126;
	const char *name = strerrorname_np(err);
	fprintf(stderr, "stress-exec: execve: %s\n", name ? name : "?");
	return 126;
}
