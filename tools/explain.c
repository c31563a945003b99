// SPDX-License-Identifier: MIT
/* amxrun --explain: trace the program and all it starts (threads, forks, execs); pass every signal on as
 * it came; when a process is about to die of SIGILL, SIGSEGV or SIGBUS, print one paragraph first: the
 * instruction (isa/amx.h through amxscan's decoder and classifier), where it is (object, address, nearest
 * symbol), and the first layer that refused it: cpu, xcr0, permission, kernel, tilecfg, altstack, or not AMX.
 * CPU and XCR0 facts come from the resolver (rule 1); the program's own AMX arch_prctl calls and their
 * answers are seen through a SECCOMP_RET_TRACE filter (and, once the program installs seccomp filters of its
 * own, which could answer first, through syscall stops of that process). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <amxshim/resolver.h>
#include "amxscan/classify.h"
#include "explain.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif
#define PR_SET_SECCOMP_OPTION 22 /* prctl(PR_SET_SECCOMP): SECCOMP_MODE_FILTER is also installed this way */
#define TRACE_ARCH_PRCTL 1        /* SECCOMP_RET_DATA of our filter's two answers */
#define TRACE_NEW_FILTER 2

int explain_install_filter(void)
{
	/* arch_prctl's option is an int: only the low half of args[0] (the first word, little endian). */
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 8, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_prctl, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_arch_prctl, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ISA_ARCH_REQ_XCOMP_PERM, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ISA_ARCH_GET_XCOMP_PERM, 3, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_SET_SECCOMP_OPTION, 2, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | TRACE_ARCH_PRCTL),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | TRACE_NEW_FILTER),
	};
	struct sock_fprog prog = { .len = (unsigned short)(sizeof f / sizeof f[0]), .filter = f };
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0)
		return 0;
	/* Without CAP_SYS_ADMIN a filter needs no_new_privs; the traced program gains no privileges anyway. */
	if (errno != EACCES || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		return errno;
	return 0;
}

/* ---- What the tracer knows about each thread and process ---------------------------------------- */

struct proc {
	pid_t tgid;
	int req_seen, req_err;  /* the last ARCH_REQ_XCOMP_PERM and its errno (0: granted) */
	int get_seen, get_err;  /* the last ARCH_GET_XCOMP_PERM */
	unsigned long get_mask; /* what it returned */
	int granted;            /* XTILEDATA permission held, as far as the calls seen say */
	int syscall_mode;       /* it installed seccomp filters: watch its system calls instead */
};

struct thr {
	pid_t tid, tgid;
	int in_call;              /* between an arch_prctl's entry and exit */
	unsigned long code, arg;  /* that call's arguments */
	int delivered;            /* a signal just passed to its handler (the frame is being written) */
};

static struct proc *procs;
static struct thr *thrs;
static size_t n_procs, n_thrs, cap_procs, cap_thrs;

static pid_t tgid_of(pid_t tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%ld/status", (long)tid);
	FILE *f = fopen(path, "re");
	pid_t tgid = tid;
	if (!f)
		return tid;
	while (fgets(buf, sizeof buf, f))
		if (!strncmp(buf, "Tgid:", 5)) {
			tgid = (pid_t)atol(buf + 5);
			break;
		}
	fclose(f);
	return tgid;
}

/* A table that grows by doubling: its base (moved, maybe) with room for element n, or 0 without memory. */
static void *room_for(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	size_t c = *cap ? 2 * *cap : 64;
	void *p = realloc(v, c * size);
	if (p)
		*cap = c;
	return p;
}

static struct proc *proc_of(pid_t tgid)
{
	for (size_t i = 0; i < n_procs; i++)
		if (procs[i].tgid == tgid)
			return &procs[i];
	struct proc *base = room_for(procs, &cap_procs, n_procs, sizeof *base);
	if (!base)
		return 0;
	procs = base;
	struct proc *p = memset(&procs[n_procs++], 0, sizeof *p);
	p->tgid = tgid;
	return p;
}

