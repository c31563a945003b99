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

static void scan_dynamic(Elf *elf, size_t phnum, const GElf_Phdr *dyn, size_t file_size, struct scan_result *r)
{
	if (dyn->p_offset > file_size || dyn->p_filesz > file_size - dyn->p_offset || gelf_getclass(elf) != ELFCLASS64)
		return;
	Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)dyn->p_offset, dyn->p_filesz, ELF_T_DYN);
	if (!d || !d->d_buf)
		return;
	/* libelf converted the chunk to native Elf64_Dyn (only ELFCLASS64 gets here). */
	const Elf64_Dyn *v = d->d_buf;
	uint64_t strtab = 0, strsz = 0;
	for (size_t i = 0; i < d->d_size / sizeof(*v) && v[i].d_tag != DT_NULL; i++) {
		if (v[i].d_tag == DT_STRTAB)
			strtab = v[i].d_un.d_ptr;
		else if (v[i].d_tag == DT_STRSZ)
			strsz = v[i].d_un.d_val;
	}
	int64_t off = strsz ? vaddr_to_off(elf, phnum, strtab, strsz) : -1;
	if (off < 0 || (uint64_t)off > file_size || strsz > file_size - (uint64_t)off)
		return;
	Elf_Data *s = elf_getdata_rawchunk(elf, off, strsz, ELF_T_BYTE);
	if (!s || !s->d_buf)
		return;
	r->imports_arch_prctl = has_string(s->d_buf, s->d_size, "arch_prctl");
	r->imports_syscall = has_string(s->d_buf, s->d_size, "syscall");
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
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph)) {
			snprintf(err, errlen, "bad program header %zu: %s", i, elf_errmsg(-1));
			return -1;
		}
		if (ph.p_type == PT_DYNAMIC)
			scan_dynamic(elf, phnum, &ph, file_size, r);
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
		if (walk_code(d->d_buf, d->d_size, ph.p_vaddr, "PT_LOAD", NULL, 0, NULL, r) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}
