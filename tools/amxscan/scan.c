// SPDX-License-Identifier: MIT
/* Scans one ELF image: checks it is x86-64, walks its executable sections, decides a verdict. */
#include <stdlib.h>
#include <string.h>

#include "amxscan.h"

static const char *const verdict_names[] = { "no-amx", "requests-permission", "may-need-shim", "needs-shim" };

const char *verdict_name(enum verdict v)
{
	return verdict_names[v];
}

/* Only a request whose arguments are all known counts; possible requests are listed, never trusted. */
enum verdict scan_verdict(const struct scan_result *r)
{
	if (r->perm.n)
		return V_REQUESTS_PERMISSION;
	if (r->total)
		return V_NEEDS_SHIM;
	return r->njit ? V_MAY_NEED_SHIM : V_NO_AMX;
}

void scan_result_free(struct scan_result *r)
{
	free(r->amx.v);
	free(r->perm.v);
	free(r->possible.v);
	free(r->other.v);
	free(r->ifuncs);
	free(r->jit);
	calls_free(&r->calls);
	free(r->code.v);
	free(r->pwraps);
	free(r->pending);
	memset(r, 0, sizeof(*r));
}

/* Every section with file contents must lie inside the file: libelf would refuse it later anyway,
 * but checking first gives one clear message. */
static int check_sections(Elf *elf, size_t shstrndx, size_t file_size, char *err, size_t errlen)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh)) {
			snprintf(err, errlen, "bad section header %zu: %s", elf_ndxscn(scn), elf_errmsg(-1));
			return -1;
		}
		if (sh.sh_type == SHT_NOBITS || sh.sh_size == 0)
			continue;
		if (sh.sh_offset > file_size || sh.sh_size > file_size - sh.sh_offset) {
			const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
			snprintf(err, errlen,
				 "section %zu (%s) lies outside the file (offset %#llx, size %#llx, file size %#zx)",
				 elf_ndxscn(scn), name ? name : "?", (unsigned long long)sh.sh_offset,
				 (unsigned long long)sh.sh_size, file_size);
			return -1;
		}
	}
	return 0;
}

/* Separate debug files (objcopy --only-keep-debug) keep the section headers, code as NOBITS. */
static int debug_only(Elf *elf)
{
	Elf_Scn *scn = NULL;
	int nobits = 0;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_EXECINSTR))
			continue;
		if (sh.sh_type != SHT_NOBITS && sh.sh_size)
			return 0;
		nobits |= sh.sh_type == SHT_NOBITS;
	}
	return nobits;
}

static int cmp_target(const void *a, const void *b)
{
	const struct call_target *x = a, *y = b;
	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int codemap_add(struct codemap *m, const struct code_area *a)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 8;
		struct code_area *v = realloc(m->v, cap * sizeof(*v));
		if (!v)
			return -1;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = *a;
	return 0;
}

/* The executable sections with bytes, into r->code. */
static int collect_code(Elf *elf, size_t shstrndx, struct scan_result *r, char *err, size_t errlen)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_EXECINSTR) || sh.sh_type == SHT_NOBITS ||
		    sh.sh_size == 0)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!d || (d->d_size && !d->d_buf)) {
			snprintf(err, errlen, "unreadable section %zu (%s): %s", elf_ndxscn(scn), name ? name : "?",
				 elf_errmsg(-1));
			return -1;
		}
		struct code_area a = { d->d_buf, d->d_size, sh.sh_addr, name ? name : "?", elf_ndxscn(scn) };
		if (codemap_add(&r->code, &a) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* One section's walk, with its symbols and (relocatable objects) the relocations applying to it. */
static int walk_section(const struct code_area *a, const struct symtab *st, struct scan_result *r)
{
	/* In relocatable objects symbol values are offsets into their section. */
	uint64_t base = r->is_rel ? 0 : a->addr;
	struct mark *marks;
	size_t nmarks = symtab_marks(st, a->shndx, base, a->size, &marks);
	struct calls c = r->calls;
	size_t lo = 0;
	while (lo < c.nreloc && c.reloc[lo].shndx != a->shndx)
		lo++;
	if (c.reloc) /* none at all: stays NULL (no arithmetic on it) */
		c.reloc += lo;
	for (c.nreloc = 0; lo + c.nreloc < r->calls.nreloc && c.reloc[c.nreloc].shndx == a->shndx;)
		c.nreloc++;
	int rc = walk_code(a->bytes, a->size, a->addr, a->name, marks, nmarks, &c, r);
	free(marks);
	return rc;
}

static int scan_sections(Elf *elf, size_t shstrndx, struct scan_result *r, char *err, size_t errlen)
{
	struct symtab st;
	if (symtab_load(elf, r, &st, err, errlen) < 0 || collect_code(elf, shstrndx, r, err, errlen) < 0) {
		symtab_free(&st);
		return -1;
	}
	int rc = find_calls(elf, r);
	if (r->calls.nreloc)
		qsort(r->calls.reloc, r->calls.nreloc, sizeof(*r->calls.reloc), cmp_target);
	for (size_t i = 0; rc == 0 && i < r->code.n; i++)
		rc = walk_section(&r->code.v[i], &st, r);
	symtab_free(&st);
	if (rc == 0)
		rc = resolve_pending(r);
	if (rc < 0)
		snprintf(err, errlen, "out of memory");
	return rc;
}

/* Section headers that describe no code although a PF_X segment holds bytes (zeroed, forged): the
 * segments are walked instead, so such a file cannot pass for no-amx. */
static int code_in_segments(Elf *elf)
{
	size_t phnum;
	if (elf_getphdrnum(elf, &phnum) < 0)
		return 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD && (ph.p_flags & PF_X) && ph.p_filesz)
			return 1;
	}
	return 0;
}