static struct thr *thr_of(pid_t tid)
{
	for (size_t i = 0; i < n_thrs; i++)
		if (thrs[i].tid == tid)
			return &thrs[i];
	struct thr *base = room_for(thrs, &cap_thrs, n_thrs, sizeof *base);
	if (!base)
		return 0;
	thrs = base;
	struct thr *t = memset(&thrs[n_thrs++], 0, sizeof *t);
	t->tid = tid;
	t->tgid = tgid_of(tid);
	return t;
}

static void forget_thr(pid_t tid)
{
	for (size_t i = 0; i < n_thrs; i++)
		if (thrs[i].tid == tid) {
			thrs[i] = thrs[--n_thrs];
			return;
		}
}

/* ---- Where the instruction is: object, address, nearest symbol --------------------------------- */

struct place {
	char object[512];
	unsigned long vaddr; /* the address in the ELF file's terms (what objdump and addr2line take) */
	int have_vaddr;
	char symbol[128];
	unsigned long sym_off;
};

static int pread_all(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len ? 0 : -1;
}

/* The function symbol at or below vaddr in .symtab or .dynsym (the closest wins). */
static void find_symbol(int fd, const Elf64_Ehdr *eh, struct place *pl)
{
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || !eh->e_shnum || eh->e_shnum > 4096)
		return;
	Elf64_Shdr *sh = calloc(eh->e_shnum, sizeof *sh);
	unsigned long best = 0;
	int found = 0;
	if (!sh || pread_all(fd, sh, eh->e_shnum * sizeof *sh, (off_t)eh->e_shoff))
		goto out;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if ((sh[i].sh_type != SHT_SYMTAB && sh[i].sh_type != SHT_DYNSYM) || sh[i].sh_link >= eh->e_shnum ||
		    sh[i].sh_size > (64u << 20) || sh[i].sh_entsize != sizeof(Elf64_Sym))
			continue;
		Elf64_Sym *sym = malloc(sh[i].sh_size ? sh[i].sh_size : 1);
		if (!sym || pread_all(fd, sym, sh[i].sh_size, (off_t)sh[i].sh_offset)) {
			free(sym);
			continue;
		}
		const Elf64_Shdr *str = &sh[sh[i].sh_link];
		for (size_t k = 0; k < sh[i].sh_size / sizeof *sym; k++) {
			unsigned type = ELF64_ST_TYPE(sym[k].st_info);
			if ((type != STT_FUNC && type != STT_GNU_IFUNC) || !sym[k].st_shndx || sym[k].st_value > pl->vaddr ||
			    (found && sym[k].st_value <= best) || sym[k].st_name >= str->sh_size)
				continue;
			char name[sizeof pl->symbol];
			ssize_t got = pread(fd, name, sizeof name - 1, (off_t)(str->sh_offset + sym[k].st_name));
			if (got <= 0)
				continue;
			name[got] = 0;
			if (!name[0])
				continue;
			memcpy(pl->symbol, name, sizeof name);
			best = sym[k].st_value;
			found = 1;
		}
		free(sym);
	}
	if (found)
		pl->sym_off = pl->vaddr - best;
out:
	free(sh);
}

static void locate(pid_t pid, unsigned long addr, struct place *pl)
{
	char path[64], line[1024];
	memset(pl, 0, sizeof *pl);
	snprintf(path, sizeof path, "/proc/%ld/maps", (long)pid);
	FILE *f = fopen(path, "re");
	unsigned long file_off = 0;
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi, off;
		int name_at = 0;
		if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %n", &lo, &hi, &off, &name_at) < 3 || addr < lo || addr >= hi)
			continue;
		if (name_at > 0) {
			snprintf(pl->object, sizeof pl->object, "%s", line + name_at);
			pl->object[strcspn(pl->object, "\n")] = 0;
		}
		file_off = addr - lo + off;
		break;
	}
	fclose(f);
	if (pl->object[0] != '/')
		return;
	int fd = open(pl->object, O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	if (fd < 0)
		return;
	if (!pread_all(fd, &eh, sizeof eh, 0) && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_phentsize == sizeof(Elf64_Phdr) && eh.e_phnum <= 128) {
		Elf64_Phdr ph[128];
		if (!pread_all(fd, ph, eh.e_phnum * sizeof ph[0], (off_t)eh.e_phoff))
			for (unsigned i = 0; i < eh.e_phnum; i++)
				if (ph[i].p_type == PT_LOAD && file_off >= ph[i].p_offset &&
				    file_off - ph[i].p_offset < ph[i].p_filesz) {
					pl->vaddr = file_off - ph[i].p_offset + ph[i].p_vaddr;
					pl->have_vaddr = 1;
					break;
				}
		if (pl->have_vaddr)
			find_symbol(fd, &eh, pl);
	}
	close(fd);
}

