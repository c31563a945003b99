/* SPDX-License-Identifier: MIT */
/* amxscan --check-ifunc: what an IFUNC resolver does before the object is relocated. */
#ifndef AMXSCAN_IFUNC_H
#define AMXSCAN_IFUNC_H
#include <stdio.h>
#include <stdint.h>

#include "amxscan.h"

/* A GOT slot the loader fills: GLOB_DAT, JUMP_SLOT or IRELATIVE, and whom for. */
struct ifx_slot {
	uint64_t addr;
	const char *name; /* NULL for IRELATIVE */
	unsigned type;
	int weak;
};
struct ifx_plt {
	uint64_t entry;
	const struct ifx_slot *slot;
};
struct ifx_sym {
	uint64_t addr, size;
	const char *name;
};
struct ifx_resolver {
	uint64_t addr;
	const char *name; /* the IFUNC symbol, else the function there, else NULL */
};

/* A pointer the loader writes (R_X86_64_RELATIVE): where, and its value. */
struct ifx_rel {
	uint64_t addr, value;
};

/* One ELF file, open for the check. */
struct ifx {
	struct code_area *areas, *data; /* executable sections; other allocated ones */
	size_t nareas, ndata;
	struct ifx_rel *rels;
	size_t nrels;
	struct ifx_sym *syms; /* functions, sorted by address */
	size_t nsyms;
	struct ifx_slot *slots;
	size_t nslots;
	struct ifx_plt *plts;
	size_t nplts;
	struct ifx_resolver *res;
	size_t nres;
};

enum ifx_kind { IFX_CANARY, IFX_FS, IFX_GS, IFX_PLT, IFX_GOTCALL, IFX_CHK_FAIL, IFX_TLS_GET, IFX_OUTSIDE,
		IFX_WEAK_TESTED, IFX_INDIRECT, IFX_TRUNCATED };

struct ifx_finding {
	int kind;
	uint64_t at;
	const char *name; /* the callee, when known */
};
struct ifx_findings {
	struct ifx_finding *v;
	size_t n, cap;
};

/* ifunc.c: reads the file's code, symbols, GOT slots, PLT entries and resolvers. */
int ifx_load(Elf *elf, struct ifx *x, char *err, size_t errlen);
void ifx_free(struct ifx *x);
const struct ifx_slot *ifx_slot_at(const struct ifx *x, uint64_t addr);
const struct ifx_plt *ifx_plt_at(const struct ifx *x, uint64_t addr);
const struct code_area *ifx_area_at(const struct ifx *x, uint64_t addr);
const struct ifx_sym *ifx_sym_at(const struct ifx *x, uint64_t addr);
/* Reads n (4 or 8) bytes at addr in the file's image; a RELATIVE relocation there wins. 0 when none. */
int ifx_read(const struct ifx *x, uint64_t addr, size_t n, uint64_t *v);

/* ifuncwalk.c: walks one resolver and what it calls inside the object. */
int ifx_walk(const struct ifx *x, uint64_t entry, struct ifx_findings *out);
/* Is this finding a crash before relocation (1) or a note (0)? */
int ifx_unsafe(int kind);

/* ifuncreport.c: the --check-ifunc command; returns the exit status. */
int check_ifunc_paths(char **paths, int n, int json);

#endif
