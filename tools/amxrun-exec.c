// SPDX-License-Identifier: MIT
/* amxrun-exec: the work behind amxrun(1), which only finds this program and the shim and execs it:
 *
 *   amxrun-exec VERSION SHIM [--debug] [--disable] [--strict] [--print-env] [--] COMMAND [ARG...]
 *   amxrun-exec VERSION --startup-pwd   (run by amxrun as its child: what PWD was when amxrun started)
 *
 * It reads COMMAND's ELF headers, builds LD_PRELOAD (the user's entries first, an AddressSanitizer runtime
 * before everything, the shim once, no shim for 32-bit programs) and execs COMMAND in its own process,
 * as execvp would (a file without #! is run by /bin/sh).
 * A static executable ignores LD_PRELOAD: for it a short-lived tracer (a grandchild, so that the program
 * keeps this process's PID, parent and exit status) stops it at exec, runs arch_prctl(ARCH_REQ_XCOMP_PERM,
 * XTILEDATA) at its entry point, restores code and registers and detaches before its first instruction.
 * Linked statically, so that no LD_PRELOAD or /etc/ld.so.preload object ever enters (or reports) it.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include "../resolver/tool.h"
#include "explain.h"

#define STRICT_EXIT_STATUS 125
#define MAX_PRELOADS 64

struct options {
	int debug, disable, strict, print_env, explain;
};

enum kind {
	KIND_OTHER,   /* not ELF (a script), unreadable, or not found: the shim is preloaded as usual */
	KIND_DYNAMIC, /* x86-64 ELF with an interpreter */
	KIND_STATIC,  /* x86-64 ELF without PT_INTERP: LD_PRELOAD cannot reach it */
	KIND_ELF32,   /* 32-bit: no AMX, and a 64-bit shim would only make ld.so complain */
	KIND_AMXRUN,  /* amxrun itself (nested): its shell gets no shim, the inner amxrun adds it */
};

/* scripts/amxrun carries this line: the outer amxrun leaves LD_PRELOAD to the inner one, so that the
 * inner amxrun's shell loads no shim (one report per process) and the program still gets it once. */
static const char amxrun_marker[] = "\n# amxrun-wrapper: amxrun-exec gives this script's shell no shim\n";

struct program {
	const char *path; /* what execv gets; NULL when COMMAND was not found */
	int lookup_err;   /* errno of the failed lookup */
	enum kind kind;
	char asan[128]; /* the DT_NEEDED name of an AddressSanitizer runtime, or "" */
};

static const char *prog_name = "amxrun";

static void usage(FILE *out)
{
	fprintf(out, "usage: amxrun [--debug] [--disable] [--strict] [--print-env] [--explain] [--] COMMAND [ARGS...]\n"
		     "       amxrun --print-env | --help | --version\n"
		     "  --debug      one report line per process on stderr (AMXSHIM_DEBUG=1)\n"
		     "  --disable    no arch_prctl call at all (AMXSHIM_DISABLE=1)\n"
		     "  --strict     exit 125 before main when AMX cannot be made usable (AMXSHIM_STRICT=1)\n"
		     "  --print-env  print what amxrun would set for COMMAND, run nothing\n"
		     "  --explain    say why COMMAND (or a process it starts) dies of SIGILL/SIGSEGV/SIGBUS\n");
}

/* ---- Reading the ELF file ---------------------------------------------------------------------- */

static int read_at(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len ? 0 : -1;
}

static int is_asan_runtime(const char *name)
{
	return !strncmp(name, "libasan.so", 10) || !strncmp(name, "libclang_rt.asan", 16);
}

/* File offset of a virtual address, through the PT_LOAD headers; -1 when no segment holds it. */
static off_t vaddr_offset(const Elf64_Phdr *ph, unsigned n, uint64_t vaddr)
{
	for (unsigned i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && vaddr >= ph[i].p_vaddr && vaddr - ph[i].p_vaddr < ph[i].p_filesz)
			return (off_t)(vaddr - ph[i].p_vaddr + ph[i].p_offset);
	return -1;
}

/* DT_NEEDED entries: is one of them an AddressSanitizer runtime (which must come first in the link map)? */
static void find_asan(int fd, const Elf64_Phdr *ph, unsigned n, const Elf64_Phdr *dyn, struct program *p)
{
	Elf64_Dyn d[512];
	size_t count = dyn->p_filesz / sizeof d[0];
	if (count > sizeof d / sizeof d[0])
		count = sizeof d / sizeof d[0];
	if (read_at(fd, d, count * sizeof d[0], (off_t)dyn->p_offset))
		return;
	uint64_t strtab = 0;
	for (size_t i = 0; i < count && d[i].d_tag != DT_NULL; i++)
		if (d[i].d_tag == DT_STRTAB)
			strtab = d[i].d_un.d_ptr;
	off_t str_off = vaddr_offset(ph, n, strtab);
	if (!strtab || str_off < 0)
		return;
	for (size_t i = 0; i < count && d[i].d_tag != DT_NULL; i++) {
		char name[sizeof p->asan];
		if (d[i].d_tag != DT_NEEDED)
			continue;
		ssize_t got = pread(fd, name, sizeof name - 1, str_off + (off_t)d[i].d_un.d_val);
		if (got <= 0)
			continue;
		name[got] = 0;
		if (strlen(name) < sizeof name - 1 && is_asan_runtime(name)) {
			memcpy(p->asan, name, strlen(name) + 1);
			return;
		}
	}
}

