// SPDX-License-Identifier: MIT
/* Where calls to the arch_prctl()/syscall() wrappers land, from the relocations and the PLT:
 * GOT slots the dynamic linker fills with a wrapper's address (JUMP_SLOT, GLOB_DAT), the PLT entries
 * that jump through those slots, and in relocatable objects the relocated call operands. */
#include <string.h>

#include "amxscan.h"

#define R_JUMP_SLOT 7
#define R_GLOB_DAT 6

static int rela_symbol_kind(Elf *elf, Elf_Data *syms, size_t strndx, size_t symi, uint64_t *defined)
{
	GElf_Sym sym;
	*defined = 0;
	if (!syms || !gelf_getsym(syms, (int)symi, &sym))
		return CALL_NONE;
	if (sym.st_shndx != SHN_UNDEF && sym.st_shndx < SHN_LORESERVE && GELF_ST_TYPE(sym.st_info) == STT_FUNC)
		*defined = sym.st_value;
	const char *name = elf_strptr(elf, strndx, sym.st_name);
	/* in an object, a call to a wrapper defined alongside is relocated against the wrapper too */
	return name ? wrapper_kind(name) : CALL_NONE;
}

static int read_relocs(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct scan_result *r)
{
	Elf_Scn *symscn = elf_getscn(elf, sh->sh_link);
	GElf_Shdr symsh;
	if (!symscn || !gelf_getshdr(symscn, &symsh) || (symsh.sh_type != SHT_SYMTAB && symsh.sh_type != SHT_DYNSYM))
		return 0;
	Elf_Data *syms = elf_getdata(symscn, NULL), *d = elf_getdata(scn, NULL);
	if (!d)
		return 0;
	size_t entsz = gelf_fsize(elf, sh->sh_type == SHT_RELA ? ELF_T_RELA : ELF_T_REL, 1, EV_CURRENT);
	size_t n = entsz ? d->d_size / entsz : 0;
	struct calls *c = &r->calls;
	for (size_t i = 0; i < n; i++) {
		uint64_t off, info;
		if (sh->sh_type == SHT_RELA) {
			GElf_Rela rel;
			if (!gelf_getrela(d, (int)i, &rel))
				break;
			off = rel.r_offset, info = rel.r_info;
		} else {
			GElf_Rel rel;
			if (!gelf_getrel(d, (int)i, &rel))
				break;
			off = rel.r_offset, info = rel.r_info;
		}
		unsigned type = (unsigned)GELF_R_TYPE(info);
		size_t symi = GELF_R_SYM(info);
		if (!symi)
			continue;
		uint64_t defined;
		int k = rela_symbol_kind(elf, syms, symsh.sh_link, symi, &defined);
		int rc = 0;
		/* a PLT slot of a function defined here: its entry may lead to a private wrapper */
		if (!k && defined && !r->is_rel && type == R_JUMP_SLOT) {
			if (calls_add(&c->aslot, &c->naslot, &c->capaslot, off, 0, CALL_NONE) < 0)
				return -1;
			c->aslot[c->naslot - 1].to = defined;
		}
		if (!k)
			continue;
		if (r->is_rel)
			rc = calls_add(&c->reloc, &c->nreloc, &c->capreloc, off, sh->sh_info, k);
		else if (type == R_JUMP_SLOT || type == R_GLOB_DAT)
			rc = calls_add(&c->slot, &c->nslot, &c->capslot, off, 0, k);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int add_entry(struct calls *c, uint64_t entry, uint64_t slot)
{
	for (size_t i = 0; i < c->nslot; i++)
		if (c->slot[i].addr == slot)
			return calls_add(&c->direct, &c->ndirect, &c->capdirect, entry, 0, c->slot[i].kind);
	for (size_t i = 0; i < c->naslot; i++) {
		if (c->aslot[i].addr != slot)
			continue;
		if (calls_add(&c->alias, &c->nalias, &c->capalias, entry, 0, CALL_NONE) < 0)
			return -1;
		c->alias[c->nalias - 1].to = c->aslot[i].to;
		return 0;
	}
	return 0;
}

/* Every `jmp *slot(%rip)` (FF 25 disp32) through a known slot: its entry starts at the jump, or before
 * a BND prefix (F2) and an ENDBR64 (F3 0F 1E FA) as in .plt.sec. Each possible start is an entry: a
 * byte pattern that is no PLT cannot name a wrapper's slot. */
static int scan_area(const struct code_area *a, struct calls *c, uint64_t lo, uint64_t hi)
{
	static const uint8_t endbr[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
	const uint8_t *b = a->bytes;
	for (uint64_t p = 0; a->size >= 6 && p <= a->size - 6; p++) {
		const uint8_t *ff = memchr(b + p, 0xff, a->size - 5 - p); /* vectorised: most bytes are not FF */
		if (!ff)
			break;
		p = (uint64_t)(ff - b);
		if (b[p + 1] != 0x25)
			continue;
		int32_t disp = (int32_t)((uint32_t)b[p + 2] | (uint32_t)b[p + 3] << 8 | (uint32_t)b[p + 4] << 16 |
					 (uint32_t)b[p + 5] << 24);
		uint64_t slot = a->addr + p + 6 + (uint64_t)(int64_t)disp;
		if (slot < lo || slot > hi)
			continue; /* most FF 25 in code are bytes of other instructions */
		uint64_t start = p > 0 && b[p - 1] == 0xf2 ? p - 1 : p;
		if (add_entry(c, a->addr + p, slot) < 0 || (start != p && add_entry(c, a->addr + start, slot) < 0))
			return -1;
		if (start >= 4 && memcmp(b + start - 4, endbr, 4) == 0 && add_entry(c, a->addr + start - 4, slot) < 0)
			return -1;
	}
	return 0;
}

int find_plt_entries(struct scan_result *r)
{
	if (r->is_rel || (!r->calls.nslot && !r->calls.naslot))
		return 0;
	const struct calls *c = &r->calls;
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t i = 0; i < c->nslot + c->naslot; i++) {
		uint64_t s = i < c->nslot ? c->slot[i].addr : c->aslot[i - c->nslot].addr;
		lo = s < lo ? s : lo;
		hi = s > hi ? s : hi;
	}
	for (size_t i = 0; i < r->code.n; i++)
		if (scan_area(&r->code.v[i], &r->calls, lo, hi) < 0)
			return -1;
	return 0;
}

int find_calls(Elf *elf, struct scan_result *r)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(elf, scn)) != NULL)
		if (gelf_getshdr(scn, &sh) && (sh.sh_type == SHT_RELA || sh.sh_type == SHT_REL) &&
		    read_relocs(elf, scn, &sh, r) < 0)
			return -1;
	return find_plt_entries(r);
}
