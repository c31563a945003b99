// SPDX-License-Identifier: MIT
/* Facts about the file beyond its code: linked statically or not, and the GNU property note's x86
 * "feature 2 used" bits (the linker ORs them from every object built with -mx86-used-note=yes). */
#include <string.h>

#include "amxscan.h"

#define NT_GNU_PROPERTY_TYPE_0_ 5
#define GNU_PROPERTY_X86_FEATURE_2_USED_ 0xc0010001u
#define GNU_PROPERTY_X86_FEATURE_2_TMM_ (1u << 10)
#define DF_1_PIE_ 0x08000000u

/* The properties in one NT_GNU_PROPERTY_TYPE_0 descriptor: type, size, data padded to `align`. */
static void read_properties(const unsigned char *d, size_t n, size_t align, struct scan_result *r)
{
	size_t pos = 0;
	while (n - pos >= 8) {
		uint32_t type, size;
		memcpy(&type, d + pos, 4);
		memcpy(&size, d + pos + 4, 4);
		pos += 8;
		if (size > n - pos)
			return;
		if (type == GNU_PROPERTY_X86_FEATURE_2_USED_ && size >= 4) {
			uint32_t bits;
			memcpy(&bits, d + pos, 4);
			r->x86_used = 1;
			r->x86_used_bits = bits;
			r->tmm_used = (bits & GNU_PROPERTY_X86_FEATURE_2_TMM_) != 0;
		}
		size_t step = (size + align - 1) / align * align;
		if (step > n - pos)
			return;
		pos += step;
	}
}

static void read_notes(Elf_Data *d, size_t align, struct scan_result *r)
{
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;
	while (off < d->d_size && (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		if (nh.n_type == NT_GNU_PROPERTY_TYPE_0_ && nh.n_namesz == 4 &&
		    memcmp((const char *)d->d_buf + name_off, "GNU", 4) == 0)
			read_properties((const unsigned char *)d->d_buf + desc_off, nh.n_descsz, align, r);
		off = next;
	}
}

void elf_facts(Elf *elf, const GElf_Ehdr *eh, size_t file_size, struct scan_result *r)
{
	size_t align = gelf_getclass(elf) == ELFCLASS64 ? 8 : 4;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	int from_section = 0;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (d && d->d_buf) {
			read_notes(d, align, r);
			from_section = 1;
		}
	}
	size_t phnum;
	if (elf_getphdrnum(elf, &phnum) < 0)
		return;
	int interp = 0, dynamic = 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph))
			continue;
		interp |= ph.p_type == PT_INTERP;
		if (ph.p_type == PT_NOTE && !from_section && ph.p_offset <= file_size &&
		    ph.p_filesz <= file_size - ph.p_offset) {
			Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_NHDR);
			if (d && d->d_buf)
				read_notes(d, align, r);
		}
		if (ph.p_type == PT_DYNAMIC && ph.p_offset <= file_size && ph.p_filesz <= file_size - ph.p_offset) {
			Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_DYN);
			for (size_t j = 0; d && d->d_buf; j++) {
				GElf_Dyn dyn;
				if (!gelf_getdyn(d, (int)j, &dyn) || dyn.d_tag == DT_NULL)
					break;
				if (dyn.d_tag == DT_FLAGS_1 && (dyn.d_un.d_val & DF_1_PIE_))
					dynamic |= 2; /* a position-independent executable */
				if (dyn.d_tag == DT_NEEDED)
					dynamic |= 1;
			}
		}
	}
	/* static: an executable with no program interpreter (static-pie: a PIE needing nothing) */
	r->is_static = !interp && (eh->e_type == ET_EXEC || (eh->e_type == ET_DYN && dynamic == 2)) && phnum > 0;
}

static int has_section(Elf *elf, size_t shstrndx, const char *want)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		const char *name = gelf_getshdr(scn, &sh) ? elf_strptr(elf, shstrndx, sh.sh_name) : NULL;
		if (name && strcmp(name, want) == 0)
			return 1;
	}
	return 0;
}

static int has_symbol(Elf *elf, const char *want)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		size_t n = d && sh.sh_entsize ? d->d_size / sh.sh_entsize : 0;
		for (size_t i = 1; i < n; i++) {
			GElf_Sym sym;
			const char *name = gelf_getsym(d, (int)i, &sym) ? elf_strptr(elf, sh.sh_link, sym.st_name) : NULL;
			if (name && sym.st_shndx != SHN_UNDEF && strcmp(name, want) == 0)
				return 1;
		}
	}
	return 0;
}

/* A kernel module is a relocatable object with a .modinfo section (what modpost writes and modprobe
 * reads). A kernel image (vmlinux) is an executable without PT_INTERP and PT_DYNAMIC that has the
 * kernel's export table (__ksymtab, __ksymtab_gpl) or defines linux_banner (init/version.c).
 * Neither runs in user space: no permission request, LD_PRELOAD or amxrun applies to it. */
void kernel_facts(Elf *elf, const GElf_Ehdr *eh, struct scan_result *r)
{
	size_t shstrndx, phnum;
	if (elf_getshdrstrndx(elf, &shstrndx) < 0)
		return;
	if (eh->e_type == ET_REL) {
		r->kernel = has_section(elf, shstrndx, ".modinfo") ? KIND_KERNEL_MODULE : KIND_USER;
		return;
	}
	if (eh->e_type != ET_EXEC || elf_getphdrnum(elf, &phnum) < 0)
		return;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(elf, (int)i, &ph) && (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC))
			return;
	}
	if (has_section(elf, shstrndx, "__ksymtab") || has_section(elf, shstrndx, "__ksymtab_gpl") ||
	    has_symbol(elf, "linux_banner")) {
		r->kernel = KIND_KERNEL_IMAGE;
		r->is_static = 0; /* no program interpreter, but no program either: the static advice is moot */
	}
}

/* The test build of the resolver (testkit/testkit.c) puts its mark in a section of its own: a library
 * shipped linked with it answers CPUID from AMXSHIM_FAKE_CPU, never from the machine. */
void test_build_facts(Elf *elf, struct scan_result *r)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx) == 0)
		r->test_build = has_section(elf, shstrndx, ".amxshim.test");
}
