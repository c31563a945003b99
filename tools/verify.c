// SPDX-License-Identifier: MIT
/* amxinfo --verify: CPUID, XCR0, the palette and the kernel can all agree while a hypervisor still makes tile
 * instructions fault, or a sub-feature bit is set that the CPU does not implement. So, for every sub-feature
 * the decision calls usable, a child process requests permission and executes one instruction of it under
 * SIGILL/SIGSEGV handlers; the parent reports "runs" or the signal. Nothing runs when the decision already
 * says no: no request, no child.
 *
 * amxinfo.c calls verify_run() once, then verify_print_text() after its text or verify_print_json() as a
 * member of its one JSON object, and exits 3 when verify_faulted() (a usable feature faults). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <amxshim/resolver.h>

#include "../isa/amx.h"
#include "verify.h"

/* The instructions as bytes, so that any assembler takes them (gcc 12's gas and clang 14 lack AMX-FP16 and
 * AMX-COMPLEX mnemonics). Checked with llvm-mc-22 -show-encoding and LLVM's test/MC/X86/AMX tests; each is
 * the row of isa/amx.h named in its comment. */
/* clang-format off */
#define LDTILECFG_RDI  ".byte 0xc4,0xe2,0x78,0x49,0x07\n" /* ISA_LDTILECFG: ldtilecfg (%rdi) */
#define TILERELEASE    ".byte 0xc4,0xe2,0x78,0x49,0xc0\n" /* ISA_TILERELEASE */
#define TILEZERO_TMM0  ".byte 0xc4,0xe2,0x7b,0x49,0xc0\n" /* ISA_TILEZERO tmm0 */
#define TILEZERO_TMM1  ".byte 0xc4,0xe2,0x7b,0x49,0xc8\n" /* ISA_TILEZERO tmm1 */
#define TILEZERO_TMM2  ".byte 0xc4,0xe2,0x7b,0x49,0xd0\n" /* ISA_TILEZERO tmm2 */
#define TDPBSSD_012    ".byte 0xc4,0xe2,0x6b,0x5e,0xc1\n" /* ISA_TDPBSSD tmm0, tmm1, tmm2 (Intel order) */
#define TDPBF16PS_012  ".byte 0xc4,0xe2,0x6a,0x5c,0xc1\n" /* ISA_TDPBF16PS tmm0, tmm1, tmm2 */
#define TDPFP16PS_012  ".byte 0xc4,0xe2,0x6b,0x5c,0xc1\n" /* ISA_TDPFP16PS tmm0, tmm1, tmm2 */
#define TCMMIMFP16PS_012 ".byte 0xc4,0xe2,0x69,0x6c,0xc1\n" /* ISA_TCMMIMFP16PS tmm0, tmm1, tmm2 */
/* clang-format on */

enum stage { ST_REQUEST, ST_LDTILECFG, ST_TILEZERO, ST_OP, ST_TILERELEASE, ST_DONE };
static const char *const stage_names[] = { "the request", "LDTILECFG", "TILEZERO", "", "TILERELEASE", "" };

static const struct {
	unsigned flag;
	const char *key, *name, *insn;
} feats[] = {
	{ AMXSHIM_TILE, "tile", "AMX-TILE", "LDTILECFG+TILEZERO+TILERELEASE" },
	{ AMXSHIM_INT8, "int8", "AMX-INT8", "TDPBSSD" },
	{ AMXSHIM_BF16, "bf16", "AMX-BF16", "TDPBF16PS" },
	{ AMXSHIM_FP16, "fp16", "AMX-FP16", "TDPFP16PS" },
	{ AMXSHIM_COMPLEX, "complex", "AMX-COMPLEX", "TCMMIMFP16PS" },
};
#define N_FEATS (sizeof feats / sizeof feats[0])

/* What a child reports through its pipe; a child that dies without writing is judged by its wait status. */
struct outcome {
	int advertised;  /* the decision calls the feature usable (ok, or not-requested) */
	int ran;         /* a child was started */
	int stage;       /* enum stage reached */
	int sig, code;   /* the signal and si_code, 0 when the instruction ran */
	int reason, err; /* the child's request outcome when it was refused */
};

static struct {
	int run, tile_reason;
	struct outcome o[N_FEATS];
} v;

/* ---- the child ---- */

static volatile sig_atomic_t stage;
static int report_fd = -1;

