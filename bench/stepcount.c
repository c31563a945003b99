// SPDX-License-Identifier: MIT
/* stepcount [-o] [-e NAME=VALUE]... [-u NAME]... [--] COMMAND [ARG...]
 *
 * Runs COMMAND under ptrace and single-steps it from its first instruction (the dynamic loader's entry)
 * to its exit, so that the counts are deterministic where wall time is not: every step, and the CPUID
 * (0F A2), XGETBV (0F 01 D0) and SYSCALL (0F 05) instructions among them, read at RIP before each step.
 * Prints "instructions=N cpuid=N xgetbv=N syscall=N exit=S" after COMMAND's own output; -o adds one
 * "object=NAME ..." line per executable mapping the steps ran in (/proc/PID/maps, read again after every
 * system call and whenever RIP falls outside the ranges known). -e and -u set and remove variables in
 * COMMAND's environment only (so LD_PRELOAD never loads into stepcount itself).
 *
 * A step is what the CPU single-steps: a REP string instruction counts once per iteration. Only the
 * traced thread is counted; children and other threads run untraced (fork clears the trap flag). Signals
 * are passed on; entering a handler is not a step. Address randomisation is off for COMMAND. Exit status: COMMAND's, 128+N if signal N killed it,
 * 125 when tracing failed (ptrace refused, say, under a seccomp policy). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

enum { OTHER, CPUID, XGETBV, SYSCALL, KINDS };

struct counts {
	unsigned long long steps, kind[KINDS];
};

struct object {
	char name[96];
	struct counts c;
};

struct range {
	uint64_t start, end;
	int object;
};

#define MAX_OBJECTS 256
#define MAX_RANGES 1024
static struct object objects[MAX_OBJECTS];
static int n_objects;
static struct range ranges[MAX_RANGES];
static int n_ranges;

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "stepcount: %s: %s\n", what, strerror(errno));
	exit(125);
}

static int object_named(const char *name)
{
	for (int i = 0; i < n_objects; i++)
		if (strcmp(objects[i].name, name) == 0)
			return i;
	if (n_objects == MAX_OBJECTS)
		return MAX_OBJECTS - 1; // (a process with more is not what this measures: the rest share one row)
	snprintf(objects[n_objects].name, sizeof objects[n_objects].name, "%s", name);
	return n_objects++;
}

/* The executable mappings of PID, each named by the basename of its file ("[vdso]", "[anon]" else). */
static void read_maps(pid_t pid)
{
	char path[64], line[4096];
	snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		die(path);
	n_ranges = 0;
	while (fgets(line, sizeof line, f) && n_ranges < MAX_RANGES) {
		unsigned long long start, end;
		char perms[8];
		int name_at = 0;
		if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %n", &start, &end, perms, &name_at) < 3 ||
		    perms[2] != 'x')
			continue;
		char *name = line + name_at;
		name[strcspn(name, "\n")] = '\0';
		const char *slash = strrchr(name, '/');
		ranges[n_ranges++] = (struct range){ start, end, object_named(*name == '\0' ? "[anon]" : slash ? slash + 1 : name) };
	}
	fclose(f);
}

static int object_at(pid_t pid, uint64_t rip)
{
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n_ranges; i++)
			if (rip >= ranges[i].start && rip < ranges[i].end)
				return ranges[i].object;
		read_maps(pid);
	}
	return object_named("[unmapped]");
}

/* The instruction at RIP, by its exact opcode bytes (no prefix is valid on these three). Aligned words
 * never cross a page; the second word is read only for an 0F that starts in the last two bytes. */
static int classify(pid_t pid, uint64_t rip)
{
	unsigned char b[16];
	uint64_t base = rip & ~(uint64_t)7;
	unsigned off = (unsigned)(rip & 7);
	errno = 0;
	long w = ptrace(PTRACE_PEEKTEXT, pid, (void *)base, NULL);
	if (errno)
		return OTHER;
	memcpy(b, &w, 8);
	if (b[off] != 0x0f)
		return OTHER;
	if (off >= 6) {
		w = ptrace(PTRACE_PEEKTEXT, pid, (void *)(base + 8), NULL);
		if (errno)
			return OTHER;
		memcpy(b + 8, &w, 8);
	}
	if (b[off + 1] == 0xa2)
		return CPUID;
	if (b[off + 1] == 0x05)
		return SYSCALL;
	if (b[off + 1] == 0x01 && b[off + 2] == 0xd0)
		return XGETBV;
	return OTHER;
}

static void add(struct counts *c, int kind)
{
	c->steps++;
	c->kind[kind]++;
}

static void print(const char *label, const char *name, const struct counts *c)
{
	printf("%s%s%sinstructions=%llu cpuid=%llu xgetbv=%llu syscall=%llu", label, name, *label ? " " : "",
	       c->steps, c->kind[CPUID], c->kind[XGETBV], c->kind[SYSCALL]);
}

static int by_steps(const void *a, const void *b)
{
	const struct object *x = a, *y = b;
	return (x->c.steps < y->c.steps) - (x->c.steps > y->c.steps);
}

