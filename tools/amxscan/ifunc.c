// SPDX-License-Identifier: MIT
/* amxscan --check-ifunc, reading: the code, the functions, the GOT slots the loader fills, the PLT
 * entries that jump through them, and the IFUNC resolvers (IFUNC symbols and IRELATIVE addends). */
#include <stdlib.h>
#include <string.h>

#include "ifunc.h"

#define R_GLOB_DAT 6
#define R_JUMP_SLOT 7
#define R_RELATIVE 8
#define R_IRELATIVE 37

/* Appends one element of `size` bytes to *v (n used, cap allocated); -1 on no memory. */
static int grow(void *vp, size_t *n, size_t *cap, size_t size, const void *elem)
{
	char **v = vp;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		char *p = realloc(*v, c * size);
		if (!p)
			return -1;
		*v = p;
		*cap = c;
	}
	memcpy(*v + *n * size, elem, size);
	(*n)++;
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b; /* each struct starts with its address */
	return x < y ? -1 : x > y;
}

static int add_resolver(struct ifx *x, size_t *cap, uint64_t addr, const char *name)
{
	for (size_t i = 0; i < x->nres; i++)
		if (x->res[i].addr == addr) {
			x->res[i].name = x->res[i].name ? x->res[i].name : name;
			return 0;
		}
	struct ifx_resolver r = { addr, name };
	return grow(&x->res, &x->nres, cap, sizeof(r), &r);
}

static int read_syms(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct ifx *x, size_t *capsym, size_t *capres)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t entsz = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	size_t n = d && entsz ? d->d_size / entsz : 0;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym s;
		if (!gelf_getsym(d, (int)i, &s))
			return -1;
		int type = GELF_ST_TYPE(s.st_info);
		const char *name = elf_strptr(elf, sh->sh_link, s.st_name);
		if (!name || !*name || s.st_shndx == SHN_UNDEF || s.st_shndx >= SHN_LORESERVE ||
		    (type != STT_FUNC && type != STT_GNU_IFUNC))
			continue;
		struct ifx_sym f = { s.st_value, s.st_size, name };
		if (type == STT_FUNC && grow(&x->syms, &x->nsyms, capsym, sizeof(f), &f) < 0)
			return -1;
		if (type == STT_GNU_IFUNC && add_resolver(x, capres, s.st_value, name) < 0)
			return -1;
	}
	return 0;
}

/* The symbol a relocation names (NULL when none), and whether it is a weak undefined reference. */
static const char *rel_sym(Elf *elf, Elf_Data *syms, size_t strndx, size_t symi, int *weak)
{
	GElf_Sym s;
	*weak = 0;
	if (!syms || !symi || !gelf_getsym(syms, (int)symi, &s))
		return NULL;
	*weak = GELF_ST_BIND(s.st_info) == STB_WEAK && s.st_shndx == SHN_UNDEF;
	return elf_strptr(elf, strndx, s.st_name);
}

struct caps {
	size_t area, data, sym, slot, res, rel;
};

static int read_relas(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct ifx *x, struct caps *c)
{
	Elf_Scn *symscn = sh->sh_link ? elf_getscn(elf, sh->sh_link) : NULL;
	GElf_Shdr symsh = { 0 };
	Elf_Data *syms = symscn && gelf_getshdr(symscn, &symsh) ? elf_getdata(symscn, NULL) : NULL;
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t entsz = gelf_fsize(elf, ELF_T_RELA, 1, EV_CURRENT);
	size_t n = d && entsz ? d->d_size / entsz : 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Rela r;
		if (!gelf_getrela(d, (int)i, &r))
			return -1;
		unsigned type = (unsigned)GELF_R_TYPE(r.r_info);
		struct ifx_rel rl = { r.r_offset, (uint64_t)r.r_addend };
		if (type == R_RELATIVE && grow(&x->rels, &x->nrels, &c->rel, sizeof(rl), &rl) < 0)
			return -1;
		if (type != R_GLOB_DAT && type != R_JUMP_SLOT && type != R_IRELATIVE)
			continue;
		struct ifx_slot s = { r.r_offset, NULL, type, 0 };
		if (type != R_IRELATIVE)
			s.name = rel_sym(elf, syms, symsh.sh_link, GELF_R_SYM(r.r_info), &s.weak);
		else if (add_resolver(x, &c->res, (uint64_t)r.r_addend, NULL) < 0)
			return -1;
		if (grow(&x->slots, &x->nslots, &c->slot, sizeof(s), &s) < 0)
			return -1;
	}
	return 0;
}