static void write_outcome(const struct outcome *o)
{
	ssize_t n = write(report_fd, o, sizeof *o);
	(void)n;
}

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	struct outcome o = { 1, 1, stage, sig, si->si_code, 0, 0 };
	write_outcome(&o);
	_exit(1);
}

/* A handler only where the disposition is the default: under libamxemu the emulator's SIGILL handler must
 * stay in charge (it passes unknown instructions on to the default action, which the parent then sees). */
static void catch (int sig)
{
	struct sigaction old, sa;
	if (sigaction(sig, NULL, &old) != 0 || (old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL)
		return;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(sig, &sa, NULL);
}

static void run_feature(unsigned i)
{
	/* Palette 1, tmm0..2 16 rows x 64 bytes: C (M x N), A (M x K) and B (K x N) of every TDP* at full size. */
	static struct isa_tilecfg cfg;
	cfg.palette = 1;
	for (int t = 0; t < 3; t++) {
		cfg.colsb[t] = ISA_P1_BYTES_PER_ROW;
		cfg.rows[t] = ISA_P1_MAX_ROWS;
	}
	stage = ST_LDTILECFG;
	__asm__ volatile(LDTILECFG_RDI : : "D"(&cfg) : "memory");
	stage = ST_TILEZERO;
	__asm__ volatile(TILEZERO_TMM0 TILEZERO_TMM1 TILEZERO_TMM2 : : : "memory");
	stage = ST_OP;
	switch (feats[i].flag) {
	case AMXSHIM_INT8: __asm__ volatile(TDPBSSD_012 : : : "memory"); break;
	case AMXSHIM_BF16: __asm__ volatile(TDPBF16PS_012 : : : "memory"); break;
	case AMXSHIM_FP16: __asm__ volatile(TDPFP16PS_012 : : : "memory"); break;
	case AMXSHIM_COMPLEX: __asm__ volatile(TCMMIMFP16PS_012 : : : "memory"); break;
	default: break; /* AMX-TILE: LDTILECFG and TILEZERO were its test */
	}
	stage = ST_TILERELEASE;
	__asm__ volatile(TILERELEASE : : : "memory");
	stage = ST_DONE;
}

static void child(unsigned i)
{
	struct amxshim_state st;
	struct outcome o = { 1, 1, ST_REQUEST, 0, 0, 0, 0 };
	stage = ST_REQUEST;
	if (!amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST)) {
		o.reason = (int)st.reason;
		o.err = st.err;
		write_outcome(&o);
		_exit(0);
	}
	catch (SIGILL);
	catch (SIGSEGV);
	run_feature(i);
	o.stage = ST_DONE;
	write_outcome(&o);
	_exit(0);
}

/* ---- the parent ---- */

static void run_child(unsigned i)
{
	struct outcome *o = &v.o[i];
	int fd[2];
	o->ran = 1;
	if (pipe(fd) != 0) {
		o->stage = ST_REQUEST, o->sig = -1;
		return;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		report_fd = fd[1];
		child(i);
	}
	close(fd[1]);
	struct outcome got;
	ssize_t n = pid > 0 ? read(fd[0], &got, sizeof got) : -1;
	close(fd[0]);
	int status = 0;
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (n == (ssize_t)sizeof got) {
		*o = got;
	} else if (pid > 0 && WIFSIGNALED(status)) { /* killed before it could say (e.g. a SIGILL passed on) */
		o->stage = ST_OP, o->sig = WTERMSIG(status), o->code = 0;
	} else {
		o->stage = ST_REQUEST, o->sig = -1;
	}
}

static int faulted(const struct outcome *o)
{
	return o->ran && o->sig != 0;
}

static const char *sig_name(int sig)
{
	switch (sig) {
	case SIGILL: return "SIGILL";
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	case -1: return "no report (fork or pipe failed)";
	default: return "a signal";
	}
}

static const char *code_name(int sig, int code)
{
	if (sig == SIGILL)
		return code == ILL_ILLOPC ? "ILL_ILLOPC" : code == ILL_ILLOPN ? "ILL_ILLOPN" : "";
	if (sig == SIGSEGV)
		return code == SEGV_MAPERR   ? "SEGV_MAPERR"
		       : code == SEGV_ACCERR ? "SEGV_ACCERR"
		       : code == SI_KERNEL   ? "SI_KERNEL (#GP)"
					     : "";
	return "";
}