static _Noreturn void usage(void)
{
	fprintf(stderr, "usage: stepcount [-o] [-e NAME=VALUE]... [-u NAME]... [--] COMMAND [ARG...]\n");
	exit(125);
}

/* The child: the environment edits in order, then the command, traced from its first instruction. */
static _Noreturn void run_child(char **edits, int n_edits, char **cmd)
{
	for (int i = 0; i < n_edits; i++) {
		char *eq = strchr(edits[i], '=');
		if (eq) {
			*eq = '\0';
			setenv(edits[i], eq + 1, 1);
		} else {
			unsetenv(edits[i]);
		}
	}
	// Fixed addresses: string functions take more or fewer steps with the alignment of a random
	// stack (a bare /bin/true varied by ~25 instructions from run to run with it).
	personality(ADDR_NO_RANDOMIZE);
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0) {
		fprintf(stderr, "stepcount: PTRACE_TRACEME: %s\n", strerror(errno));
		_exit(125);
	}
	execvp(cmd[0], cmd);
	fprintf(stderr, "stepcount: %s: %s\n", cmd[0], strerror(errno));
	_exit(125);
}

/* Start cmd traced; returns at its first stop, before the new image's first instruction. */
static pid_t start_traced(char **edits, int n_edits, char **cmd)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		run_child(edits, n_edits, cmd);
	int status;
	// The first stop: the SIGTRAP after a traced execve, before the new image's first instruction.
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFSTOPPED(status) || WSTOPSIG(status) != SIGTRAP) {
		fprintf(stderr, "stepcount: %s did not start under ptrace\n", cmd[0]);
		exit(WIFEXITED(status) && WEXITSTATUS(status) ? WEXITSTATUS(status) : 125);
	}
	// A later execve then stops as an event, not as a SIGTRAP that would be passed on and kill it.
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL, (void *)(long)(PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC)) != 0)
		die("PTRACE_SETOPTIONS");
	return pid;
}

/* Step pid to its end, counting each instruction in total (and in its object with by_object);
 * returns its wait status. */
static int step_all(pid_t pid, int by_object, struct counts *total)
{
	int status;
	int sig = 0;
	for (;;) {
		struct user_regs_struct regs;
		if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) != 0)
			die("PTRACE_GETREGS");
		int kind = classify(pid, regs.rip);
		// Attributed before the step, while the mapping it runs in is still there (munmap).
		int obj = by_object ? object_at(pid, regs.rip) : 0;
		if (ptrace(PTRACE_SINGLESTEP, pid, NULL, (void *)(long)sig) != 0)
			die("PTRACE_SINGLESTEP");
		sig = 0;
		if (waitpid(pid, &status, 0) != pid)
			die("waitpid");
		if (!WIFSTOPPED(status)) {
			if (WIFEXITED(status)) { // the instruction just stepped was the exit system call
				add(total, kind);
				add(&objects[obj].c, kind);
			}
			break;
		}
		if (status >> 16) // a ptrace event (an execve): not a step of its own
			continue;
		siginfo_t si;
		if (ptrace(PTRACE_GETSIGINFO, pid, NULL, &si) != 0) {
			if (errno == EINVAL) // a group-stop (SIGSTOP and the like): resume it
				continue;
			die("PTRACE_GETSIGINFO");
		}
		int s = WSTOPSIG(status);
		// The trap flag's debug exception (TRAP_TRACE), or the kernel's report after a stepped system
		// call (TRAP_BRKPT on x86): one instruction ran. ptrace_notify's SIGTRAP on entering a signal
		// handler (si_code SIGTRAP) is no instruction; any other stop is a signal to pass on.
		if (s == SIGTRAP && (si.si_code == TRAP_TRACE || si.si_code == TRAP_BRKPT)) {
			add(total, kind);
			add(&objects[obj].c, kind);
			if (kind == SYSCALL) // mappings may have changed (mmap, munmap, mprotect): read them again
				n_ranges = 0;
		} else if (!(s == SIGTRAP && si.si_code == SIGTRAP)) {
			sig = s;
		}
	}
	return status;
}

int main(int argc, char **argv)
{
	int by_object = 0, opt;
	// The environment edits are applied in the child, after fork: remember them in order.
	char **edits = calloc((size_t)argc, sizeof *edits);
	int n_edits = 0;
	if (!edits)
		die("calloc");
	while ((opt = getopt(argc, argv, "+oe:u:")) != -1) {
		switch (opt) {
		case 'o':
			by_object = 1;
			break;
		case 'e':
			if (!strchr(optarg, '='))
				usage();
			edits[n_edits++] = optarg;
			break;
		case 'u':
			if (strchr(optarg, '='))
				usage();
			edits[n_edits++] = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	pid_t pid = start_traced(edits, n_edits, argv + optind);
	struct counts total = { 0 };
	int status = step_all(pid, by_object, &total);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	print("", "", &total);
	printf(" exit=%d\n", code);
	if (by_object) {
		qsort(objects, (size_t)n_objects, sizeof *objects, by_steps);
		for (int i = 0; i < n_objects && objects[i].c.steps; i++) {
			print("object=", objects[i].name, &objects[i].c);
			printf("\n");
		}
	}
	free(edits);
	return code;
}
