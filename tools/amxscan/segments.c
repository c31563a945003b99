// SPDX-License-Identifier: MIT
/* Files without section headers (sstrip, damaged headers): walk the PF_X load segments instead, and
 * look for the wrappers' names in the dynamic string table. No symbols, so sites are segment offsets. */
#include <string.h>

#include "amxscan.h"

/* File offset of a virtual address, through the PT_LOAD that maps it; -1 when none does. */
static int64_t vaddr_to_off(Elf *elf, size_t phnum, uint64_t vaddr, uint64_t len)
{
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr < ph.p_filesz &&
		    len <= ph.p_filesz - (vaddr - ph.p_vaddr))
			return (int64_t)(ph.p_offset + (vaddr - ph.p_vaddr));
	}
	return -1;
}

static int has_string(const char *s, size_t n, const char *want)
{
	size_t wl = strlen(want) + 1; /* with its terminator: "syscall" must not match "syscall_x" */
	for (size_t i = 0; i + wl <= n; i++)
		if ((i == 0 || s[i - 1] == '\0') && memcmp(s + i, want, wl) == 0)
			return 1;
	return 0;
}

/* `len` bytes at a virtual address, through the PT_LOAD that maps them; NULL when none does. */
static const uint8_t *at_vaddr(Elf *elf, size_t phnum, size_t file_size, uint64_t vaddr, uint64_t len)
{
	int64_t off = len ? vaddr_to_off(elf, phnum, vaddr, len) : -1;
	if (off < 0 || (uint64_t)off > file_size || len > file_size - (uint64_t)off)
		return NULL;
	Elf_Data *d = elf_getdata_rawchunk(elf, off, len, ELF_T_BYTE);
	return d && d->d_buf && d->d_size == len ? d->d_buf : NULL;
}

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* What the dynamic segment says: where the symbols, their names and the relocation tables are. */
struct dyn {
	uint64_t strtab, strsz, symtab, jmprel, pltrelsz, rela, relasz;
	int pltrel_rela;
};

#define R_GLOB_DAT_ 6
#define R_JUMP_SLOT_ 7

/* One RELA table (24-byte entries): the GOT slots of the wrappers, and those of functions defined
 * here (their PLT entries may lead to a private wrapper), as calls.c finds them through sections. */
