// SPDX-License-Identifier: MIT
/* amxinfo: prints every input of the AMX decision, the decision and its reason.
 * It never requests permission unless --request is given. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <amxshim/resolver.h>
#include "nfd.h"
#include "verify.h"
#include "../resolver/tool.h" /* the leaf-1EH.1 leaves as the resolver read them */

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

static const char *const leaf_names[AMXSHIM_LEAF_COUNT] = {
	"0", "1", "7.0", "7.1", "0xd.0", "0xd.1", "0xd.18", "0x1d.0", "0x1d.1", "0x1e.0",
};

static const struct {
	unsigned flag;
	const char *name;
} features[] = {
	{ AMXSHIM_TILE, "tile" },     { AMXSHIM_INT8, "int8" },       { AMXSHIM_BF16, "bf16" },
	{ AMXSHIM_FP16, "fp16" },     { AMXSHIM_COMPLEX, "complex" }, { AMXSHIM_FP8, "fp8" },
	{ AMXSHIM_AVX512, "avx512" }, { AMXSHIM_MOVRS, "movrs" },
};

/* Leaves the state has no slot for (its layout is ABI): CPUID.(1EH,1) and (24H,0), read through the
 * resolver's platform seam (the fake one in amxinfo-fake) when a probe for the leaf-1EH.1 flags read them. */
static struct {
	int read_1e1, read_24;
	struct amxshim_cpuid l1e1, l24;
} next;

static unsigned read_next_leaves(void)
{
	struct amxshim_state st;
	amxshim_probe(&st, AMX_NEXT_FEATURES, 0);
	next.read_1e1 = amx_next_leaf(&st, 0x1e, &next.l1e1);
	next.read_24 = amx_next_leaf(&st, 0x24, &next.l24);
	return st.cpu_features & AMX_NEXT_FEATURES;
}
#define N_FEATURES (sizeof features / sizeof features[0])

/* "EPERM", or "?" for an errno glibc has no name for. */
static const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);
	return name ? name : "?";
}

static unsigned bit(uint32_t word, unsigned n)
{
	return (word >> n) & 1u;
}

/* A kernel field: its value, or why it could not be read. */
static void print_mask(const char *label, int err, uint64_t mask)
{
	if (err < 0)
		printf("  %-24s not read\n", label);
	else if (err > 0)
		printf("  %-24s unreadable: %s (errno %d)\n", label, errno_name(err), err);
	else
		printf("  %-24s 0x%llx (XTILECFG %u, XTILEDATA %u)\n", label, (unsigned long long)mask,
		       (unsigned)(mask >> 17) & 1u, (unsigned)(mask >> 18) & 1u);
}

/* The CPUID leaves read and the AMX facts they hold. */
static void print_cpuid(const struct amxshim_state *st)
{
	const struct amxshim_cpuid *c = st->cpuid;
	printf("CPUID\n");
	for (int i = 0; i < AMXSHIM_LEAF_COUNT; i++) {
		if (st->leaf_read & (1u << i))
			printf("  leaf %-7s eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", leaf_names[i], c[i].eax,
			       c[i].ebx, c[i].ecx, c[i].edx);
		else
			printf("  leaf %-7s not read (above the max leaf or subleaf)\n", leaf_names[i]);
	}
	if (next.read_1e1)
		printf("  leaf %-7s eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", "0x1e.1", next.l1e1.eax,
		       next.l1e1.ebx, next.l1e1.ecx, next.l1e1.edx);
	else
		printf("  leaf %-7s not read (max leaf below 0x1e or 0x1e.0 EAX < 1)\n", "0x1e.1");
	if (next.read_24)
		printf("  leaf %-7s eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", "0x24.0", next.l24.eax,
		       next.l24.ebx, next.l24.ecx, next.l24.edx);
	printf("  max basic leaf          0x%x\n", c[AMXSHIM_LEAF_0].eax);
	printf("  AMX-TILE %u AMX-INT8 %u AMX-BF16 %u AMX-FP16 %u AMX-COMPLEX %u\n", bit(c[AMXSHIM_LEAF_7_0].edx, 24),
	       bit(c[AMXSHIM_LEAF_7_0].edx, 25), bit(c[AMXSHIM_LEAF_7_0].edx, 22), bit(c[AMXSHIM_LEAF_7_1].eax, 21),
	       bit(c[AMXSHIM_LEAF_7_1].edx, 8));
	printf("  AMX-FP8 %u AMX-AVX512 %u AMX-MOVRS %u (0x1e.1 EAX[4,7,8]); AMX-TRANSPOSE %u AMX-TF32 %u (removed)"
	       "; AVX10 %u version %u\n",
	       bit(next.l1e1.eax, 4), bit(next.l1e1.eax, 7), bit(next.l1e1.eax, 8), bit(next.l1e1.eax, 5),
	       bit(next.l1e1.eax, 6), bit(c[AMXSHIM_LEAF_7_1].edx, 19), next.l24.ebx & 0xff);
	printf("  OSXSAVE %u  XSAVE tile state (0xd.0 EAX[17,18]) %u,%u\n", bit(c[AMXSHIM_LEAF_1].ecx, 27),
	       bit(c[AMXSHIM_LEAF_D_0].eax, 17), bit(c[AMXSHIM_LEAF_D_0].eax, 18));
}