static void classify(struct program *p)
{
	p->kind = KIND_OTHER;
	p->asan[0] = 0;
	int fd = open(p->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	unsigned char ident[EI_NIDENT];
	Elf64_Ehdr eh;
	if (read_at(fd, ident, sizeof ident, 0))
		goto out;
	if (!memcmp(ident, "#!", 2)) {
		char head[512];
		ssize_t got = pread(fd, head, sizeof head - 1, 0);
		head[got > 0 ? got : 0] = 0;
		if (got > 0 && strstr(head, amxrun_marker))
			p->kind = KIND_AMXRUN;
		goto out;
	}
	if (memcmp(ident, ELFMAG, SELFMAG))
		goto out;
	if (ident[EI_CLASS] == ELFCLASS32) {
		p->kind = KIND_ELF32;
		goto out;
	}
	if (ident[EI_CLASS] != ELFCLASS64 || read_at(fd, &eh, sizeof eh, 0))
		goto out;
	if (eh.e_machine != EM_X86_64)
		goto out; /* exec will say what is wrong with it */
	Elf64_Phdr ph[128];
	if (eh.e_phentsize != sizeof ph[0] || eh.e_phnum == 0 || eh.e_phnum > sizeof ph / sizeof ph[0] ||
	    read_at(fd, ph, eh.e_phnum * sizeof ph[0], (off_t)eh.e_phoff))
		goto out;
	const Elf64_Phdr *interp = 0, *dyn = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			interp = &ph[i];
		else if (ph[i].p_type == PT_DYNAMIC)
			dyn = &ph[i];
	}
	p->kind = interp ? KIND_DYNAMIC : KIND_STATIC;
	if (interp && dyn)
		find_asan(fd, ph, eh.e_phnum, dyn, p);
out:
	close(fd);
}

/* execvp's lookup, done here because the ELF file must be read before the exec. */
static void find_program(const char *cmd, struct program *p, char *buf, size_t cap)
{
	p->path = 0;
	p->lookup_err = ENOENT;
	if (strchr(cmd, '/')) {
		p->path = cmd;
		return;
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *dir = path;; dir++) {
		const char *end = strchrnul(dir, ':');
		int len = (int)(end - dir);
		struct stat sb;
		if (snprintf(buf, cap, "%.*s%s%s", len, dir, len ? "/" : "", cmd) < (int)cap && stat(buf, &sb) == 0 &&
		    S_ISREG(sb.st_mode)) {
			if (access(buf, X_OK) == 0) {
				p->path = buf;
				return;
			}
			p->lookup_err = EACCES;
		}
		dir = end;
		if (!*dir)
			return;
	}
}

/* ---- LD_PRELOAD -------------------------------------------------------------------------------- */

static int is_shim(const char *entry)
{
	const char *base = strrchr(entry, '/');
	return !strncmp(base ? base + 1 : entry, "libamxshim.so", 13);
}

/* ld.so splits LD_PRELOAD at spaces and colons; so do we. Returns the number of entries, -1 past max. */
static int split_preload(char *list, char **out, int max)
{
	int n = 0;
	for (char *tok = strtok(list, " :"); tok; tok = strtok(0, " :")) {
		if (n == max)
			return -1;
		out[n++] = tok;
	}
	return n;
}