/* ---- Which layer refused ------------------------------------------------------------------------ */

/* The resolver's flag of each ISA feature row (0 for removed sets and prerequisites). */
#define FEATURE_FLAG_(id, name, leaf, sub, reg, bit, st) ISA_FEATURE_FLAG(id, st),
static const unsigned feature_flag[ISA_NFEATURES] = { ISA_FEATURES(FEATURE_FLAG_) };
#undef FEATURE_FLAG_

static const char *const reg_name[] = { "EAX", "EBX", "ECX", "EDX" };

static const char *errno_name(int e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = { { EPERM, "EPERM" },   { ENOSYS, "ENOSYS" }, { EINVAL, "EINVAL" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		      { ENOSPC, "ENOSPC" }, { EACCES, "EACCES" }, { EBUSY, "EBUSY" },   { EFAULT, "EFAULT" },
		      { ENOMEM, "ENOMEM" } };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].e == e)
			return names[i].name;
	return "errno";
}

static const struct amxshim_state *cpu_state(void)
{
	static struct amxshim_state st;
	static int done;
	if (!done) {
		amxshim_probe(&st, AMXSHIM_TILE, 0); /* CPUID and XCR0 only: the tracer asks the kernel nothing */
		done = 1;
	}
	return &st;
}

/* Has the CPU the set of feature row f (and is it a set that shipped)? Writes why not into buf. */
static int cpu_has(int f, char *buf, size_t cap)
{
	const struct isa_feature_desc *r = isa_feature_row(f);
	const struct amxshim_state *st = cpu_state();
	if (r->status == ISA_REMOVED) {
		snprintf(buf, cap, "%s was removed from the ISA before any CPU shipped it: every CPU rejects it", r->name);
		return 0;
	}
	int has;
	if (feature_flag[f]) {
		has = (st->cpu_features & feature_flag[f]) != 0;
	} else {
		/* a prerequisite (APX_F, AVX10): its bit in leaf 7.1, which the state holds */
		const struct amxshim_cpuid *l = &st->cpuid[AMXSHIM_LEAF_7_1];
		uint32_t v = r->reg == ISA_EAX ? l->eax : r->reg == ISA_EBX ? l->ebx : r->reg == ISA_ECX ? l->ecx : l->edx;
		has = r->leaf == 7 && r->subleaf == 1 && ((v >> r->bit) & 1);
	}
	if (!has)
		snprintf(buf, cap, "this CPU does not have %s (CPUID.(%02XH,%u):%s[%u] is clear); nothing but other "
			 "hardware runs it", r->name, r->leaf, r->subleaf, reg_name[r->reg & 3], r->bit);
	return has;
}

static const char *sig_name(int sig)
{
	return sig == SIGILL ? "SIGILL" : sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : "signal";
}

/* Up to 16 bytes at addr; returns how many could be read. */
static size_t read_code(pid_t tid, unsigned long addr, uint8_t *buf)
{
	size_t n = 0;
	for (; n < 16; n += sizeof(long)) {
		errno = 0;
		long w = ptrace(PTRACE_PEEKTEXT, tid, addr + n, 0);
		if (errno)
			break;
		memcpy(buf + n, &w, sizeof w);
	}
	return n;
}

