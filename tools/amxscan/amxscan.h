/* SPDX-License-Identifier: MIT */
/* amxscan internals: what scanning one ELF file yields, and the steps that produce it. */
#ifndef AMXSCAN_H
#define AMXSCAN_H
#include <gelf.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "amx.h"

/* Where an instruction is: inside function `func` at `off`, or (func NULL) at `off` into `area`. */
struct site {
	int op;               /* enum amx_op, or -1 for a permission-request site */
	const char *func;
	const char *area;     /* section name, or "PT_LOAD" without sections */
	uint64_t off;
	uint64_t addr;        /* address as objdump shows it */
};

struct site_list {
	struct site *v;
	size_t n, cap;
};

struct scan_result {
	unsigned counts[AMX_NOPS];
	unsigned long total;
	struct site_list amx;      /* every AMX instruction */
	struct site_list perm;     /* calls/syscalls shortly after a 0x1023 immediate */
	int syscall_insn;          /* a SYSCALL instruction somewhere: a private wrapper may carry it */
	const char **ifuncs;
	size_t nifuncs;
	int imports_arch_prctl, imports_syscall;  /* undefined symbols (or dynamic strings) */
	int defines_wrapper;       /* arch_prctl or syscall defined here (static binaries, libc) */
	int from_segments;         /* no section headers: PF_X segments were walked */
	const char *symtab;        /* ".symtab", ".dynsym" or NULL */
};

enum verdict { V_NO_AMX, V_REQUESTS_PERMISSION, V_NEEDS_SHIM };

/* A symbol that starts a walk (function) or marks bytes not to decode (object), in one section. */
struct mark {
	uint64_t off;              /* from the start of the section */
	uint64_t size;
	const char *name;
	int is_func;
};

/* All symbols of one table, sorted by section then value, so a section's marks are one slice. */
struct symtab {
	struct symref {
		size_t shndx;
		uint64_t value, size;
		const char *name;
		int is_func;
		int bind;
	} *v;
	size_t n;
};

/* scan.c: scans an open ELF image; on failure returns -1 with a message in err. */
int scan_elf(Elf *elf, size_t file_size, struct scan_result *r, char *err, size_t errlen);
void scan_result_free(struct scan_result *r);
enum verdict scan_verdict(const struct scan_result *r);
const char *verdict_name(enum verdict v);

/* symbols.c */
int symtab_load(Elf *elf, struct scan_result *r, struct symtab *st, char *err, size_t errlen);
size_t symtab_marks(const struct symtab *st, size_t shndx, uint64_t sh_addr, uint64_t sh_size,
		    struct mark **out);
void symtab_free(struct symtab *st);

/* codewalk.c: decodes one executable area, starting again at every mark. */
int walk_code(const uint8_t *bytes, uint64_t size, uint64_t base_addr, const char *area,
	      const struct mark *marks, size_t nmarks, struct scan_result *r);

/* segments.c: the fallback when a file has no section headers. */
int scan_segments(Elf *elf, size_t file_size, struct scan_result *r, char *err, size_t errlen);

/* report.c */
enum out_mode { OUT_TABLE, OUT_JSON, OUT_QUIET };
void report(FILE *f, enum out_mode mode, const char *path, const struct scan_result *r);
/* Writes str with control characters and backslashes as \xNN. */
void text_str(FILE *f, const char *str);
/* "amxscan: PATH: what" on stderr, PATH escaped so it stays one line. */
void complain(const char *path, const char *what);

/* scanfile.c: opens, checks and scans one path; prints the report or one error line.
 * Returns the verdict, or -1 when the file could not be read. `quiet_non_elf` drops non-ELF files
 * silently (used when recursing). */
int scan_path(const char *path, enum out_mode mode, int quiet_non_elf);

int site_push(struct site_list *l, const struct site *s);

#endif