/* Does /etc/ld.so.preload already load a shim into every process? Then amxrun adds none. */
static int system_preloads_shim(void)
{
	char buf[4096];
	int fd = open("/etc/ld.so.preload", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	for (char *tok = strtok(buf, " :\t\n"); tok; tok = strtok(0, " :\t\n"))
		if (is_shim(tok))
			return 1;
	return 0;
}

struct buf {
	char *s;
	size_t cap, len;
	int overflow;
};

static void append(struct buf *b, const char *entry)
{
	int n = snprintf(b->s + b->len, b->cap - b->len, "%s%s", b->len ? ":" : "", entry);
	if (n < 0 || (size_t)n >= b->cap - b->len)
		b->overflow = 1;
	else
		b->len += (size_t)n;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The new LD_PRELOAD: an ASan runtime first (ASan aborts otherwise), then the user's entries in their
 * order, then the shim unless one is already there. A 32-bit program gets no shim at all. */
static int build_preload(const char *shim, const struct program *p, int with_asan, char *out, size_t cap)
{
	char user[8192];
	char *entries[MAX_PRELOADS];
	const char *env = getenv("LD_PRELOAD");
	if (snprintf(user, sizeof user, "%s", env ? env : "") >= (int)sizeof user)
		return -1;
	int n = split_preload(user, entries, MAX_PRELOADS);
	if (n < 0)
		return -1;
	int have_shim = system_preloads_shim();
	struct buf b = { out, cap, 0, 0 };
	out[0] = 0;
	if (p->kind == KIND_AMXRUN) {
		for (int i = 0; i < n; i++)
			append(&b, entries[i]);
		return b.overflow ? -1 : 0;
	}
	if (with_asan && p->asan[0] && !(n > 0 && is_asan_runtime(base_name(entries[0]))))
		append(&b, p->asan);
	for (int i = 0; i < n; i++) {
		if (is_shim(entries[i])) {
			if (p->kind == KIND_ELF32 || have_shim)
				continue; /* no shim in a 32-bit process, and never twice */
			have_shim = 1;
		}
		if (with_asan && p->asan[0] && !strcmp(entries[i], p->asan) && i > 0)
			continue; /* moved to the front */
		append(&b, entries[i]);
	}
	if (!have_shim && p->kind != KIND_ELF32)
		append(&b, shim);
	return b.overflow ? -1 : 0;
}

/* ---- Reports ----------------------------------------------------------------------------------- */

static void report_state(const char *cmd, const struct amxshim_state *st, const char *how, int strict_exit)
{
	fprintf(stderr, "amxrun[%ld]: static executable %s: AMX %s: %s: %s%s%s\n", (long)getpid(), cmd,
		st->usable ? "usable" : "not usable", amxshim_reason_name((int)st->reason), st->detail, how,
		strict_exit ? " (--strict: exit 125)" : "");
}

/* A static program amxrun cannot help: say why; under --strict that ends the run. */
static void cannot_help(const struct options *o, const char *cmd, const char *why)
{
	if (o->debug || o->strict)
		fprintf(stderr, "amxrun[%ld]: %s: %s%s\n", (long)getpid(), cmd, why,
			o->strict ? " (--strict: exit 125)" : "");
	if (o->strict)
		exit(STRICT_EXIT_STATUS);
}

/* ---- Static executables: the tracer ------------------------------------------------------------ */

/* 0 at a ptrace stop; -1 with errno ESRCH when the process ended (its status left in *status). */
static int wait_stop(pid_t pid, int *status)
{
	while (waitpid(pid, status, __WALL) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFSTOPPED(*status))
		return 0;
	errno = ESRCH;
	return -1;
}

struct tracee {
	pid_t pid;
	int stage;                    /* 0 untouched, 1 code changed, 2 also stopped at the entry with regs saved */
	unsigned long entry, code;    /* entry point, and the original word there */
	struct user_regs_struct regs; /* as the kernel left them for the first instruction */
	int pending[8];               /* signals that arrived meanwhile, delivered at detach */
	int n_pending;
	int end_status; /* how it ended, when it ended while traced */
};

/* Continue until the int3 that ends our code (at `expect`); other signals are held for the detach. */
static int run_to_trap(struct tracee *t, unsigned long expect)
{
	int status;
	if (ptrace(PTRACE_CONT, t->pid, 0, 0) < 0)
		return -1;
	for (;;) {
		if (wait_stop(t->pid, &status)) {
			t->end_status = status;
			return -1;
		}
		int sig = WSTOPSIG(status);
		if (sig == SIGTRAP && (status >> 16) == 0) {
			struct user_regs_struct r;
			if (ptrace(PTRACE_GETREGS, t->pid, 0, &r) < 0)
				return -1;
			if (r.rip == expect)
				return 0;
			errno = EFAULT;
			return -1;
		}
		if ((status >> 16) == 0 && sig != SIGTRAP && t->n_pending < 8)
			t->pending[t->n_pending++] = sig;
		if ((status >> 16) == PTRACE_EVENT_STOP ? ptrace(PTRACE_LISTEN, t->pid, 0, 0) < 0
							: ptrace(PTRACE_CONT, t->pid, 0, 0) < 0)
			return -1;
	}
}

/* One system call at the entry point (`syscall; int3` is there): returns its raw result. */
static int inject_syscall(struct tracee *t, long nr, unsigned long a, unsigned long b, long *ret)
{
	struct user_regs_struct r = t->regs;
	r.rax = (unsigned long)nr;
	r.orig_rax = (unsigned long)-1;
	r.rdi = a;
	r.rsi = b;
	r.rip = t->entry;
	if (ptrace(PTRACE_SETREGS, t->pid, 0, &r) < 0 || run_to_trap(t, t->entry + 3))
		return -1;
	if (ptrace(PTRACE_GETREGS, t->pid, 0, &r) < 0)
		return -1;
	*ret = (long)r.rax;
	return 0;
}

static int poke_code(struct tracee *t, const unsigned char *bytes, size_t n)
{
	unsigned long word = t->code;
	memcpy(&word, bytes, n);
	return (int)ptrace(PTRACE_POKETEXT, t->pid, t->entry, word);
}

/* From the exec stop to the first instruction: int3 there, so that execve has fully returned. */
static int reach_entry(struct tracee *t)
{
	static const unsigned char int3[] = { 0xcc };
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, t->pid, 0, &r) < 0)
		return -1;
	t->entry = r.rip;
	errno = 0;
	t->code = (unsigned long)ptrace(PTRACE_PEEKTEXT, t->pid, t->entry, 0);
	if (errno || poke_code(t, int3, sizeof int3))
		return -1;
	t->stage = 1;
	if (run_to_trap(t, t->entry + 1) || ptrace(PTRACE_GETREGS, t->pid, 0, &t->regs) < 0)
		return -1;
	t->regs.rip = t->entry;
	t->stage = 2;
	return 0;
}