static unsigned long auxv_value(pid_t pid, unsigned long type)
{
	char path[64];
	unsigned long v[2], value = 0;
	snprintf(path, sizeof path, "/proc/%ld/auxv", (long)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while (read(fd, v, sizeof v) == sizeof v && v[0] != AT_NULL)
		if (v[0] == type)
			value = v[1];
	close(fd);
	return value;
}

/* The command name of process tgid, "?" when it cannot be read. */
static void read_comm(pid_t tgid, char *comm, size_t cap)
{
	char path[64];
	snprintf(comm, cap, "?");
	snprintf(path, sizeof path, "/proc/%ld/comm", (long)tgid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t got = read(fd, comm, cap - 1);
		comm[got > 0 ? got : 0] = 0;
		comm[strcspn(comm, "\n")] = 0;
		close(fd);
	}
}

/* What faulted: the AMX instruction op with its sets, or the first bytes of one that is not AMX. */
static void describe_insn(int op, const uint8_t *code, size_t n, size_t len, char *what, size_t cap)
{
	if (op != ISA_NONE) {
		const struct isa_insn_desc *d = isa_insn(op);
		snprintf(what, cap, "%s (%s%s%s)", d->mnemonic, isa_feature_row(d->feature)->name,
			 d->also != ISA_F_NONE ? ", " : "", d->also != ISA_F_NONE ? isa_feature_row(d->also)->name : "");
		return;
	}
	int k = snprintf(what, cap, "an instruction that is not AMX (bytes");
	size_t shown = len ? len : n < 4 ? n : 4;
	for (size_t i = 0; i < shown && k > 0 && (size_t)k < cap - 8; i++)
		k += snprintf(what + k, cap - (size_t)k, " %02x", code[i]);
	if (k > 0 && (size_t)k < cap - 2)
		snprintf(what + k, cap - (size_t)k, "%s", n ? ")" : " unreadable)");
}

/* Where: object+offset, with the symbol when one is known, else the bare address. */
static void describe_place(const struct place *pl, unsigned long long rip, char *where, size_t cap)
{
	if (pl->symbol[0])
		snprintf(where, cap, "%s+0x%lx (%s+0x%lx)", pl->object, pl->vaddr, pl->symbol, pl->sym_off);
	else if (pl->have_vaddr)
		snprintf(where, cap, "%s+0x%lx", pl->object, pl->vaddr);
	else
		snprintf(where, cap, "%s 0x%llx", pl->object[0] ? pl->object : "[no mapping]", rip);
}

/* Which AMX layer refused AMX instruction op, walked from the CPU up; 0 when none did (why says so). */
static const char *amx_layer(int op, int sig, const siginfo_t *si, const struct proc *p, char *why, size_t cap)
{
	const struct isa_insn_desc *d = isa_insn(op);
	const struct amxshim_state *st = cpu_state();
	if (!cpu_has(d->feature, why, cap) || (d->also != ISA_F_NONE && !cpu_has(d->also, why, cap)))
		return "cpu";
	if (!st->xcr0_read || (st->xcr0 & ISA_XFEATURE_MASK_XTILE) != ISA_XFEATURE_MASK_XTILE) {
		snprintf(why, cap, "the OS has not enabled the tile state (XCR0 0x%llx lacks bits 17-18): the "
			 "kernel is too old (before 5.16) or AMX is turned off", (unsigned long long)st->xcr0);
		return "xcr0";
	}
	if (sig == SIGILL && p && p->req_seen && p->req_err) {
		snprintf(why, cap, "the program asked with arch_prctl(ARCH_REQ_XCOMP_PERM, XTILEDATA) and the "
			 "kernel refused: %s (%s)", errno_name(p->req_err), strerror(p->req_err));
		return "kernel";
	}
	if (sig == SIGILL && (!p || !p->granted)) {
		snprintf(why, cap, "XFD is armed: the process never got XTILEDATA permission (%s); request it "
			 "with arch_prctl(ARCH_REQ_XCOMP_PERM, 18) first, or run under amxrun without --disable",
			 p && p->get_seen && !p->get_err ? "its ARCH_GET_XCOMP_PERM lacks XTILEDATA"
							 : "no ARCH_REQ_XCOMP_PERM seen");
		return "permission";
	}
	if (sig == SIGILL && op != ISA_LDTILECFG && op != ISA_LDTILECFG_EVEX) {
		snprintf(why, cap, "every layer agrees, yet the CPU raised #UD: the tiles are not configured "
			 "(no LDTILECFG in this thread since it started or since TILERELEASE)");
		return "tilecfg";
	}
	if (sig == SIGSEGV && si->si_code == SI_KERNEL && (op == ISA_LDTILECFG || op == ISA_LDTILECFG_EVEX)) {
		snprintf(why, cap, "the CPU rejects this tile configuration (#GP): a palette other than 0 or 1, "
			 "rows or bytes per row beyond palette 1's limits, or reserved bytes that are not zero");
		return "tilecfg";
	}
	snprintf(why, cap, "not AMX: every AMX layer agrees; the instruction's memory access failed "
		 "(address %p, si_code %d)", si->si_addr, si->si_code);
	return 0;
}

/* Why the signal came: the layer that refused (0: not AMX), its reason in why. A SIGSEGV the kernel
 * raises right after a delivery is a signal frame it could not write. */
static const char *refusing_layer(const struct thr *t, const struct proc *p, int op, int sig, const siginfo_t *si,
				  char *why, size_t cap)
{
	int frame = sig == SIGSEGV && si->si_code == SI_KERNEL && t->delivered;
	if (frame && p && p->granted) {
		snprintf(why, cap, "the kernel could not write the frame for signal %d, which holds the AMX tile "
			 "state (AT_MINSIGSTKSZ %lu bytes): the alternate signal stack is too small for it (or cannot be "
			 "written)", t->delivered, auxv_value(t->tgid, AT_MINSIGSTKSZ));
		return "altstack";
	}
	if (frame)
		snprintf(why, cap, "not AMX: the kernel could not write the frame for signal %d (the stack or the "
			 "alternate signal stack cannot hold it); the process has no AMX permission, so no tile state was "
			 "in it", t->delivered);
	else if (op != ISA_NONE)
		return amx_layer(op, sig, si, p, why, cap);
	else
		snprintf(why, cap, "not AMX: the instruction is none of the AMX instructions, so no AMX layer is "
			 "involved");
	return 0;
}

/* The paragraph, printed before the signal that ends the process is delivered. */
static void explain(pid_t tid, struct thr *t, int sig, const siginfo_t *si)
{
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, tid, 0, &r) < 0)
		return;
	struct proc *p = proc_of(t->tgid);
	uint8_t code[16];
	size_t n = read_code(tid, r.rip, code);
	struct x86_insn in;
	int op = ISA_NONE;
	if (n && x86_decode(code, n, &in))
		op = scan_classify(&in);
	else
		in.len = 0;
	struct place pl;
	locate(t->tgid, r.rip, &pl);
	char comm[64];
	read_comm(t->tgid, comm, sizeof comm);

	char what[160], where[800], why[400];
	describe_insn(op, code, n, in.len, what, sizeof what);
	describe_place(&pl, r.rip, where, sizeof where);
	const char *layer = refusing_layer(t, p, op, sig, si, why, sizeof why);
	fprintf(stderr, "amxrun[%ld]: --explain: %s (%s) in %s, thread %ld: %s at %s\n", (long)t->tgid, sig_name(sig),
		strsignal(sig), comm, (long)tid, what, where);
	if (layer)
		fprintf(stderr, "amxrun[%ld]: --explain: layer %s: %s\n", (long)t->tgid, layer, why);
	else
		fprintf(stderr, "amxrun[%ld]: --explain: %s\n", (long)t->tgid, why);
	if (op != ISA_NONE && p && p->req_seen && p->req_err && !(layer && !strcmp(layer, "kernel")))
		fprintf(stderr, "amxrun[%ld]: --explain: also, its arch_prctl(ARCH_REQ_XCOMP_PERM) was refused: %s (%s)\n",
			(long)t->tgid, errno_name(p->req_err), strerror(p->req_err));
}