/* What the kernel answered, and the environment the shim honours. */
static void print_kernel(const struct amxshim_state *st, unsigned long minsigstksz, int have_minsig)
{
	printf("Kernel\n");
	print_mask("ARCH_GET_XCOMP_SUPP", st->supp_err, st->supp);
	print_mask("ARCH_GET_XCOMP_PERM", st->perm_err, st->perm);
	if (st->req_err < 0)
		printf("  %-24s not made\n", "ARCH_REQ_XCOMP_PERM");
	else if (st->req_err > 0)
		printf("  %-24s failed: %s (errno %d)\n", "ARCH_REQ_XCOMP_PERM", errno_name(st->req_err), st->req_err);
	else
		printf("  %-24s granted\n", "ARCH_REQ_XCOMP_PERM");
	if (st->perm_after_err >= 0)
		print_mask("PERM after request", st->perm_after_err, st->perm_after);
	if (have_minsig)
		printf("  AT_MINSIGSTKSZ          %lu bytes\n", minsigstksz);
	else
		printf("  AT_MINSIGSTKSZ          not in auxv\n");
	printf("  AMXSHIM_DISABLE         %s\n", st->disabled == 0   ? "unset"
						 : st->disabled == 1 ? "set"
								     : "set (unrecognised value)");
}