/* REQ, then GET to see what was granted, as the shim does. Fills the kernel half of `st`. */
static int request_in_tracee(struct tracee *t, struct amxshim_state *st)
{
	static const unsigned char code[] = { 0x0f, 0x05, 0xcc }; /* syscall; int3 */
	long ret;
	if (poke_code(t, code, sizeof code) ||
	    inject_syscall(t, SYS_arch_prctl, ISA_ARCH_REQ_XCOMP_PERM, ISA_XFEATURE_XTILEDATA, &ret))
		return -1;
	st->req_err = ret < 0 ? (int)-ret : 0;
	if (ret == 0) {
		/* GET needs a word of the tracee's memory: below its stack pointer, unused before entry. */
		unsigned long scratch = (t->regs.rsp - 512) & ~15ul;
		errno = 0;
		long saved = ptrace(PTRACE_PEEKDATA, t->pid, scratch, 0);
		if (errno || inject_syscall(t, SYS_arch_prctl, ISA_ARCH_GET_XCOMP_PERM, scratch, &ret))
			return -1;
		errno = 0;
		long perm = ptrace(PTRACE_PEEKDATA, t->pid, scratch, 0);
		if (errno || ptrace(PTRACE_POKEDATA, t->pid, scratch, saved) < 0)
			return -1;
		st->perm_after_err = ret < 0 ? (int)-ret : 0;
		st->perm_after = ret < 0 ? 0 : (uint64_t)perm;
	}
	return 0;
}

/* Ends the tracee before its first instruction with exit_group(125) (the code there is `syscall`). */
static int strict_exit_regs(struct tracee *t)
{
	struct user_regs_struct r = t->regs;
	r.rax = SYS_exit_group;
	r.orig_rax = (unsigned long)-1;
	r.rdi = STRICT_EXIT_STATUS;
	return (int)ptrace(PTRACE_SETREGS, t->pid, 0, &r);
}

static void strict_exit_tracee(struct tracee *t)
{
	if (strict_exit_regs(t) < 0 || ptrace(PTRACE_DETACH, t->pid, 0, 0) < 0)
		kill(t->pid, SIGKILL);
}

/* The program's code and registers as they were; -1 (and the process killed) when they cannot be. */
static int restore(struct tracee *t)
{
	if ((t->stage >= 1 && poke_code(t, (const unsigned char *)&t->code, sizeof t->code)) ||
	    (t->stage == 2 && ptrace(PTRACE_SETREGS, t->pid, 0, &t->regs) < 0)) {
		/* The code or registers could not be put back: running on would run our bytes. */
		fprintf(stderr, "amxrun: cannot restore process %ld after the request: %s; killing it\n", (long)t->pid,
			strerror(errno));
		kill(t->pid, SIGKILL);
		return -1;
	}
	return 0;
}

static void detach(struct tracee *t)
{
	if (restore(t))
		return;
	ptrace(PTRACE_DETACH, t->pid, 0, t->n_pending ? t->pending[0] : 0);
	for (int i = 1; i < t->n_pending; i++)
		kill(t->pid, t->pending[i]);
}

enum entry_outcome { ENTRY_RUN, ENTRY_FAILED, ENTRY_STRICT_EXIT, ENTRY_GONE };