void verify_print_text(FILE *out)
{
	fprintf(out, "Verify (one instruction per usable sub-feature, in a child that requested permission)\n");
	if (!v.run) {
		fprintf(out, "  not run: the decision says AMX is not usable (%s): no request, no child\n",
			amxshim_reason_name(v.tile_reason));
		return;
	}
	for (unsigned i = 0; i < N_FEATS; i++) {
		const struct outcome *o = &v.o[i];
		fprintf(out, "  %-12s %-31s ", feats[i].name, feats[i].insn);
		if (!o->advertised)
			fprintf(out, "not tried (the decision calls it unusable)\n");
		else if (o->reason)
			fprintf(out, "not tried: the child's request failed (%s)\n", amxshim_reason_name(o->reason));
		else if (!o->sig)
			fprintf(out, "runs\n");
		else
			fprintf(out, "%s%s%s in %s\n", sig_name(o->sig), *code_name(o->sig, o->code) ? " " : "",
				code_name(o->sig, o->code), o->stage == ST_OP ? feats[i].insn : stage_names[o->stage]);
	}
	/* One line per feature whose own instruction faults; a tile fault is AMX-TILE's line alone. */
	for (unsigned i = 0; i < N_FEATS; i++)
		if (faulted(&v.o[i]) && !v.o[i].reason && (v.o[i].stage == ST_OP || feats[i].flag == AMXSHIM_TILE))
			fprintf(out,
				"the CPU or hypervisor advertises %s but it faults (%s): a hypervisor/CPUID bug; use "
				"AMXSHIM_DISABLE=1 (or keep AMX code using %s off) on this machine and report it to "
				"the VM or CPU vendor\n",
				feats[i].name, sig_name(v.o[i].sig), feats[i].name);
}

void verify_print_json(FILE *out)
{
	fprintf(out, "\"verify\":{\"run\":%s", v.run ? "true" : "false");
	if (!v.run) {
		fprintf(out, ",\"reason\":\"%s\"}", amxshim_reason_name(v.tile_reason));
		return;
	}
	fprintf(out, ",\"features\":{");
	for (unsigned i = 0; i < N_FEATS; i++) {
		const struct outcome *o = &v.o[i];
		fprintf(out, "%s\"%s\":{\"instruction\":\"%s\",\"result\":", i ? "," : "", feats[i].key, feats[i].insn);
		if (!o->advertised)
			fprintf(out, "\"not-tried\"}");
		else if (o->reason)
			fprintf(out, "\"no-permission\",\"reason\":\"%s\",\"errno\":%d}",
				amxshim_reason_name(o->reason), o->err);
		else if (!o->sig)
			fprintf(out, "\"runs\"}");
		else
			fprintf(out, "\"faults\",\"signal\":\"%s\",\"si_code\":%d,\"at\":\"%s\"}", sig_name(o->sig),
				o->code, o->stage == ST_OP ? feats[i].insn : stage_names[o->stage]);
	}
	fprintf(out, "},\"faulting\":[");
	for (unsigned i = 0, first = 1; i < N_FEATS; i++)
		if (faulted(&v.o[i]) && !v.o[i].reason) {
			fprintf(out, "%s\"%s\"", first ? "" : ",", feats[i].key);
			first = 0;
		}
	fprintf(out, "]}");
}

const char *verify_result(unsigned flag)
{
	for (unsigned i = 0; i < N_FEATS; i++) {
		const struct outcome *o = &v.o[i];
		if (feats[i].flag != flag)
			continue;
		if (!v.run || !o->ran || o->reason)
			return "not-run";
		return o->sig ? "faults" : "runs";
	}
	return NULL;
}

int verify_faulted(void)
{
	int any_fault = 0;
	for (unsigned i = 0; i < N_FEATS; i++)
		any_fault |= faulted(&v.o[i]) && !v.o[i].reason;
	return any_fault;
}

void verify_run(void)
{
	struct amxshim_state st;
	amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_READ_KERNEL);
	v.tile_reason = (int)st.reason;
	v.run = st.reason == AMXSHIM_OK || st.reason == AMXSHIM_NOT_REQUESTED;
	for (unsigned i = 0; v.run && i < N_FEATS; i++) {
		amxshim_probe(&st, feats[i].flag, AMXSHIM_PROBE_READ_KERNEL);
		v.o[i].advertised = st.reason == AMXSHIM_OK || st.reason == AMXSHIM_NOT_REQUESTED;
		if (v.o[i].advertised)
			run_child(i);
	}
}