/* Every `jmp *slot(%rip)` through a known slot is a PLT entry, from its ENDBR64 and BND prefix on. */
static int find_plts(struct ifx *x)
{
	static const uint8_t endbr[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
	size_t cap = 0;
	for (size_t a = 0; a < x->nareas; a++) {
		const struct code_area *A = &x->areas[a];
		const uint8_t *b = A->bytes;
		for (uint64_t p = 0; A->size >= 6 && p <= A->size - 6; p++) {
			if (b[p] != 0xff || b[p + 1] != 0x25)
				continue;
			int32_t disp;
			memcpy(&disp, b + p + 2, 4);
			const struct ifx_slot *s = ifx_slot_at(x, A->addr + p + 6 + (uint64_t)(int64_t)disp);
			if (!s)
				continue;
			uint64_t bnd = p > 0 && b[p - 1] == 0xf2 ? p - 1 : p;
			uint64_t start = bnd >= 4 && memcmp(b + bnd - 4, endbr, 4) == 0 ? bnd - 4 : bnd;
			uint64_t at[3] = { start, bnd, p };
			for (int k = 0; k < 3; k++) {
				struct ifx_plt plt = { A->addr + at[k], s };
				if ((k == 0 || at[k] != at[k - 1]) && grow(&x->plts, &x->nplts, &cap, sizeof(plt), &plt) < 0)
					return -1;
			}
		}
	}
	qsort(x->plts, x->nplts, sizeof(*x->plts), by_addr);
	return 0;
}

static int read_sections(Elf *elf, struct ifx *x)
{
	struct caps c = { 0 };
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		if (!gelf_getshdr(scn, &sh))
			return -1;
		if (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM) {
			if (read_syms(elf, scn, &sh, x, &c.sym, &c.res) < 0)
				return -1;
		} else if (sh.sh_type == SHT_RELA) {
			if (read_relas(elf, scn, &sh, x, &c) < 0)
				return -1;
		} else if (sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_ALLOC) && sh.sh_size) {
			Elf_Data *d = elf_getdata(scn, NULL);
			if (!d || d->d_size != sh.sh_size)
				return -1;
			struct code_area a = { d->d_buf, sh.sh_size, sh.sh_addr, NULL, elf_ndxscn(scn) };
			int code = (sh.sh_flags & SHF_EXECINSTR) != 0;
			if (grow(code ? &x->areas : &x->data, code ? &x->nareas : &x->ndata, code ? &c.area : &c.data,
				 sizeof(a), &a) < 0)
				return -1;
		}
	}
	return 0;
}

/* Names the resolvers found only by IRELATIVE addends after the function there. */
int ifx_load(Elf *elf, struct ifx *x, char *err, size_t errlen)
{
	GElf_Ehdr eh;
	memset(x, 0, sizeof(*x));
	if (!gelf_getehdr(elf, &eh) || eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64) {
		snprintf(err, errlen, "not an x86-64 ELF file");
		return -1;
	}
	if (eh.e_type != ET_DYN && eh.e_type != ET_EXEC) {
		snprintf(err, errlen, "not a linked program or library (resolvers are checked after linking)");
		return -1;
	}
	if (read_sections(elf, x) < 0) {
		snprintf(err, errlen, "unreadable sections: %s", elf_errmsg(-1));
		return -1;
	}
	qsort(x->syms, x->nsyms, sizeof(*x->syms), by_addr);
	qsort(x->slots, x->nslots, sizeof(*x->slots), by_addr);
	qsort(x->res, x->nres, sizeof(*x->res), by_addr);
	qsort(x->rels, x->nrels, sizeof(*x->rels), by_addr);
	for (size_t i = 0; i < x->nres; i++) {
		const struct ifx_sym *s = ifx_sym_at(x, x->res[i].addr);
		if (!x->res[i].name && s && s->addr == x->res[i].addr)
			x->res[i].name = s->name;
	}
	if (find_plts(x) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

void ifx_free(struct ifx *x)
{
	free(x->areas);
	free(x->data);
	free(x->rels);
	free(x->syms);
	free(x->slots);
	free(x->plts);
	free(x->res);
	memset(x, 0, sizeof(*x));
}

/* The last element of a sorted array (of structs starting with their address) at or below addr. */
static const void *floor_of(const void *v, size_t n, size_t size, uint64_t addr)
{
	const char *b = v;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (*(const uint64_t *)(const void *)(b + mid * size) <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? b + (lo - 1) * size : NULL;
}

const struct ifx_slot *ifx_slot_at(const struct ifx *x, uint64_t addr)
{
	const struct ifx_slot *s = floor_of(x->slots, x->nslots, sizeof(*s), addr);
	return s && s->addr == addr ? s : NULL;
}

const struct ifx_plt *ifx_plt_at(const struct ifx *x, uint64_t addr)
{
	const struct ifx_plt *p = floor_of(x->plts, x->nplts, sizeof(*p), addr);
	return p && p->entry == addr ? p : NULL;
}

/* The function containing addr (or the nearest one below, when sizes are unknown). */
const struct ifx_sym *ifx_sym_at(const struct ifx *x, uint64_t addr)
{
	return floor_of(x->syms, x->nsyms, sizeof(*x->syms), addr);
}

const struct code_area *ifx_area_at(const struct ifx *x, uint64_t addr)
{
	for (size_t i = 0; i < x->nareas; i++)
		if (addr >= x->areas[i].addr && addr - x->areas[i].addr < x->areas[i].size)
			return &x->areas[i];
	return NULL;
}

int ifx_read(const struct ifx *x, uint64_t addr, size_t n, uint64_t *v)
{
	const struct ifx_rel *r = floor_of(x->rels, x->nrels, sizeof(*r), addr);
	if (n == 8 && r && r->addr == addr) {
		*v = r->value;
		return 1;
	}
	const struct code_area *a = ifx_area_at(x, addr);
	for (size_t i = 0; !a && i < x->ndata; i++)
		if (addr >= x->data[i].addr && addr - x->data[i].addr < x->data[i].size)
			a = &x->data[i];
	if (!a || a->size - (addr - a->addr) < n)
		return 0;
	*v = 0;
	memcpy(v, a->bytes + (addr - a->addr), n); /* x86-64: little-endian, as the low bytes of *v */
	return 1;
}