/* ---- The tracer's loop -------------------------------------------------------------------------- */

/* Does this delivery end the process (no handler runs)? A fault the kernel raises while the signal is
 * blocked or ignored is forced to the default action. *handled: a handler of the program runs. */
static int fatal(pid_t tid, int sig, const siginfo_t *si, int *handled)
{
	char path[64], buf[512];
	unsigned long long caught = 0, blocked = 0, ignored = 0;
	snprintf(path, sizeof path, "/proc/%ld/status", (long)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(buf, sizeof buf, f)) {
		if (!strncmp(buf, "SigCgt:", 7))
			caught = strtoull(buf + 7, 0, 16);
		else if (!strncmp(buf, "SigBlk:", 7))
			blocked = strtoull(buf + 7, 0, 16);
		else if (!strncmp(buf, "SigIgn:", 7))
			ignored = strtoull(buf + 7, 0, 16);
	}
	fclose(f);
	unsigned long long bit = 1ull << (sig - 1);
	int dies = si->si_code > 0 /* from the kernel: a fault */ ? !(caught & bit) || (blocked & bit) || (ignored & bit)
							       : !(caught & bit) && !(ignored & bit);
	*handled = !dies && (caught & bit);
	return dies;
}

static void on_arch_prctl_exit(pid_t tid, struct thr *t, long ret)
{
	struct proc *p = proc_of(t->tgid);
	t->in_call = 0;
	if (!p)
		return;
	int err = ret < 0 && ret > -4096 ? (int)-ret : 0;
	if (t->code == ISA_ARCH_REQ_XCOMP_PERM) {
		p->req_seen = 1;
		p->req_err = err;
		if (!err && t->arg == ISA_XFEATURE_XTILEDATA)
			p->granted = 1;
	} else {
		p->get_seen = 1;
		p->get_err = err;
		errno = 0;
		long mask = err ? 0 : ptrace(PTRACE_PEEKDATA, tid, t->arg, 0);
		if (!err && !errno) {
			p->get_mask = (unsigned long)mask;
			p->granted = (p->get_mask >> ISA_XFEATURE_XTILEDATA) & 1;
		}
	}
}

