// SPDX-License-Identifier: MIT
/* Prints one file's result: a readable table, one JSON object per line, or the verdict alone. */
#include <stdint.h>
#include <string.h>

#include "amxscan.h"

/* Length of a valid UTF-8 sequence at s (1..4), or 0. */
static int utf8_len(const unsigned char *s)
{
	int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* JSON strings must be valid UTF-8: a stray byte is written as the code point of the same value. */
void json_str(FILE *f, const char *str)
{
	if (!str) {
		fputs("null", f);
		return;
	}
	const unsigned char *s = (const unsigned char *)str;
	fputc('"', f);
	while (*s) {
		int n;
		if (*s == '"' || *s == '\\') {
			fprintf(f, "\\%c", *s++);
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\u%04x", *s++);
		} else if (*s < 0x80) {
			fputc(*s++, f);
		} else if ((n = utf8_len(s)) > 0) {
			fwrite(s, 1, (size_t)n, f);
			s += n;
		} else {
			fputs("\\ufffd", f); /* not a character: the exact bytes go in a base64 field beside it */
			s++;
		}
	}
	fputc('"', f);
}

static int valid_utf8(const char *str)
{
	for (const unsigned char *s = (const unsigned char *)str; *s;) {
		int n = *s < 0x80 ? 1 : utf8_len(s);
		if (!n)
			return 0;
		s += n;
	}
	return 1;
}

static void base64(FILE *f, const char *str)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);
	fputc('"', f);
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v =
			(uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0) | (i + 2 < n ? s[i + 2] : 0);
		fputc(abc[v >> 18], f);
		fputc(abc[(v >> 12) & 63], f);
		fputc(i + 1 < n ? abc[(v >> 6) & 63] : '=', f);
		fputc(i + 2 < n ? abc[v & 63] : '=', f);
	}
	fputc('"', f);
}

/* Table output (and error lines) stay on one line per item even for hostile names. */
void text_str(FILE *f, const char *str)
{
	for (const unsigned char *s = (const unsigned char *)str; *s; s++) {
		if (*s < 0x20 || *s == 0x7f || *s == '\\')
			fprintf(f, "\\x%02x", *s);
		else
			fputc(*s, f);
	}
}

static void text_site(FILE *f, const struct site *s)
{
	fputc(' ', f);
	text_str(f, s->func ? s->func : s->area);
	fprintf(f, "+%#llx", (unsigned long long)s->off);
}

static const char *call_kind_name(int k)
{
	return k == CALL_ARCH_PRCTL ? "arch_prctl"
	       : k == CALL_SYSCALL  ? "syscall"
	       : k == CALL_PRIVATE  ? "private-wrapper"
				    : "inline-syscall";
}

static void json_sites(FILE *f, const struct site_list *l);

/* The set an instruction belongs to, and the one it also needs ("AMX-TRANSPOSE", "AMX-MOVRS"), or NULL. */
static const char *insn_set(int op)
{
	return isa_feature_row(isa_insn(op)->feature)->name;
}

static const char *insn_also(int op)
{
	return isa_insn(op)->also == ISA_F_NONE ? NULL : isa_feature_row(isa_insn(op)->also)->name;
}

/* The first row with op's mnemonic: JSON counts are per mnemonic, summed over its encodings and forms. */
static int first_of_mnemonic(int op)
{
	for (int i = 0; i < op; i++)
		if (!strcmp(isa_mnemonic(i), isa_mnemonic(op)))
			return i;
	return op;
}

/* Text for a removed instruction; a set named REMOVED in the table never executes. */
static const char *removed_set(int op)
{
	const struct isa_insn_desc *d = isa_insn(op);

	if (isa_feature_row(d->feature)->status == ISA_REMOVED)
		return isa_feature_row(d->feature)->name;
	return isa_feature_row(d->also)->name;
}

static void json_site(FILE *f, const struct site *s)
{
	fputs("{\"function\":", f);
	json_str(f, s->func);
	fputs(",\"section\":", f);
	json_str(f, s->area);
	fprintf(f, ",\"offset\":%llu,\"address\":%llu", (unsigned long long)s->off, (unsigned long long)s->addr);
	if (s->op >= 0) {
		fputs(",\"mnemonic\":", f);
		json_str(f, isa_mnemonic(s->op));
		fprintf(f, ",\"encoding\":\"%s\",\"set\":", isa_insn(s->op)->enc == ISA_ENC_EVEX ? "evex" : "vex");
		json_str(f, insn_set(s->op));
		fputs(",\"also_needs\":", f);
		json_str(f, insn_also(s->op));
		fprintf(f, ",\"removed\":%s", isa_insn_removed(s->op) ? "true" : "false");
	} else {
		fprintf(f, ",\"via\":\"%s\"", call_kind_name(s->how));
		if (s->op == SITE_OTHER_FEATURE)
			fprintf(f, ",\"feature\":%llu", (unsigned long long)s->feature);
	}
	fputc('}', f);
}