/* At the exec stop: to the entry point, request, report. ENTRY_RUN and ENTRY_FAILED: restore and go on. */
static enum entry_outcome request_at_entry(struct tracee *t, const struct options *o, const char *cmd,
					   struct amxshim_state *st)
{
	if (reach_entry(t) || request_in_tracee(t, st)) {
		int e = errno;
		if (e == ESRCH && WIFSIGNALED(t->end_status)) {
			/* A seccomp policy that kills on arch_prctl does this (the shim's request would too). */
			fprintf(stderr,
				"amxrun[%ld]: %s: killed by signal %d (%s) during the arch_prctl(ARCH_REQ_XCOMP_PERM) amxrun made for it\n",
				(long)t->pid, cmd, WTERMSIG(t->end_status), strsignal(WTERMSIG(t->end_status)));
			return ENTRY_GONE;
		}
		fprintf(stderr, "amxrun[%ld]: %s: cannot request AMX permission with ptrace: %s%s\n", (long)t->pid, cmd,
			strerror(e), o->strict ? " (--strict: exit 125)" : "");
		if (o->strict) {
			kill(t->pid, SIGKILL);
			return ENTRY_GONE;
		}
		return ENTRY_FAILED;
	}
	amx_decide(st, AMXSHIM_TILE);
	int strict_exit = o->strict && !st->usable;
	if (o->debug || strict_exit)
		fprintf(stderr,
			"amxrun[%ld]: static executable %s: AMX %s: %s: %s (requested with ptrace at the "
			"entry point)%s\n",
			(long)t->pid, cmd, st->usable ? "usable" : "not usable", amxshim_reason_name((int)st->reason),
			st->detail, strict_exit ? " (--strict: exit 125)" : "");
	return strict_exit ? ENTRY_STRICT_EXIT : ENTRY_RUN;
}

/* The tracer's life: seize the program, wait for its exec, request, restore, detach, exit. */
static void tracer(pid_t target, int from_parent, int to_parent, const struct options *o, const char *cmd,
		   struct amxshim_state *st)
{
	char go;
	int err = 0;
	if (read(from_parent, &go, 1) != 1)
		_exit(0);
	if (ptrace(PTRACE_SEIZE, target, 0, PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL) < 0)
		err = errno;
	if (write(to_parent, &err, sizeof err) != sizeof err || err)
		_exit(0);
	close(to_parent);
	struct tracee t = { .pid = target };
	int status;
	/* Until the exec: pass every signal on. The exec may also fail (the parent reports that). */
	for (;;) {
		if (wait_stop(target, &status))
			_exit(0);
		if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXEC << 8)))
			break;
		if ((status >> 16) == PTRACE_EVENT_STOP ? ptrace(PTRACE_LISTEN, target, 0, 0) < 0
							: ptrace(PTRACE_CONT, target, 0, WSTOPSIG(status)) < 0)
			_exit(0);
	}
	switch (request_at_entry(&t, o, cmd, st)) {
	case ENTRY_STRICT_EXIT:
		strict_exit_tracee(&t);
		break;
	case ENTRY_GONE:
		break;
	default:
		detach(&t);
	}
	_exit(0);
}

/* The same request for amxrun --explain, whose tracer stays: the program is restored, not detached. */
struct explain_request {
	const struct options *o;
	const char *cmd;
	struct amxshim_state *st;
};

static int request_for_explain(pid_t pid, void *arg)
{
	const struct explain_request *r = arg;
	struct tracee t = { .pid = pid };
	switch (request_at_entry(&t, r->o, r->cmd, r->st)) {
	case ENTRY_STRICT_EXIT:
		return strict_exit_regs(&t) < 0 ? (kill(pid, SIGKILL), -1) : 0;
	case ENTRY_GONE:
		return -1;
	default:
		if (restore(&t))
			return -1;
	}
	for (int i = 0; i < t.n_pending; i++)
		kill(pid, t.pending[i]);
	return r->st->req_err == 0 && ((r->st->perm_after >> ISA_XFEATURE_XTILEDATA) & 1);
}

/* Why ptrace was refused, in words a user can act on. */
static const char *refusal(int err, char *buf, size_t cap)
{
	char scope = 0;
	int fd = open("/proc/sys/kernel/yama/ptrace_scope", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, &scope, 1) != 1)
			scope = 0;
		close(fd);
	}
	if (err == EPERM && scope >= '1')
		snprintf(buf, cap, "ptrace refused: %s (kernel.yama.ptrace_scope=%c)", strerror(err), scope);
	else if (err == EPERM)
		snprintf(buf, cap, "ptrace refused: %s (already traced, or a seccomp or LSM policy)", strerror(err));
	else if (err == EACCES)
		snprintf(buf, cap, "ptrace refused: %s", strerror(err));
	else
		snprintf(buf, cap, "cannot start the tracer: %s", strerror(err));
	return buf;
}

/* A traced exec of a set-user-ID, set-group-ID or file-capability program drops its privileges, which would
 * change what it does; only a tracer with CAP_SYS_PTRACE (root) keeps them. */
static int privileged_program(const char *path)
{
	struct stat sb;
	if (geteuid() == 0 || stat(path, &sb) < 0)
		return 0;
	if ((sb.st_mode & S_ISUID) && sb.st_uid != geteuid())
		return 1;
	if ((sb.st_mode & S_ISGID) && sb.st_gid != getegid())
		return 1;
	return getxattr(path, "security.capability", 0, 0) > 0;
}

