// SPDX-License-Identifier: MIT
/* amxscan --check-ifunc FILE...: one line per IFUNC resolver, "ok" or what makes it crash when it runs
 * before relocation or TLS setup. Exit: 0 every resolver safe, 1 some unsafe, 2 a file unreadable. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ifunc.h"

#define MAX_SHOWN 3 /* findings on a resolver's line: the first ones, nearest the resolver */

static const char *const what[] = {
	[IFX_CANARY] = "stack protector canary read (%fs:0x28)",
	[IFX_FS] = "%fs access (thread-local storage)",
	[IFX_GS] = "%gs access",
	[IFX_PLT] = "PLT call",
	[IFX_GOTCALL] = "call through the GOT",
	[IFX_CHK_FAIL] = "call to",
	[IFX_TLS_GET] = "call to",
	[IFX_OUTSIDE] = "branch outside the object's code",
	[IFX_WEAK_TESTED] = "note: weak reference, tested for NULL:",
	[IFX_INDIRECT] = "note: indirect call, not followed",
	[IFX_TRUNCATED] = "walk too deep or too long, the rest not checked",
};
static const char *const why[] = {
	[IFX_CANARY] = "in a static program resolvers run before TLS is set up: SIGSEGV before main; "
		       "use AMXSHIM_RESOLVER_CONTEXT",
	[IFX_FS] = "in a static program resolvers run before TLS is set up",
	[IFX_GS] = "no segment base is set up for user code",
	[IFX_PLT] = "its GOT slot may not be relocated yet when the resolver runs",
	[IFX_GOTCALL] = "the slot may not be relocated yet when the resolver runs",
	[IFX_CHK_FAIL] = "the stack protector: in a static program resolvers run before TLS is set up",
	[IFX_TLS_GET] = "thread-local storage is not set up before relocation in a static program",
	[IFX_OUTSIDE] = "not relocated yet, or not code",
	[IFX_TRUNCATED] = "judge the rest by hand",
};

/* "name+0x12" for an address, the address alone without a function symbol below it. */
static void where(FILE *f, const struct ifx *x, uint64_t at)
{
	const struct ifx_sym *s = ifx_sym_at(x, at);
	if (s && (!s->size || at - s->addr < s->size)) {
		text_str(f, s->name);
		fprintf(f, "+%#" PRIx64, at - s->addr);
	} else {
		fprintf(f, "%#" PRIx64, at);
	}
}

static void finding_text(FILE *f, const struct ifx *x, const struct ifx_finding *g)
{
	fputs(what[g->kind], f);
	if (g->kind == IFX_PLT || g->kind == IFX_GOTCALL || g->kind == IFX_CHK_FAIL || g->kind == IFX_TLS_GET ||
	    g->kind == IFX_WEAK_TESTED) {
		fputc(' ', f);
		text_str(f, g->name                      ? g->name
			    : g->kind == IFX_WEAK_TESTED ? "(a weak undefined function, address 0)"
							 : "(an IRELATIVE slot: another IFUNC)");
	}
	fputs(" at ", f);
	where(f, x, g->at);
	if (why[g->kind])
		fprintf(f, " (%s)", why[g->kind]);
}

static int resolver_text(FILE *f, const char *path, const struct ifx *x, const struct ifx_resolver *r,
			 const struct ifx_findings *fs)
{
	int unsafe = 0;
	for (size_t i = 0; i < fs->n; i++)
		unsafe |= ifx_unsafe(fs->v[i].kind);
	text_str(f, path);
	fputs(": ", f);
	if (r->name)
		text_str(f, r->name);
	else
		fprintf(f, "resolver@%#" PRIx64, r->addr);
	fputs(unsafe ? ": unsafe: " : ": ok", f);
	size_t k = 0;
	for (size_t i = 0; i < fs->n; i++) {
		if (unsafe != ifx_unsafe(fs->v[i].kind))
			continue; /* an unsafe resolver lists its faults; a safe one its notes */
		if (k++ < MAX_SHOWN) {
			fputs(k > 1 ? "; " : unsafe ? "" : " (", f);
			finding_text(f, x, &fs->v[i]);
		}
	}
	if (k > MAX_SHOWN)
		fprintf(f, "; %zu more (--json lists them)", k - MAX_SHOWN);
	fputs(!unsafe && fs->n ? ")\n" : "\n", f);
	return unsafe;
}

static const char *const kind_names[] = { "canary", "fs", "gs", "plt", "got_call", "stack_chk_fail", "tls_get_addr",
					  "outside", "weak_tested", "indirect", "truncated" };

static int resolver_json(FILE *f, const char *path, const struct ifx *x, const struct ifx_resolver *r,
			 const struct ifx_findings *fs)
{
	int unsafe = 0;
	fputs("{\"file\":", f);
	json_str(f, path);
	fputs(",\"resolver\":", f);
	json_str(f, r->name ? r->name : "");
	fprintf(f, ",\"address\":%" PRIu64 ",\"findings\":[", r->addr);
	for (size_t i = 0; i < fs->n; i++) {
		const struct ifx_finding *g = &fs->v[i];
		const struct ifx_sym *s = ifx_sym_at(x, g->at);
		unsafe |= ifx_unsafe(g->kind);
		fprintf(f, "%s{\"kind\":\"%s\",\"unsafe\":%s,\"address\":%" PRIu64 ",\"name\":", i ? "," : "",
			kind_names[g->kind], ifx_unsafe(g->kind) ? "true" : "false", g->at);
		json_str(f, g->name ? g->name : "");
		fputs(",\"function\":", f);
		json_str(f, s && (!s->size || g->at - s->addr < s->size) ? s->name : "");
		fputc('}', f);
	}
	fprintf(f, "],\"safe\":%s}\n", unsafe ? "false" : "true");
	return unsafe;
}

/* Checks every resolver of one open ELF file; 0 all safe, 1 some unsafe, 2 unreadable. */
static int check_elf(Elf *elf, const char *path, int json)
{
	struct ifx x;
	char err[256];
	if (ifx_load(elf, &x, err, sizeof(err)) < 0) {
		complain(stderr, path, err);
		ifx_free(&x);
		return 2;
	}
	int rc = 0;
	if (!x.nres && !json) {
		text_str(stdout, path);
		fputs(": no IFUNC resolvers\n", stdout);
	}
	for (size_t i = 0; i < x.nres && rc != 2; i++) {
		struct ifx_findings fs = { 0 };
		if (ifx_walk(&x, x.res[i].addr, &fs) < 0) {
			complain(stderr, path, "out of memory");
			rc = 2;
		} else if ((json ? resolver_json : resolver_text)(stdout, path, &x, &x.res[i], &fs)) {
			rc = 1;
		}
		free(fs.v);
	}
	ifx_free(&x);
	return rc;
}

static int check_path(const char *path, int json)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		complain(stderr, path, "cannot open");
		return 2;
	}
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	int rc = 2;
	if (!elf || elf_kind(elf) != ELF_K_ELF)
		complain(stderr, path, "not an ELF file");
	else
		rc = check_elf(elf, path, json);
	if (elf)
		elf_end(elf);
	close(fd);
	return rc;
}

int check_ifunc_paths(char **paths, int n, int json)
{
	int worst = 0;
	elf_version(EV_CURRENT);
	for (int i = 0; i < n; i++) {
		int rc = check_path(paths[i], json);
		worst = rc > worst ? rc : worst;
	}
	return worst;
}
