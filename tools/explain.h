/* SPDX-License-Identifier: MIT */
/* amxrun --explain: a tracer that follows the program (threads, forks, execs), passes every signal on, and
 * says in one paragraph why the program is about to die of SIGILL, SIGSEGV or SIGBUS (tools/explain.c). */
#ifndef AMXRUN_EXPLAIN_H
#define AMXRUN_EXPLAIN_H

#include <sys/types.h>

struct explain_config {
	const char *cmd;
	/* A static executable: called at its first exec stop to request AMX permission in it (amxrun-exec's
	 * injection, the tracee left stopped and restored); returns 1 when XTILEDATA was granted, 0 when not,
	 * -1 when the process is gone. NULL: nothing to request. */
	int (*static_request)(pid_t pid, void *arg);
	void *arg;
};

/* Runs in the tracer process (amxrun-exec's grandchild): seizes `target` once `from_parent` says go,
 * writes 0 or the errno of PTRACE_SEIZE to `to_parent`, then traces until every tracee has ended. */
_Noreturn void explain_tracer(pid_t target, int from_parent, int to_parent, const struct explain_config *c);

/* In the program's process, after the tracer holds it and just before execve: a seccomp filter that stops it
 * (SECCOMP_RET_TRACE) at its arch_prctl(ARCH_REQ_XCOMP_PERM / ARCH_GET_XCOMP_PERM) calls and at seccomp
 * filters it installs, so that the tracer knows the answers. Returns 0 or an errno. */
int explain_install_filter(void);

#endif