static int scan_with_sections(Elf *elf, size_t file_size, struct scan_result *r, char *err, size_t errlen)
{
	size_t shstrndx;
	/* names only label sites: a broken name table is no reason to give up the file */
	if (elf_getshdrstrndx(elf, &shstrndx) < 0)
		shstrndx = 0;
	int rc = check_sections(elf, shstrndx, file_size, err, errlen);
	if (rc == 0 && debug_only(elf)) {
		snprintf(err, errlen, "debug-only file (its code sections hold no bytes)");
		return SCAN_SKIPPED;
	}
	if (rc == 0)
		rc = scan_sections(elf, shstrndx, r, err, errlen);
	if (rc == 0 && r->code.n == 0 && !r->is_rel && code_in_segments(elf)) {
		scan_result_free(r);
		r->is_rel = 0;
		rc = scan_segments(elf, file_size, r, err, errlen);
	}
	return rc;
}

int scan_elf(Elf *elf, size_t file_size, struct scan_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	if (elf_kind(elf) != ELF_K_ELF) {
		snprintf(err, errlen, "not an ELF file");
		return SCAN_SKIPPED;
	}
	GElf_Ehdr eh;
	if (!gelf_getehdr(elf, &eh)) {
		snprintf(err, errlen, "bad ELF header: %s", elf_errmsg(-1));
		return -1;
	}
	/* x32 (ELFCLASS32, EM_X86_64) is the same instruction set: decoded like x86-64 */
	if (eh.e_machine != EM_X86_64) {
		snprintf(err, errlen, "%snot x86-64 (e_machine %u)",
			 gelf_getclass(elf) == ELFCLASS64 ? "" : "32-bit ELF, ", eh.e_machine);
		return SCAN_SKIPPED;
	}
	if (eh.e_type == ET_CORE) {
		snprintf(err, errlen, "core file");
		return SCAN_SKIPPED;
	}
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN && eh.e_type != ET_REL) {
		snprintf(err, errlen, "not an executable, shared object or relocatable object (e_type %u)", eh.e_type);
		return SCAN_SKIPPED;
	}
	size_t shnum;
	if (elf_getshdrnum(elf, &shnum) < 0) {
		snprintf(err, errlen, "bad section header table: %s", elf_errmsg(-1));
		return -1;
	}
	/* libelf reports no sections when the table does not fit the file: that is damage, not sstrip. */
	size_t shent = gelf_fsize(elf, ELF_T_SHDR, 1, EV_CURRENT); /* 64 bytes, or 40 for x32 */
	int table_bad = eh.e_shoff > file_size || shnum == 0 || !shent || eh.e_shentsize != shent ||
			shnum > (file_size - eh.e_shoff) / shent;
	if (eh.e_shoff && (shnum || eh.e_shnum) && table_bad) {
		snprintf(
			err, errlen,
			"section header table lies outside the file (e_shoff %#llx, %zu entries of %u bytes, file size %#zx)",
			(unsigned long long)eh.e_shoff, shnum ? shnum : eh.e_shnum, eh.e_shentsize, file_size);
		return -1;
	}
	r->is_rel = eh.e_type == ET_REL;
	int rc = shnum == 0 ? scan_segments(elf, file_size, r, err, errlen)
			    : scan_with_sections(elf, file_size, r, err, errlen);
	if (rc == SCAN_SKIPPED)
		return rc;
	if (rc == 0) {
		elf_facts(elf, &eh, file_size, r);
		kernel_facts(elf, &eh, r);
		test_build_facts(elf, r);
	}
	if (rc == 0 && find_jit(elf, r) < 0) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	if (rc < 0)
		scan_result_free(r);
	return rc;
}