static void json_sites(FILE *f, const struct site_list *l)
{
	fputc('[', f);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			fputc(',', f);
		json_site(f, &l->v[i]);
	}
	fputc(']', f);
}

/* Strings as the members of a JSON array (the brackets are the caller's). */
static void json_strs(FILE *f, const char **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		json_str(f, v[i]);
	}
}

/* "amx_total", the counts per mnemonic, and "removed_total". */
static void json_counts(FILE *f, const struct scan_result *r)
{
	fprintf(f, ",\"amx_total\":%lu,\"counts\":{", r->total);
	for (int op = 0; op < ISA_NINSNS; op++) {
		unsigned n = 0;

		if (first_of_mnemonic(op) != op)
			continue;
		for (int i = op; i < ISA_NINSNS; i++)
			if (!strcmp(isa_mnemonic(i), isa_mnemonic(op)))
				n += r->counts[i];
		fprintf(f, "%s\"%s\":%u", op ? "," : "", isa_mnemonic(op), n);
	}
	unsigned long removed = 0;
	for (int op = 0; op < ISA_NINSNS; op++)
		removed += isa_insn_removed(op) ? r->counts[op] : 0;
	fprintf(f, "},\"removed_total\":%lu,", removed);
}

static void report_json(FILE *f, const char *path, const struct scan_result *r)
{
	fputs("{\"file\":", f);
	json_str(f, path);
	if (!valid_utf8(path)) { /* the name's exact bytes, which "file" cannot carry */
		fputs(",\"file_base64\":", f);
		base64(f, path);
	}
	fputs(",\"verdict\":", f);
	json_str(f, verdict_name(scan_verdict(r)));
	fprintf(f, ",\"source\":\"%s\",\"symbols\":", r->from_segments ? "segments" : "sections");
	json_str(f, r->symtab);
	json_counts(f, r);
	fprintf(f, "\"test_build\":%s,", r->test_build ? "true" : "false");
	fprintf(f, "\"kernel\":%s,", r->kernel == KIND_KERNEL_IMAGE    ? "\"image\""
				      : r->kernel == KIND_KERNEL_MODULE ? "\"module\""
									: "null");
	fprintf(f, "\"static\":%s,\"gnu_property_tmm\":%s,\"generated_at_run_time\":%s,\"jit_evidence\":[",
		r->is_static ? "true" : "false",
		!r->x86_used  ? "null"
		: r->tmm_used ? "true"
			      : "false",
		r->perm.n && !r->total ? "true" : "false");
	json_strs(f, r->jit, r->njit);
	fputs("],\"sites\":[", f);
	for (size_t i = 0; i < r->amx.n; i++) {
		if (i)
			fputc(',', f);
		json_site(f, &r->amx.v[i]);
	}
	fputs("],\"ifuncs\":[", f);
	json_strs(f, r->ifuncs, r->nifuncs);
	fprintf(f, "],\"imports\":[%s%s%s],\"defines_wrapper\":%s,", r->imports_arch_prctl ? "\"arch_prctl\"" : "",
		r->imports_arch_prctl && r->imports_syscall ? "," : "", r->imports_syscall ? "\"syscall\"" : "",
		r->defines_wrapper ? "true" : "false");
	fprintf(f, "\"permission_request\":{\"found\":%s,\"sites\":", r->perm.n ? "true" : "false");
	json_sites(f, &r->perm);
	fputs(",\"possible\":", f);
	json_sites(f, &r->possible);
	fputs(",\"other_feature\":", f);
	json_sites(f, &r->other);
	fputs("}}\n", f);
}

static void text_perm(FILE *f, const char *label, const struct site_list *l, const char *lead)
{
	fprintf(f, "  %-14s %s", label, lead);
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].func) /* no symbol (stripped): the address, as objdump and gdb show it */
			text_site(f, &l->v[i]);
		else
			fprintf(f, " %#llx", (unsigned long long)l->v[i].addr);
		fprintf(f, " (%s", call_kind_name(l->v[i].how));
		if (l->v[i].op == SITE_OTHER_FEATURE)
			fprintf(f, ", feature %llu", (unsigned long long)l->v[i].feature);
		fputc(')', f);
	}
	fputc('\n', f);
}