static void print_text(const struct amxshim_state *st, unsigned long minsigstksz, int have_minsig)
{
	const struct amxshim_cpuid *c = st->cpuid;
	print_cpuid(st);
	printf("XCR0\n");
	if (st->xcr0_read)
		printf("  0x%llx (XTILECFG %u, XTILEDATA %u)\n", (unsigned long long)st->xcr0,
		       (unsigned)(st->xcr0 >> 17) & 1u, (unsigned)(st->xcr0 >> 18) & 1u);
	else
		printf("  not read (OSXSAVE clear: XGETBV would fault)\n");
	printf("XFD\n  supported (0xd.1 EAX[4]) %u, XTILEDATA XFD-capable (0xd.18 ECX[2]) %u\n",
	       bit(c[AMXSHIM_LEAF_D_1].eax, 4), bit(c[AMXSHIM_LEAF_D_18].ecx, 2));
	printf("Palette\n  highest palette %u", c[AMXSHIM_LEAF_1D_0].eax);
	if (st->leaf_read & (1u << AMXSHIM_LEAF_1D_1))
		printf("; palette 1: %u bytes total, %u per tile, %u per row, %u names, %u rows",
		       c[AMXSHIM_LEAF_1D_1].eax & 0xffff, c[AMXSHIM_LEAF_1D_1].eax >> 16,
		       c[AMXSHIM_LEAF_1D_1].ebx & 0xffff, c[AMXSHIM_LEAF_1D_1].ebx >> 16,
		       c[AMXSHIM_LEAF_1D_1].ecx & 0xffff);
	printf("\n  TMUL max K %u, max N %u\n", c[AMXSHIM_LEAF_1E_0].ebx & 0xff,
	       (c[AMXSHIM_LEAF_1E_0].ebx >> 8) & 0xffff);
	print_kernel(st, minsigstksz, have_minsig);
	printf("Decision\n  usable: %s\n  reason: %s\n  detail: %s\n", st->usable ? "yes" : "no",
	       amxshim_reason_name((int)st->reason), st->detail);
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static void json_kernel(const char *name, int err, uint64_t mask)
{
	printf("\"%s\":", name);
	if (err < 0)
		printf("null");
	else if (err > 0)
		printf("{\"errno\":%d,\"error\":\"%s\"}", err, errno_name(err));
	else
		printf("{\"mask\":\"0x%llx\"}", (unsigned long long)mask);
}

static void print_json(const struct amxshim_state *st, const int *feature_usable, unsigned long minsigstksz,
		       int have_minsig, int verify)
{
	printf("{\"version\":\"%s\",\"usable\":%s,\"reason\":\"%s\",\"detail\":", AMXSHIM_VERSION_STRING,
	       st->usable ? "true" : "false", amxshim_reason_name((int)st->reason));
	json_string(st->detail);
	printf(",\"errno\":%d,\"features\":{", st->err);
	for (unsigned i = 0; i < N_FEATURES; i++)
		printf("%s\"%s\":{\"cpu\":%s,\"usable\":%s}", i ? "," : "", features[i].name,
		       (st->cpu_features & features[i].flag) ? "true" : "false", feature_usable[i] ? "true" : "false");
	printf("},\"cpuid\":{");
	for (int i = 0, first = 1; i < AMXSHIM_LEAF_COUNT; i++) {
		if (!(st->leaf_read & (1u << i)))
			continue;
		printf("%s\"%s\":[\"0x%08x\",\"0x%08x\",\"0x%08x\",\"0x%08x\"]", first ? "" : ",", leaf_names[i],
		       st->cpuid[i].eax, st->cpuid[i].ebx, st->cpuid[i].ecx, st->cpuid[i].edx);
		first = 0;
	}
	if (next.read_1e1) /* after leaf 0, which the full probe always reads */
		printf(",\"0x1e.1\":[\"0x%08x\",\"0x%08x\",\"0x%08x\",\"0x%08x\"]", next.l1e1.eax, next.l1e1.ebx,
		       next.l1e1.ecx, next.l1e1.edx);
	if (next.read_24)
		printf(",\"0x24.0\":[\"0x%08x\",\"0x%08x\",\"0x%08x\",\"0x%08x\"]", next.l24.eax, next.l24.ebx,
		       next.l24.ecx, next.l24.edx);
	printf("},\"xcr0\":");
	if (st->xcr0_read)
		printf("\"0x%llx\"", (unsigned long long)st->xcr0);
	else
		printf("null");
	printf(",");
	json_kernel("xcomp_supp", st->supp_err, st->supp);
	printf(",");
	json_kernel("xcomp_perm", st->perm_err, st->perm);
	printf(",\"request\":");
	if (st->req_err < 0)
		printf("null");
	else
		printf("{\"errno\":%d}", st->req_err);
	printf(",");
	json_kernel("xcomp_perm_after", st->perm_after_err, st->perm_after);
	printf(",\"at_minsigstksz\":");
	if (have_minsig)
		printf("%lu", minsigstksz);
	else
		printf("null");
	printf(",\"disable\":%s", st->disabled ? "true" : "false");
	if (verify) {
		putchar(',');
		verify_print_json(stdout);
	}
	printf("}\n");
}

static void usage(FILE *out)
{
	fprintf(out, "usage: amxinfo [--json | --check | --nfd] [--request] [--verify]\n"
		     "       amxinfo --help | --version\n"
		     "  --json     print one JSON object\n"
		     "  --check    print nothing; exit 0 only when AMX is usable in this process\n"
		     "  --nfd      print a Node Feature Discovery feature file: the decision with permission\n"
		     "             requested (in a child unless --request), the reason, each sub-feature\n"
		     "  --request  ask the kernel for XTILEDATA permission first (never done otherwise)\n"
		     "  --verify   run one instruction per usable sub-feature in a child; exit 3 if one faults\n");
}

/* Output errors (a closed stdout, /dev/full, a broken pipe) are reported, never silently lost. */
static int finish_output(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	int err = errno;
	fprintf(stderr, "amxinfo: error writing standard output: %s\n", err ? strerror(err) : "write failed");
	return 2;
}

/* Options, one table: a new mode adds an entry here and a case below. */
enum mode { MODE_TEXT, MODE_JSON, MODE_CHECK, MODE_NFD, MODE_HELP, MODE_VERSION };

struct options {
	enum mode mode;
	int request, verify;
};

/* Returns 0, or 2 after printing the usage for a usage error. */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option table[] = {
		/* clang-format off */
		{ "json", no_argument, 0, 'j' },    { "check", no_argument, 0, 'c' },
		{ "request", no_argument, 0, 'r' }, { "help", no_argument, 0, 'h' },
		{ "version", no_argument, 0, 'V' }, { "verify", no_argument, 0, 'v' },
		{ "nfd", no_argument, 0, 'n' },
		/* clang-format on */
		{ 0, 0, 0, 0 },
	};
	int opt, modes = 0;
	o->mode = MODE_TEXT;
	o->request = o->verify = 0;
	while ((opt = getopt_long(argc, argv, "hV", table, 0)) != -1) {
		switch (opt) {
		/* clang-format off */
		case 'j': o->mode = MODE_JSON; modes++; break;
		case 'c': o->mode = MODE_CHECK; modes++; break;
		case 'n': o->mode = MODE_NFD; modes++; break;
		/* clang-format on */
		case 'r': o->request = 1; break;
		case 'v': o->verify = 1; break;
		/* --help and --version win over everything else, as in GNU tools. */
		case 'h': o->mode = MODE_HELP; return 0;
		case 'V': o->mode = MODE_VERSION; return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || modes > 1) {
		usage(stderr);
		return 2;
	}
	return 0;
}

/* --nfd: the instructions first (their children request, never this process), then the file. Exit 3
 * when a usable sub-feature faults, as for the other modes; the file is complete then too. */
static int run_nfd(const struct options *o)
{
	if (o->verify)
		verify_run();
	int status = nfd_print(stdout, o->request, o->verify);
	if (status)
		return status;
	status = finish_output();
	return status ? status : o->verify && verify_faulted() ? 3 : 0;
}

int main(int argc, char **argv)
{
	struct options o;
	if (parse_options(argc, argv, &o))
		return 2;
	switch (o.mode) {
	case MODE_HELP: usage(stdout); return finish_output();
	case MODE_VERSION: printf("amxinfo (amxshim) %s\n", AMXSHIM_VERSION_STRING); return finish_output();
	case MODE_CHECK: {
		/* Only what the answer needs: no kernel call when disabled or when the CPU lacks AMX, so a
		 * sandbox that kills on XCOMP arch_prctl still gets an answer. */
		struct amxshim_state st;
		int usable = amxshim_probe(&st, AMXSHIM_TILE, o.request ? AMXSHIM_PROBE_REQUEST : 0);
		if (o.verify)
			verify_run();
		return o.verify && verify_faulted() ? 3 : usable ? 0 : 1;
	}
	case MODE_NFD: return run_nfd(&o);
	case MODE_TEXT:
	case MODE_JSON: break;
	}
	unsigned flags = AMXSHIM_PROBE_READ_KERNEL | (o.request ? AMXSHIM_PROBE_REQUEST : 0);
	struct amxshim_state st, per_feature;
	int feature_usable[N_FEATURES];
	/* The request (if any) first; the per-feature answers then see the permission it obtained. */
	amxshim_probe(&st, AMXSHIM_TILE, flags);
	for (unsigned i = 0; i < N_FEATURES; i++)
		feature_usable[i] = amxshim_probe(&per_feature, features[i].flag, AMXSHIM_PROBE_READ_KERNEL);
	st.cpu_features |= read_next_leaves(); /* "cpu" of the leaf-1EH.1 flags, read only when asked */
	errno = 0;
	unsigned long minsig = getauxval(AT_MINSIGSTKSZ);
	int have_minsig = minsig != 0 || errno != ENOENT;
	if (o.verify)
		verify_run();
	if (o.mode == MODE_JSON) {
		print_json(&st, feature_usable, minsig, have_minsig, o.verify);
	} else {
		print_text(&st, minsig, have_minsig);
		if (o.verify)
			verify_print_text(stdout);
	}
	int status = finish_output();
	return status ? status : o.verify && verify_faulted() ? 3 : 0;
}