/* A system call stop (seccomp or, for processes with their own filters, syscall entry/exit). */
static int syscall_stop(pid_t tid, struct thr *t)
{
	struct __ptrace_syscall_info info;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) <= 0)
		return 0;
	if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
		if (t->in_call)
			on_arch_prctl_exit(tid, t, info.exit.rval);
		return 0;
	}
	const uint64_t *args = info.op == PTRACE_SYSCALL_INFO_SECCOMP ? info.seccomp.args : info.entry.args;
	uint64_t nr = info.op == PTRACE_SYSCALL_INFO_SECCOMP ? info.seccomp.nr : info.entry.nr;
	if (nr == __NR_arch_prctl &&
	    ((uint32_t)args[0] == ISA_ARCH_REQ_XCOMP_PERM || (uint32_t)args[0] == ISA_ARCH_GET_XCOMP_PERM)) {
		t->in_call = 1;
		t->code = (uint32_t)args[0];
		t->arg = args[1];
		return 1; /* stop again at its exit */
	}
	if (info.op == PTRACE_SYSCALL_INFO_SECCOMP && info.seccomp.ret_data == TRACE_NEW_FILTER) {
		/* Its own filter may answer arch_prctl before ours (ERRNO and KILL take precedence over TRACE). */
		struct proc *p = proc_of(t->tgid);
		if (p)
			p->syscall_mode = 1;
	}
	return 0;
}

/* Wait for the parent's go, seize the target with every option the tracer needs, and tell the parent
 * the outcome (an errno, 0 when traced); the tracer ends here when it could not trace. */
