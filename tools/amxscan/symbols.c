// SPDX-License-Identifier: MIT
/* Symbol tables through libelf: functions and data objects for the walk, IFUNCs, imported wrappers. */
#include <stdlib.h>
#include <string.h>

#include "amxscan.h"

#define MAX_SYMS (1u << 26) /* beyond any real table; stops an absurd count before allocating */

/* "syscall@GLIBC_2.2.5" (as .symtab spells versioned imports) names syscall too. */
static int name_is(const char *name, const char *want)
{
	size_t n = strlen(want);
	return strncmp(name, want, n) == 0 && (name[n] == '\0' || name[n] == '@');
}

int wrapper_kind(const char *name)
{
	if (name_is(name, "arch_prctl") || name_is(name, "__arch_prctl"))
		return CALL_ARCH_PRCTL;
	return name_is(name, "syscall") ? CALL_SYSCALL : CALL_NONE;
}

int calls_add(struct call_target **v, size_t *n, size_t *cap, uint64_t addr, size_t shndx, int kind)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		struct call_target *p = realloc(*v, c * sizeof(*p));
		if (!p)
			return -1;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = (struct call_target){ addr, shndx, 0, kind };
	return 0;
}

void calls_free(struct calls *c)
{
	free(c->direct);
	free(c->slot);
	free(c->reloc);
	free(c->alias);
	free(c->aslot);
	memset(c, 0, sizeof(*c));
}

static Elf_Scn *find_table(Elf *elf, Elf64_Word type, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn)) != NULL)
		if (gelf_getshdr(scn, sh) && sh->sh_type == type)
			return scn;
	return NULL;
}

static int cmp_symref(const void *a, const void *b)
{
	const struct symref *x = a, *y = b;
	if (x->shndx != y->shndx)
		return x->shndx < y->shndx ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	/* For aliases prefer a function, then a global name, then the shorter name: stable output. */
	if (x->is_func != y->is_func)
		return y->is_func - x->is_func;
	if ((x->bind == STB_GLOBAL) != (y->bind == STB_GLOBAL))
		return x->bind == STB_GLOBAL ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int add_ifunc(struct scan_result *r, const char *name)
{
	for (size_t i = 0; i < r->nifuncs; i++)
		if (strcmp(r->ifuncs[i], name) == 0)
			return 0;
	const char **v = realloc(r->ifuncs, (r->nifuncs + 1) * sizeof(*v));
	if (!v)
		return -1;
	v[r->nifuncs++] = name;
	r->ifuncs = v;
	return 0;
}

/* Reads one table: notes imports, wrappers and IFUNCs; keeps code/data symbols when `keep`. */
static int read_table(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, int keep, struct scan_result *r, struct symtab *st,
		      char *err, size_t errlen)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d) {
		snprintf(err, errlen, "unreadable symbol table: %s", elf_errmsg(-1));
		return -1;
	}
	size_t entsz = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	size_t n = entsz ? d->d_size / entsz : 0;
	if (n > MAX_SYMS) {
		snprintf(err, errlen, "absurd symbol count %zu", n);
		return -1;
	}
	if (keep) {
		st->v = calloc(n ? n : 1, sizeof(*st->v));
		if (!st->v) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(d, (int)i, &sym))
			break;
		const char *name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		int type = GELF_ST_TYPE(sym.st_info);
		if (sym.st_shndx == SHN_UNDEF) {
			r->imports_arch_prctl |= name_is(name, "arch_prctl");
			r->imports_syscall |= name_is(name, "syscall");
			continue;
		}
		if (type == STT_FUNC || type == STT_GNU_IFUNC) {
			int k = wrapper_kind(name);
			r->defines_wrapper |= k != CALL_NONE;
			/* a wrapper defined here (static programs, libc itself) is called directly */
			if (k && sym.st_shndx < SHN_LORESERVE && !r->is_rel &&
			    calls_add(&r->calls.direct, &r->calls.ndirect, &r->calls.capdirect, sym.st_value, 0, k) <
				    0) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
		}
		if (type == STT_GNU_IFUNC && add_ifunc(r, name) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (!keep || sym.st_shndx >= SHN_LORESERVE)
			continue;
		if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT)
			continue;
		st->v[st->n++] = (struct symref){ sym.st_shndx, sym.st_value,       sym.st_size,
						  name,         type != STT_OBJECT, GELF_ST_BIND(sym.st_info) };
	}
	return 0;
}

/* Functions and objects come from .symtab, else .dynsym; imports and IFUNCs from both. */
int symtab_load(Elf *elf, struct scan_result *r, struct symtab *st, char *err, size_t errlen)
{
	GElf_Shdr sym_sh, dyn_sh;
	Elf_Scn *sym = find_table(elf, SHT_SYMTAB, &sym_sh);
	Elf_Scn *dyn = find_table(elf, SHT_DYNSYM, &dyn_sh);
	memset(st, 0, sizeof(*st));
	if (sym && read_table(elf, sym, &sym_sh, 1, r, st, err, errlen) < 0)
		return -1;
	if (dyn && read_table(elf, dyn, &dyn_sh, !sym, r, st, err, errlen) < 0)
		return -1;
	r->symtab = sym ? ".symtab" : dyn ? ".dynsym" : NULL;
	if (st->n)
		qsort(st->v, st->n, sizeof(*st->v), cmp_symref);
	return 0;
}

/* The marks of one section, sorted by offset, aliases dropped. Returns how many (0 on no memory). */
size_t symtab_marks(const struct symtab *st, size_t shndx, uint64_t sh_addr, uint64_t sh_size, struct mark **out)
{
	size_t lo = 0, hi = st->n;
	while (lo < hi) { /* first entry of this section */
		size_t mid = lo + (hi - lo) / 2;
		if (st->v[mid].shndx < shndx)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < st->n && st->v[end].shndx == shndx)
		end++;
	*out = NULL;
	if (end == lo)
		return 0;
	struct mark *m = malloc((end - lo) * sizeof(*m));
	if (!m)
		return 0;
	size_t n = 0;
	for (size_t i = lo; i < end; i++) {
		const struct symref *s = &st->v[i];
		if (s->value < sh_addr || s->value - sh_addr >= sh_size)
			continue;
		uint64_t off = s->value - sh_addr;
		if (n && m[n - 1].off == off)
			continue; /* alias: the first one sorts best */
		m[n++] = (struct mark){ off, s->size, s->name, s->is_func };
	}
	*out = m;
	return n;
}

void symtab_free(struct symtab *st)
{
	free(st->v);
	st->v = NULL;
	st->n = 0;
}