/* Holds none of the program's descriptors but these three (a reader of its pipes would wait for us). */
static void close_others(int keep1, int keep2, int keep3)
{
	int fds[4096], n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d)) && n < (int)(sizeof fds / sizeof fds[0]);) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] != '.' && fd != dirfd(d) && fd != keep1 && fd != keep2 && fd != keep3)
			fds[n++] = fd;
	}
	closedir(d);
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/* Starts the tracer (the --explain one when `ex`) as a grandchild; returns 0 once it holds this process,
 * else an errno. */
static int start_tracer(const struct options *o, const char *cmd, struct amxshim_state *st,
			const struct explain_config *ex)
{
	int down[2], up[2]; /* parent -> tracer, tracer -> parent */
	if (pipe2(down, O_CLOEXEC) || pipe2(up, O_CLOEXEC))
		return errno;
	pid_t self = getpid();
	pid_t child = fork();
	if (child < 0)
		return errno;
	if (child == 0) {
		pid_t grandchild = fork();
		if (grandchild == 0) {
			close(down[1]);
			close(up[0]);
			close_others(2, down[0], up[1]);
			if (ex)
				explain_tracer(self, down[0], up[1], ex);
			tracer(self, down[0], up[1], o, cmd, st);
		}
		pid_t id = grandchild;
		ssize_t w = write(up[1], &id, sizeof id);
		_exit(w == sizeof id ? 0 : 1);
	}
	close(down[0]);
	close(up[1]);
	pid_t tracer_pid = -1;
	int err = 0, status;
	ssize_t got = read(up[0], &tracer_pid, sizeof tracer_pid);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (got != sizeof tracer_pid || tracer_pid <= 0) {
		err = ECHILD;
	} else {
		/* Yama ptrace_scope 1 lets only ancestors trace; name the tracer (EINVAL without Yama). */
		(void)prctl(PR_SET_PTRACER, (unsigned long)tracer_pid, 0, 0, 0);
		if (write(down[1], "g", 1) != 1 || read(up[0], &err, sizeof err) != sizeof err)
			err = err ? err : ECHILD;
	}
	close(down[1]);
	close(up[0]);
	return err;
}

/* A static x86-64 executable: decide as the shim would; ask through the tracer only when every other
 * layer agrees (so a CPU without AMX, or --disable, makes no arch_prctl call at all). */
static void prepare_static(const struct options *o, const char *cmd, const char *path, struct explain_config *ex)
{
	static struct amxshim_state st; /* --explain: used by its tracer (a copy of this process) later */
	amxshim_probe(&st, AMXSHIM_TILE, 0);
	/* execve resets the permission: the program starts without XTILEDATA whatever this process holds. */
	amx_state_at_exec(&st);
	if (amx_first_disagreement(&st, AMXSHIM_TILE) != AMXSHIM_NOT_REQUESTED) {
		amx_decide(&st, AMXSHIM_TILE);
		int strict_exit = o->strict && !st.usable;
		if (o->debug || strict_exit)
			report_state(cmd, &st, " (nothing requested)", strict_exit);
		if (strict_exit)
			exit(STRICT_EXIT_STATUS);
		return;
	}
	char why[256], words[128];
	if (ex) { /* --explain's tracer makes the request at the exec */
		static struct explain_request req;
		req = (struct explain_request){ o, cmd, &st };
		ex->static_request = request_for_explain;
		ex->arg = &req;
		return;
	}
	if (privileged_program(path)) {
		cannot_help(o, cmd,
			    "static set-user-ID/set-group-ID/capability program: a traced exec would "
			    "drop its privileges, so AMX permission cannot be requested for it");
		return;
	}
	int e = start_tracer(o, cmd, &st, 0);
	if (e) {
		snprintf(why, sizeof why, "static executable, AMX permission not requested: %s",
			 refusal(e, words, sizeof words));
		cannot_help(o, cmd, why);
	}
}

/* --explain: the tracer holds this process before the exec, and the filter that shows it the program's AMX
 * arch_prctl calls is the last thing installed. Where either fails the program runs unexplained, said so. */
static void start_explain(const struct options *o, const char *cmd, const struct explain_config *ex)
{
	char words[128];
	int e = start_tracer(o, cmd, 0, ex);
	if (e) {
		fprintf(stderr, "amxrun: --explain: %s: cannot trace it (%s); running it without --explain\n", cmd,
			refusal(e, words, sizeof words));
		return;
	}
	e = explain_install_filter();
	if (e)
		fprintf(stderr, "amxrun: --explain: %s: no seccomp filter (%s): its arch_prctl calls are not seen\n", cmd,
			strerror(e));
}

/* ---- The environment amxrun was given -------------------------------------------------------- */

/* amxrun's shell exports PWD whether or not its environment had it (and replaces one that does not name
 * the working directory). Run as that shell's child, this reads the environment the shell started with
 * (/proc/PPID/environ: its start-up stack, which the shell does not rewrite) and prints "unset" or
 * "set=VALUE." (the dot keeps trailing newlines through $(...)); exit 1 when it cannot tell. */