static void seize(pid_t target, int from_parent, int to_parent)
{
	char go;
	int err = 0;
	if (read(from_parent, &go, 1) != 1)
		_exit(0);
	if (ptrace(PTRACE_SEIZE, target, 0,
		   PTRACE_O_TRACEEXEC | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
			   PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL) < 0)
		err = errno;
	if (write(to_parent, &err, sizeof err) != sizeof err || err)
		_exit(0);
	close(to_parent);
}

/* A fork, vfork or clone stop of thread tid. */
static void on_new_child(pid_t tid, const struct thr *t)
{
	unsigned long child;
	struct proc *parent = proc_of(t->tgid);
	if (!ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) && parent) {
		struct proc copy = *parent;
		pid_t ctgid = tgid_of((pid_t)child);
		struct proc *cp = ctgid != t->tgid ? proc_of(ctgid) : 0;
		if (cp) { /* a new process inherits the permission (and the filters) */
			copy.tgid = ctgid;
			*cp = copy;
		}
	}
}

/* An exec stop; the first one is the static program's, where the permission may be requested for it.
 * -1 when that request left the tracee where it must not be resumed. */
static int on_exec(pid_t tid, const struct thr *t, const struct explain_config *c, int *first_exec)
{
	struct proc *p = proc_of(t->tgid);
	if (p) { /* execve resets the permission; the filters stay */
		int mode = p->syscall_mode;
		memset(p, 0, sizeof *p);
		p->tgid = t->tgid;
		p->syscall_mode = mode;
	}
	if (*first_exec && c->static_request) {
		int granted = c->static_request(tid, c->arg);
		if (granted < 0)
			return -1;
		if (p)
			p->granted = granted;
	}
	*first_exec = 0;
	return 0;
}

/* A signal about to be delivered (delivered: the one passed to a handler just before), explained when
 * it ends the process. */
static void on_signal(pid_t tid, struct thr *t, int sig, int delivered)
{
	siginfo_t si;
	if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si) < 0)
		memset(&si, 0, sizeof si);
	int handled = 0;
	t->delivered = delivered; /* still set for the SIGSEGV a failed frame raises */
	if (fatal(tid, sig, &si, &handled) && (sig == SIGILL || sig == SIGSEGV || sig == SIGBUS))
		explain(tid, t, sig, &si);
	t->delivered = handled ? sig : 0;
}

_Noreturn void explain_tracer(pid_t target, int from_parent, int to_parent, const struct explain_config *c)
{
	seize(target, from_parent, to_parent);
	(void)cpu_state(); /* before the program runs: the CPU facts of this machine */
	int first_exec = 1;
	for (;;) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			_exit(0); /* ECHILD: every tracee has ended */
		}
		if (!WIFSTOPPED(status)) {
			forget_thr(tid);
			continue;
		}
		struct thr *t = thr_of(tid);
		if (!t) {
			ptrace(PTRACE_DETACH, tid, 0, 0);
			continue;
		}
		int sig = WSTOPSIG(status), event = status >> 16, deliver = 0, stop_at_exit = 0;
		int delivered = t->delivered;
		t->delivered = 0;
		if (event == PTRACE_EVENT_STOP) {
			if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
				ptrace(PTRACE_LISTEN, tid, 0, 0); /* a group stop: stay stopped as without a tracer */
				continue;
			}
		} else if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE) {
			on_new_child(tid, t);
		} else if (event == PTRACE_EVENT_EXEC) {
			if (on_exec(tid, t, c, &first_exec))
				continue;
		} else if (event == PTRACE_EVENT_SECCOMP || sig == (SIGTRAP | 0x80)) {
			stop_at_exit = syscall_stop(tid, t);
		} else if (event == 0) {
			deliver = sig;
			on_signal(tid, t, sig, delivered);
		}
		struct proc *p = proc_of(t->tgid);
		int watch = stop_at_exit || (p && p->syscall_mode);
		ptrace(watch ? PTRACE_SYSCALL : PTRACE_CONT, tid, 0, deliver);
	}
}
