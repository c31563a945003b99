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

/* Each PLT entry that jumps through a wrapper's slot becomes a direct call target. */
static int read_plt(Elf_Data *d, const GElf_Shdr *sh, struct scan_result *r)
{
	struct calls *c = &r->calls;
	uint64_t ent = sh->sh_entsize >= 8 && sh->sh_entsize <= 32 ? sh->sh_entsize : 16;
	const uint8_t *b = d->d_buf;
	for (uint64_t pos = 0; pos < d->d_size;) {
		struct x86_insn in;
		size_t len = x86_decode(b + pos, d->d_size - pos, &in);
		if (!len)
			break;
		/* jmp *slot(%rip) (FF /4, mod 00, rm 101), maybe after a BND prefix */
		if (in.enc == X86_LEGACY && in.map == X86_MAP_1B && in.opcode == 0xff && (in.modrm & 0xf8) == 0x20 &&
		    (in.modrm & 7) == 5 && len >= 6) {
			const uint8_t *p = b + pos + len - 4;
			int32_t disp = (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
						 (uint32_t)p[3] << 24);
			uint64_t slot = sh->sh_addr + pos + len + (uint64_t)(int64_t)disp;
			uint64_t entry = sh->sh_addr + pos / ent * ent;
			for (size_t i = 0; i < c->nslot; i++) {
				if (c->slot[i].addr != slot)
					continue;
				if (calls_add(&c->direct, &c->ndirect, &c->capdirect, entry, 0, c->slot[i].kind) < 0)
					return -1;
				break;
			}
			for (size_t i = 0; i < c->naslot; i++) {
				if (c->aslot[i].addr != slot)
					continue;
				if (calls_add(&c->alias, &c->nalias, &c->capalias, entry, 0, CALL_NONE) < 0)
					return -1;
				c->alias[c->nalias - 1].to = c->aslot[i].to;
				break;
			}
		}
		pos += len;
	}
	return 0;
}

int find_calls(Elf *elf, size_t shstrndx, struct scan_result *r)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(elf, scn)) != NULL)
		if (gelf_getshdr(scn, &sh) && (sh.sh_type == SHT_RELA || sh.sh_type == SHT_REL) &&
		    read_relocs(elf, scn, &sh, r) < 0)
			return -1;
	if (!r->calls.nslot && !r->calls.naslot)
		return 0;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_EXECINSTR) || sh.sh_type != SHT_PROGBITS)
			continue;
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strncmp(name, ".plt", 4) != 0)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (d && d->d_buf && read_plt(d, &sh, r) < 0)
			return -1;
	}
	return 0;
}