static int startup_pwd(void)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%ld/environ", (long)getppid());
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	size_t cap = 1 << 16, len = 0;
	char *env = malloc(cap + 1);
	ssize_t n;
	while (env && (n = read(fd, env + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap) {
			char *bigger = realloc(env, 2 * cap + 1);
			if (!bigger)
				free(env);
			env = bigger;
			cap *= 2;
		}
	}
	close(fd);
	if (!env || n < 0)
		return 1;
	env[len] = 0;
	const char *value = 0;
	for (size_t i = 0; i < len && !value; i += strlen(env + i) + 1)
		if (!strncmp(env + i, "PWD=", 4))
			value = env + i + 4;
	if (value)
		printf("set=%s.", value);
	else
		printf("unset");
	return fflush(stdout) || ferror(stdout) ? 1 : 0;
}

/* execvp's fallback for a file the kernel cannot execute (no #!, not ELF): /bin/sh runs it, the path as
 * its first argument (glibc's maybe_script_execute). */
static void exec_shell(const char *path, char **argv)
{
	int n = 0;
	while (argv[n])
		n++;
	char **sh_argv = calloc((size_t)n + 2, sizeof *sh_argv);
	if (!sh_argv)
		return;
	sh_argv[0] = (char *)"/bin/sh";
	sh_argv[1] = (char *)path;
	for (int i = 1; i <= n; i++)
		sh_argv[i + 1] = argv[i];
	execv("/bin/sh", sh_argv);
	free(sh_argv);
}

/* ---- main -------------------------------------------------------------------------------------- */

/* NAME=value for --print-env, single-quoted when the shell would split or expand it. */
static void print_assignment(const char *name, const char *value)
{
	if (!value[strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-+:,=@")]) {
		printf("%s=%s\n", name, value);
		return;
	}
	printf("%s='", name);
	for (const char *c = value; *c; c++)
		if (*c == '\'')
			printf("'\\''");
		else
			putchar(*c);
	printf("'\n");
}

static int parse_options(int argc, char **argv, int *i, struct options *o)
{
	for (; *i < argc; ++*i) {
		const char *a = argv[*i];
		if (!strcmp(a, "--debug"))
			o->debug = 1;
		else if (!strcmp(a, "--disable"))
			o->disable = 1;
		else if (!strcmp(a, "--strict"))
			o->strict = 1;
		else if (!strcmp(a, "--print-env"))
			o->print_env = 1;
		else if (!strcmp(a, "--explain"))
			o->explain = 1;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(fflush(stdout) ? 2 : 0);
		} else if (!strcmp(a, "--version")) {
			printf("amxrun (amxshim) %s\n", AMXSHIM_VERSION_STRING);
			exit(fflush(stdout) ? 2 : 0);
		} else if (!strcmp(a, "--")) {
			++*i;
			return 0;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "%s: unknown option: %s\n", prog_name, a);
			usage(stderr);
			return 2;
		} else {
			return 0;
		}
	}
	return 0;
}

/* The program's LD_PRELOAD, and its children's: they differ when an ASan runtime is put first. */
struct preloads {
	char preload[8192], child[8192];
	int restore; /* the two differ: AMXSHIM_CHILD_PRELOAD carries the children's */
};

/* An ASan runtime put first is for the program only: its children get what they would get under a
 * plain LD_PRELOAD with the shim, which the shim restores at start-up from AMXSHIM_CHILD_PRELOAD. */
static int make_preloads(const char *shim, const struct program *p, struct preloads *pl)
{
	if (build_preload(shim, p, 1, pl->preload, sizeof pl->preload) ||
	    build_preload(shim, p, 0, pl->child, sizeof pl->child)) {
		fprintf(stderr, "amxrun: LD_PRELOAD has more entries or characters than amxrun handles\n");
		return -1;
	}
	pl->restore = strcmp(pl->preload, pl->child) != 0;
	return 0;
}

/* The shim must be one LD_PRELOAD entry and readable; 0 when it is, after saying why not otherwise. */
static int check_shim(const char *shim)
{
	if (strpbrk(shim, " :")) {
		fprintf(stderr, "amxrun: cannot preload %s: ld.so splits LD_PRELOAD at spaces and colons\n", shim);
		return -1;
	}
	if (access(shim, R_OK)) {
		fprintf(stderr, "amxrun: %s: %s\n", shim, strerror(errno));
		return -1;
	}
	return 0;
}