/* The notes on how the program gets AMX: generated at run time, GNU property, test build, kernel, static. */
static void table_notes(FILE *f, const struct scan_result *r)
{
	if (r->perm.n && !r->total)
		fprintf(f, "  %-14s AMX generated at run time (a request, no AMX instruction in the file)\n", "jit");
	if (r->njit) {
		fprintf(f, "  %-14s", "jit-evidence");
		for (size_t i = 0; i < r->njit; i++) {
			fputc(' ', f);
			text_str(f, r->jit[i]);
		}
		fputc('\n', f);
	}
	if (r->x86_used)
		fprintf(f, "  %-14s x86 feature 2 used %#x: TMM %s\n", "gnu-property", r->x86_used_bits,
			r->tmm_used ? "yes" : "no");
	if (r->test_build)
		fprintf(f, "  %-14s built with the amxshim test resolver (amxresolver-test): it answers CPUID from "
			   "AMXSHIM_FAKE_CPU, not the machine; never ship it\n",
			"test-build");
	if (r->kernel)
		fprintf(f, "  %-14s a Linux kernel %s: kernel code, so no permission request, LD_PRELOAD or amxrun applies\n",
			"kernel", r->kernel == KIND_KERNEL_IMAGE ? "image" : "module");
	else if (r->is_static)
		fprintf(f,
			"  %-14s statically linked: LD_PRELOAD cannot load the shim; run it under amxrun "
			"(amxrun(1)) or add the request to the program\n",
			"static");
}

/* The AMX instructions found, one row per instruction with its sites and its set. */
static void table_counts(FILE *f, const struct scan_result *r)
{
	fprintf(f, "  %-14s %lu\n", "amx", r->total);
	for (int op = 0; op < ISA_NINSNS; op++) {
		if (!r->counts[op])
			continue;
		fprintf(f, "    %-12s %6u ", isa_mnemonic(op), r->counts[op]);
		for (size_t i = 0; i < r->amx.n; i++)
			if (r->amx.v[i].op == op)
				text_site(f, &r->amx.v[i]);
		/* the new sets and forms say which; classic VEX rows keep their old line */
		if (isa_insn_removed(op))
			fprintf(f, " [%s: removed from the ISA; will #UD]", removed_set(op));
		else if (isa_insn(op)->enc == ISA_ENC_EVEX || isa_feature_row(isa_insn(op)->feature)->leaf != 7)
			fprintf(f, " [%s%s%s%s%s]", isa_insn(op)->enc == ISA_ENC_EVEX ? "EVEX " : "", insn_set(op),
				insn_also(op) ? ", " : "", insn_also(op) ? insn_also(op) : "",
				isa_insn(op)->form == ISA_FORM_Z_T_I8 ? ", imm8 row" : "");
		fputc('\n', f);
	}
}

static void report_table(FILE *f, const char *path, const struct scan_result *r)
{
	enum verdict v = scan_verdict(r);
	text_str(f, path);
	fprintf(f, ": %s\n", verdict_name(v));
	fprintf(f, "  %-14s %s\n", "symbols",
		r->from_segments ? "none (no section headers: PT_LOAD walked)"
		: r->symtab      ? r->symtab
				 : "none");
	fprintf(f, "  %-14s", "ifunc");
	for (size_t i = 0; i < r->nifuncs; i++) {
		fputc(' ', f);
		text_str(f, r->ifuncs[i]);
	}
	fprintf(f, "%s\n", r->nifuncs ? "" : " -");
	fprintf(f, "  %-14s %s%s%s\n", "imports", r->imports_arch_prctl ? "arch_prctl " : "",
		r->imports_syscall ? "syscall" : "", r->imports_arch_prctl || r->imports_syscall ? "" : "-");
	text_perm(f, "perm-request", &r->perm, r->perm.n ? "yes at" : "no");
	if (r->possible.n)
		text_perm(f, "possible-req", &r->possible, "arguments not known statically at");
	if (r->other.n)
		text_perm(f, "other-feature", &r->other, "ARCH_REQ_XCOMP_PERM for another feature at");
	table_notes(f, r);
	table_counts(f, r);
}

void report(FILE *f, enum out_mode mode, const char *path, const struct scan_result *r)
{
	switch (mode) {
	case OUT_JSON: report_json(f, path, r); break;
	case OUT_QUIET:
		text_str(f, path);
		fprintf(f, ": %s\n", verdict_name(scan_verdict(r)));
		break;
	case OUT_TABLE: report_table(f, path, r); break;
	}
}
