// SPDX-License-Identifier: MIT
/* Evidence of an AMX code generator: names that only a library emitting AMX at run time carries.
 * Each pattern is specific to one generator's AMX code (amxscan(1), JIT LIBRARIES, gives the
 * sources); names every compiler library has ("x86_amx", "amx-tile", LLVM's intrinsic and
 * instruction tables) are not evidence, so libLLVM alone is never flagged. */
#include <stdlib.h>
#include <string.h>

#include "amxscan.h"

/* Each pattern is kept in two halves, joined at run time, so that amxscan's own read-only data never
 * holds a string it looks for (a scanner scanning itself must not flag itself). */
struct pattern {
	const char *head, *tail, *what;
};

/* In symbol names (mangled C++ names contain these as substrings). */
static const struct pattern sym_patterns[] = {
	{ "amx_tile_", "configure", "oneDNN amx_tile_configure (sets the tile palette for its JIT kernels)" },
	{ "brgemm_", "amx", "oneDNN brgemm AMX kernel generator" },
	{ "jit_avx512_core_", "amx", "oneDNN AMX JIT kernel (jit_avx512_core_ + amx)" },
	{ "Xbyak13CodeGenerator8", "tileloadd", "Xbyak AMX encoder CodeGenerator::tileloadd" },
	{ "Xbyak13CodeGenerator9", "ldtilecfg", "Xbyak AMX encoder CodeGenerator::ldtilecfg" },
	{ "libxsmm_x86_instruction_", "tile", "libxsmm AMX instruction generator" },
	{ "extract_tile_", "operations", "Halide AMX tile lowering pass (Halide::Internal::extract_tile_operations)" },
	{ "initmod_x86_", "amx", "Halide AMX runtime module (halide_internal_initmod_x86_amx_ll)" },
};

/* In read-only data: ISA names that select AMX code paths. */
static const struct pattern str_patterns[] = {
	{ "avx512_core_", "amx", "oneDNN AMX ISA name (avx512_core_ + amx) in its strings" },
};

static size_t join(const struct pattern *p, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s%s", p->head, p->tail);
	return n > 0 && (size_t)n < len ? (size_t)n : 0;
}

static int add(struct scan_result *r, const char *what)
{
	for (size_t i = 0; i < r->njit; i++)
		if (r->jit[i] == what)
			return 0;
	const char **v = realloc(r->jit, (r->njit + 1) * sizeof(*v));
	if (!v)
		return -1;
	v[r->njit++] = what;
	r->jit = v;
	return 0;
}

/* Every pattern holds "amx" or "tile": one pass over the name before any pattern is tried (most
 * of a large C++ library's symbols fail here). */
static int maybe_jit_name(const char *s)
{
	for (; *s; s++) {
		if (s[0] == 'a' && s[1] == 'm' && s[2] == 'x')
			return 1;
		if (s[0] == 't' && s[1] == 'i' && s[2] == 'l' && s[3] == 'e')
			return 1;
	}
	return 0;
}

static int scan_symbols(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, struct scan_result *r)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t entsz = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
	size_t n = d && entsz ? d->d_size / entsz : 0;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(d, (int)i, &sym) || sym.st_shndx == SHN_UNDEF)
			continue; /* a generator defines its emitters; importing a name proves nothing */
		const char *name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !maybe_jit_name(name))
			continue;
		for (size_t p = 0; p < sizeof(sym_patterns) / sizeof(*sym_patterns); p++) {
			char text[64];
			if (join(&sym_patterns[p], text, sizeof(text)) && strstr(name, text) &&
			    add(r, sym_patterns[p].what) < 0)
				return -1;
		}
	}
	return 0;
}

int find_jit(Elf *elf, struct scan_result *r)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx) < 0)
		return 0;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if ((sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM) && scan_symbols(elf, scn, &sh, r) < 0)
			return -1;
		if (sh.sh_type != SHT_PROGBITS || (sh.sh_flags & (SHF_EXECINSTR | SHF_WRITE)) ||
		    !(sh.sh_flags & SHF_ALLOC))
			continue;
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strncmp(name, ".rodata", 7) != 0)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			continue;
		for (size_t p = 0; p < sizeof(str_patterns) / sizeof(*str_patterns); p++) {
			char text[64];
			size_t n = join(&str_patterns[p], text, sizeof(text));
			if (n && memmem(d->d_buf, d->d_size, text, n) && add(r, str_patterns[p].what) < 0)
				return -1;
		}
	}
	return 0;
}