/* --print-env: the assignments amxrun would make, and notes on what it does for this program. */
static int print_env(const struct options *o, const struct program *p, const char *cmd, const struct preloads *pl)
{
	if (o->debug)
		print_assignment("AMXSHIM_DEBUG", "1");
	if (o->disable)
		print_assignment("AMXSHIM_DISABLE", "1");
	if (o->strict)
		print_assignment("AMXSHIM_STRICT", "1");
	if (pl->preload[0])
		print_assignment("LD_PRELOAD", pl->preload);
	else
		printf("# LD_PRELOAD unset\n");
	if (pl->restore)
		print_assignment("AMXSHIM_CHILD_PRELOAD", pl->child);
	if (p->kind == KIND_STATIC)
		printf("# %s is a static executable: amxrun requests AMX permission in it with ptrace at "
		       "its entry point when the CPU and the kernel support AMX\n",
		       cmd);
	else if (p->kind == KIND_ELF32)
		printf("# %s is a 32-bit program: no AMX there, so no shim\n", cmd);
	if (p->asan[0])
		printf("# %s uses AddressSanitizer: its runtime %s comes first (for it alone: the shim "
		       "gives its children AMXSHIM_CHILD_PRELOAD as LD_PRELOAD)\n",
		       cmd, p->asan);
	if (p->kind == KIND_AMXRUN)
		printf("# %s is amxrun: LD_PRELOAD is left to it\n", cmd);
	return fflush(stdout) || ferror(stdout) ? 2 : 0;
}

/* Everything the program's environment gets; nothing else runs after this. */
static int set_environment(const struct options *o, const struct preloads *pl)
{
	if ((o->debug && setenv("AMXSHIM_DEBUG", "1", 1)) || (o->disable && setenv("AMXSHIM_DISABLE", "1", 1)) ||
	    (o->strict && setenv("AMXSHIM_STRICT", "1", 1)) ||
	    (pl->preload[0] ? setenv("LD_PRELOAD", pl->preload, 1) : unsetenv("LD_PRELOAD")) ||
	    (pl->restore ? setenv("AMXSHIM_CHILD_PRELOAD", pl->child, 1) : unsetenv("AMXSHIM_CHILD_PRELOAD"))) {
		fprintf(stderr, "amxrun: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Run the program (args[0] is cmd) in the environment set: returns only on failure, with the exit status. */
static int run_program(struct options *o, const struct program *p, const char *cmd, char **args)
{
	/* A static program gets what the shim would honour: the options, or the variables already set. */
	o->debug = amx_flag_value(getenv("AMXSHIM_DEBUG")) != 0;
	o->strict = amx_flag_value(getenv("AMXSHIM_STRICT")) != 0;
	if (!p->path) {
		fprintf(stderr, "amxrun: %s: %s\n", cmd,
			p->lookup_err == ENOENT ? "command not found" : strerror(p->lookup_err));
		return p->lookup_err == ENOENT ? 127 : 126;
	}
	struct explain_config ex = { .cmd = cmd };
	if (o->explain && privileged_program(p->path)) {
		fprintf(stderr, "amxrun: --explain: %s: set-user-ID/set-group-ID/capability program: a traced exec "
				"would drop its privileges, so it is not run\n", cmd);
		return 126;
	}
	if (p->kind == KIND_ELF32)
		cannot_help(o, cmd, "32-bit program: AMX is 64-bit only, the shim is not preloaded");
	else if (p->kind == KIND_STATIC)
		prepare_static(o, cmd, p->path, o->explain ? &ex : 0);
	if (o->explain)
		start_explain(o, cmd, &ex);
	execv(p->path, args);
	int e = errno;
	if (e == ENOEXEC) {
		exec_shell(p->path, args);
		e = errno;
	}
	fprintf(stderr, "amxrun: %s: %s\n", cmd, strerror(e));
	return e == ENOENT ? 127 : 126;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "amxrun-exec: run by amxrun(1): amxrun-exec VERSION SHIM [OPTIONS] COMMAND...\n");
		return 2;
	}
	if (strcmp(argv[1], AMXSHIM_VERSION_STRING)) {
		fprintf(stderr, "amxrun: the helper %s is version %s, amxrun is %s: reinstall amxshim\n", argv[0],
			AMXSHIM_VERSION_STRING, argv[1]);
		return 2;
	}
	if (!strcmp(argv[2], "--startup-pwd"))
		return startup_pwd();
	char shim_buf[4096];
	/* Absolute, so that the program and its children find it after a chdir. */
	const char *shim = realpath(argv[2], shim_buf) ? shim_buf : argv[2];
	struct options o = { 0 };
	int i = 3;
	if (parse_options(argc, argv, &i, &o))
		return 2;
	if (i == argc && !o.print_env) {
		usage(stderr);
		return 2;
	}
	if (check_shim(shim))
		return 2;

	struct program p = { .kind = KIND_OTHER };
	char found[4096];
	const char *cmd = i < argc ? argv[i] : 0;
	if (cmd) {
		find_program(cmd, &p, found, sizeof found);
		if (p.path)
			classify(&p);
	}
	struct preloads pl;
	if (make_preloads(shim, &p, &pl))
		return 2;
	if (o.print_env)
		return print_env(&o, &p, cmd, &pl);
	if (set_environment(&o, &pl))
		return 2;
	return run_program(&o, &p, cmd, argv + i);
}
