// SPDX-License-Identifier: MIT
/* seccomp-run: run a command under a classic-BPF seccomp filter that answers arch_prctl XCOMP calls.
 *
 *   seccomp-run MODE[:LO[-HI]] COMMAND [ARG...]
 *
 * MODE is kill (SECCOMP_RET_KILL_PROCESS), an errno name (EPERM, ENOSYS, EINVAL, EOPNOTSUPP, ENOSPC,
 * EACCES, EBUSY) or number (SECCOMP_RET_ERRNO), or none (no filter, for control runs). The filter applies
 * to arch_prctl whose first argument is in LO..HI (default 0x1021..0x1025: GET/REQ_XCOMP_SUPP/PERM and the
 * guest variants); every other system call is allowed. No libseccomp: the filter is written by hand.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000u
#endif

static const struct {
	const char *name;
	int value;
} errnos[] = {
	{ "EPERM", EPERM },   { "ENOSYS", ENOSYS }, { "EINVAL", EINVAL }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "ENOSPC", ENOSPC }, { "EACCES", EACCES }, { "EBUSY", EBUSY },
};

static void usage(void)
{
	fprintf(stderr, "usage: seccomp-run kill|none|ERRNO[:LO[-HI]] COMMAND [ARG...]\n");
	exit(126);
}

static unsigned long number(const char *s, char **end)
{
	errno = 0;
	unsigned long v = strtoul(s, end, 0);
	if (errno || *end == s)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		usage();
	char mode[32];
	unsigned long lo = 0x1021, hi = 0x1025;
	const char *colon = strchr(argv[1], ':');
	size_t mlen = colon ? (size_t)(colon - argv[1]) : strlen(argv[1]);
	if (mlen == 0 || mlen >= sizeof mode)
		usage();
	memcpy(mode, argv[1], mlen);
	mode[mlen] = 0;
	if (colon) {
		char *end;
		lo = hi = number(colon + 1, &end);
		if (*end == '-')
			hi = number(end + 1, &end);
		if (*end || lo > hi || hi > 0xffffffffu)
			usage();
	}

	unsigned action;
	if (!strcmp(mode, "kill")) {
		action = SECCOMP_RET_KILL_PROCESS;
	} else if (!strcmp(mode, "none")) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "seccomp-run: %s: %s\n", argv[2], strerror(errno));
		return 127;
	} else {
		int e = -1;
		for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
			if (!strcmp(mode, errnos[i].name))
				e = errnos[i].value;
		if (e < 0) {
			char *end;
			e = (int)number(mode, &end);
			if (*end || e <= 0 || e > 4095)
				usage();
		}
		action = SECCOMP_RET_ERRNO | ((unsigned)e & SECCOMP_RET_DATA);
	}

	/* arch_prctl's option is an int: the kernel ignores the high half of the register, so only the
	 * low 32 bits of args[0] (little endian: the first word) are compared. */
	struct sock_filter filter[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		/* 2 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* 3 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_arch_prctl, 1, 0),
		/* 5 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* 6 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (unsigned)lo, 0, 2), /* below LO: 10 */
		/* 8 */ BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (unsigned)hi, 1, 0), /* above HI: 10 */
		/* 9 */ BPF_STMT(BPF_RET | BPF_K, action),
		/* 10 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = (unsigned short)(sizeof filter / sizeof filter[0]), .filter = filter };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		perror("seccomp-run: PR_SET_NO_NEW_PRIVS");
		return 126;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		perror("seccomp-run: PR_SET_SECCOMP");
		return 126;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "seccomp-run: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