static int read_rela(Elf *elf, size_t phnum, size_t file_size, const struct dyn *dy, uint64_t addr, uint64_t size,
		     struct scan_result *r)
{
	const uint8_t *t = at_vaddr(elf, phnum, file_size, addr, size - size % 24);
	const char *str = (const char *)at_vaddr(elf, phnum, file_size, dy->strtab, dy->strsz);
	struct calls *c = &r->calls;
	for (uint64_t i = 0; t && str && i + 24 <= size; i += 24) {
		unsigned type = (unsigned)le(t + i + 8, 4);
		uint64_t slot = le(t + i, 8), symi = le(t + i + 12, 4);
		const uint8_t *sym = symi ? at_vaddr(elf, phnum, file_size, dy->symtab + symi * 24, 24) : NULL;
		if ((type != R_JUMP_SLOT_ && type != R_GLOB_DAT_) || !sym || le(sym, 4) >= dy->strsz ||
		    !memchr(str + le(sym, 4), 0, dy->strsz - le(sym, 4)))
			continue;
		int k = wrapper_kind(str + le(sym, 4)), rc = 0;
		if (k)
			rc = calls_add(&c->slot, &c->nslot, &c->capslot, slot, 0, k);
		else if (type == R_JUMP_SLOT_ && le(sym + 6, 2) != SHN_UNDEF && (sym[4] & 0xf) == STT_FUNC) {
			rc = calls_add(&c->aslot, &c->naslot, &c->capaslot, slot, 0, CALL_NONE);
			if (rc == 0)
				c->aslot[c->naslot - 1].to = le(sym + 8, 8);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int scan_dynamic(Elf *elf, size_t phnum, const GElf_Phdr *dyn, size_t file_size, struct scan_result *r)
{
	if (dyn->p_offset > file_size || dyn->p_filesz > file_size - dyn->p_offset || gelf_getclass(elf) != ELFCLASS64)
		return 0;
	Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)dyn->p_offset, dyn->p_filesz, ELF_T_DYN);
	if (!d || !d->d_buf)
		return 0;
	/* libelf converted the chunk to native Elf64_Dyn (only ELFCLASS64 gets here). */
	const Elf64_Dyn *v = d->d_buf;
	struct dyn dy = { 0 };
	for (size_t i = 0; i < d->d_size / sizeof(*v) && v[i].d_tag != DT_NULL; i++) {
		uint64_t x = v[i].d_un.d_val;
		switch (v[i].d_tag) {
		case DT_STRTAB: dy.strtab = x; break;
		case DT_STRSZ: dy.strsz = x; break;
		case DT_SYMTAB: dy.symtab = x; break;
		case DT_JMPREL: dy.jmprel = x; break;
		case DT_PLTRELSZ: dy.pltrelsz = x; break;
		case DT_PLTREL: dy.pltrel_rela = x == DT_RELA; break;
		case DT_RELA: dy.rela = x; break;
		case DT_RELASZ: dy.relasz = x; break;
		default: break;
		}
	}
	const char *s = (const char *)at_vaddr(elf, phnum, file_size, dy.strtab, dy.strsz);
	if (!s)
		return 0;
	r->imports_arch_prctl = has_string(s, dy.strsz, "arch_prctl");
	r->imports_syscall = has_string(s, dy.strsz, "syscall");
	/* x86-64 uses RELA only; DT_JMPREL lies inside DT_RELA in some links: a slot added twice is harmless */
	if (dy.pltrel_rela && read_rela(elf, phnum, file_size, &dy, dy.jmprel, dy.pltrelsz, r) < 0)
		return -1;
	return read_rela(elf, phnum, file_size, &dy, dy.rela, dy.relasz, r);
}

/* The PF_X load segments with bytes, into r->code; the dynamic segment's relocations into r->calls. */
static int collect_segments(Elf *elf, size_t phnum, size_t file_size, struct scan_result *r, char *err,
			    size_t errlen)
{
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph)) {
			snprintf(err, errlen, "bad program header %zu: %s", i, elf_errmsg(-1));
			return -1;
		}
		if (ph.p_type == PT_DYNAMIC && scan_dynamic(elf, phnum, &ph, file_size, r) < 0)
			goto oom;
		if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X) || ph.p_filesz == 0)
			continue;
		if (ph.p_offset > file_size || ph.p_filesz > file_size - ph.p_offset) {
			snprintf(err, errlen,
				 "segment %zu lies outside the file (offset %#llx, size %#llx, file size %#zx)", i,
				 (unsigned long long)ph.p_offset, (unsigned long long)ph.p_filesz, file_size);
			return -1;
		}
		Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_BYTE);
		if (!d || !d->d_buf) {
			snprintf(err, errlen, "unreadable segment %zu: %s", i, elf_errmsg(-1));
			return -1;
		}
		struct code_area a = { d->d_buf, d->d_size, ph.p_vaddr, "PT_LOAD", 0 };
		if (codemap_add(&r->code, &a) < 0)
			goto oom;
	}
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

int scan_segments(Elf *elf, size_t file_size, struct scan_result *r, char *err, size_t errlen)
{
	size_t phnum;
	if (elf_getphdrnum(elf, &phnum) < 0) {
		snprintf(err, errlen, "bad program header table: %s", elf_errmsg(-1));
		return -1;
	}
	if (phnum == 0) {
		snprintf(err, errlen, "neither section headers nor program headers");
		return -1;
	}
	r->from_segments = 1;
	if (collect_segments(elf, phnum, file_size, r, err, errlen) < 0)
		return -1;
	int rc = find_plt_entries(r);
	for (size_t i = 0; rc == 0 && i < r->code.n; i++) {
		const struct code_area *a = &r->code.v[i];
		rc = walk_code(a->bytes, a->size, a->addr, a->name, NULL, 0, &r->calls, r);
	}
	if (rc == 0)
		rc = resolve_pending(r);
	if (rc < 0)
		snprintf(err, errlen, "out of memory");
	return rc;
}
