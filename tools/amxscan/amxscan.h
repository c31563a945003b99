/* SPDX-License-Identifier: MIT */
/* amxscan internals: what scanning one ELF file yields, and the steps that produce it. */
#ifndef AMXSCAN_H
#define AMXSCAN_H
#include <gelf.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "classify.h"

/* Where an instruction is: inside function `func` at `off`, or (func NULL) at `off` into `area`. */
enum { SITE_REQUEST = -1, SITE_POSSIBLE = -2, SITE_OTHER_FEATURE = -3 };

struct site {
	int op;           /* enum isa_insn, or SITE_*: a permission-request site */
	int how;          /* request sites: enum call_kind of the carrier (wrapper or inline syscall) */
	uint64_t feature; /* SITE_OTHER_FEATURE: the feature number asked for */
	const char *func;
	const char *area; /* section name, or "PT_LOAD" without sections */
	uint64_t off;
	uint64_t addr; /* address as objdump shows it */
};

struct site_list {
	struct site *v;
	size_t n, cap;
};

/* How a request reaches the kernel: the libc wrappers or an inline SYSCALL. */
enum call_kind { CALL_NONE, CALL_ARCH_PRCTL, CALL_SYSCALL, CALL_INLINE, CALL_PRIVATE };

/* Where calls to arch_prctl()/syscall() land: function or PLT entry addresses (call rel32),
 * GOT slots (call *slot(%rip), mov slot(%rip),%reg), and in relocatable objects the offsets inside
 * the walked area where a relocation names one of them. Small: a few entries per file. */
struct call_target {
	uint64_t addr;
	size_t shndx; /* relocations: the section they apply to */
	uint64_t to;  /* aliases: the address of the function a PLT entry leads to */
	int kind;     /* CALL_ARCH_PRCTL or CALL_SYSCALL */
};
struct calls {
	struct call_target *direct, *slot, *reloc;
	size_t ndirect, nslot, nreloc, capdirect, capslot, capreloc;
	/* PLT entries (and before them, their GOT slots) of functions defined in this file */
	struct call_target *alias, *aslot;
	size_t nalias, naslot, capalias, capaslot;
};
int calls_add(struct call_target **v, size_t *n, size_t *cap, uint64_t addr, size_t shndx, int kind);
void calls_free(struct calls *c);
/* CALL_ARCH_PRCTL / CALL_SYSCALL when `name` (maybe "name@VERSION") is one of the wrappers. */
int wrapper_kind(const char *name);

/* A register operand as far as it is known: a constant, or the value an argument register had when
 * the function was entered (so that private wrappers can be recognised). */
enum { OP_UNKNOWN, OP_CONST, OP_ARG };
struct opnd {
	int st;
	uint64_t v; /* OP_CONST: the value; OP_ARG: the argument register's number */
};

/* A function of this file that hands its arguments to arch_prctl: nr (when it is syscall-like),
 * code and feature are each a constant or one of its argument registers. */
struct pwrap {
	uint64_t addr;
	struct opnd nr, code, feat;
};

/* A call to a function not known as a wrapper, with a request-looking constant in an argument
 * register: judged once every private wrapper of the file is known. */
struct pending {
	uint64_t target;
	struct site site;
	struct opnd args[4]; /* rdi, rsi, rdx, rcx */
};

/* An executable area of the file (a section, or a PF_X segment): where code at an address is read
 * when no symbol says where a function starts (call targets, PLT entries). */
struct code_area {
	const uint8_t *bytes;
	uint64_t size, addr;
	const char *name;
	size_t shndx; /* 0 for segments */
};
struct codemap {
	struct code_area *v;
	size_t n, cap;
};
int codemap_add(struct codemap *m, const struct code_area *a);

/* What the file is when it is no user-space program: the advice differs (no arch_prctl, no shim). */
enum { KIND_USER, KIND_KERNEL_IMAGE, KIND_KERNEL_MODULE };

struct scan_result {
	unsigned counts[ISA_NINSNS];
	unsigned long total;
	struct site_list amx;      /* every AMX instruction */
	struct site_list perm;     /* arch_prctl(ARCH_REQ_XCOMP_PERM, 18) found by register tracking */
	struct site_list possible; /* ARCH_REQ_XCOMP_PERM with a feature (or code) unknown statically */
	struct site_list other;    /* ARCH_REQ_XCOMP_PERM for a feature other than 18 */
	int syscall_insn;          /* a SYSCALL instruction somewhere: a private wrapper may carry it */
	const char **ifuncs;
	size_t nifuncs;
	int imports_arch_prctl, imports_syscall; /* undefined symbols (or dynamic strings) */
	int defines_wrapper;                     /* arch_prctl or syscall defined here (static binaries, libc) */
	int is_rel;                              /* ET_REL: symbol values are section offsets */
	const char **jit;                        /* evidence of an AMX code generator (names found in the file) */
	size_t njit;
	int is_static;          /* an executable without program interpreter: LD_PRELOAD cannot help */
	int x86_used, tmm_used; /* GNU property X86_FEATURE_2_USED present; its TMM bit */
	uint32_t x86_used_bits;
	int from_segments;  /* no section headers: PF_X segments were walked */
	const char *symtab; /* ".symtab", ".dynsym" or NULL */
	int kernel;         /* KIND_* */
	int test_build;     /* linked with libamxresolver-test.a (its .amxshim.test section) */
	struct codemap code; /* the executable areas, while the ELF image is open */
	struct calls calls; /* where the wrappers are, for the register tracking */
	struct pwrap *pwraps;
	size_t npwraps, cappwraps;
	struct pending *pending;
	size_t npending, cappending;
};

/* Ordered for the exit status: may-need-shim and needs-shim exit 1. */
enum verdict { V_NO_AMX, V_REQUESTS_PERMISSION, V_MAY_NEED_SHIM, V_NEEDS_SHIM };
/* scan_path / scan_image results besides a verdict */
enum { SCAN_UNREADABLE = -1, SCAN_SKIPPED = -2 };

/* A symbol that starts a walk (function) or marks bytes not to decode (object), in one section. */
struct mark {
	uint64_t off; /* from the start of the section */
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
	} * v;
	size_t n;
};

/* scan.c: scans an open ELF image; on failure returns SCAN_UNREADABLE with a message in err, and
 * SCAN_SKIPPED with the reason when the file is no x86-64 code (other machines, 32-bit, core files,
 * debug-only files). */
int scan_elf(Elf *elf, size_t file_size, struct scan_result *r, char *err, size_t errlen);
void scan_result_free(struct scan_result *r);
enum verdict scan_verdict(const struct scan_result *r);
const char *verdict_name(enum verdict v);

/* symbols.c */
int symtab_load(Elf *elf, struct scan_result *r, struct symtab *st, char *err, size_t errlen);
size_t symtab_marks(const struct symtab *st, size_t shndx, uint64_t sh_addr, uint64_t sh_size, struct mark **out);
void symtab_free(struct symtab *st);

/* codewalk.c: decodes one executable area, starting again at every mark; `calls` may be NULL. */
int walk_code(const uint8_t *bytes, uint64_t size, uint64_t base_addr, const char *area, const struct mark *marks,
	      size_t nmarks, const struct calls *calls, struct scan_result *r);

/* elfinfo.c: is_static, kernel and the GNU property bits. */
void elf_facts(Elf *elf, const GElf_Ehdr *eh, size_t file_size, struct scan_result *r);
void kernel_facts(Elf *elf, const GElf_Ehdr *eh, struct scan_result *r);
void test_build_facts(Elf *elf, struct scan_result *r);

/* jit.c: looks for the names AMX code generators leave in a file (symbols, strings). */
int find_jit(Elf *elf, struct scan_result *r);

/* calls.c: fills r->calls from the relocation sections, then finds the PLT entries in r->code. */
int find_calls(Elf *elf, struct scan_result *r);
/* The PLT entries (jmp *slot(%rip), after ENDBR64 and BND) through the slots found so far, looked for
 * in every executable area: no section name is trusted (sstrip, a damaged e_shstrndx). */
int find_plt_entries(struct scan_result *r);

/* codewalk.c: judges the calls to private wrappers once the whole file has been walked. */
int resolve_pending(struct scan_result *r);

/* segments.c: the fallback when a file has no section headers. */
int scan_segments(Elf *elf, size_t file_size, struct scan_result *r, char *err, size_t errlen);

/* report.c */
enum out_mode { OUT_TABLE, OUT_JSON, OUT_QUIET };
void report(FILE *f, enum out_mode mode, const char *path, const struct scan_result *r);
/* Writes str with control characters and backslashes as \xNN. */
void text_str(FILE *f, const char *str);
/* "amxscan: PATH: what" on err, PATH escaped so it stays one line. */
void complain(FILE *err, const char *path, const char *what);

struct scan_opts {
	enum out_mode mode;
	int verbose; /* list files skipped by -r */
};

/* scanfile.c: opens, reads and scans one path (an ELF file or an ar archive's ELF members); prints
 * the reports on out, errors and notes on err. Returns the worst verdict, SCAN_UNREADABLE or
 * SCAN_SKIPPED. `named`: given on the command line (skips get a note even without --verbose). */
int scan_path(const char *path, const struct scan_opts *o, int named, FILE *out, FILE *err);
/* The same for an image already in memory (the fuzz target). */
int scan_image(const char *buf, size_t size, const char *path, const struct scan_opts *o, int named, FILE *out,
	       FILE *err);
/* Frees the calling thread's read and walk buffers (kept between files for speed). */
void scan_buffers_free(void);
void walk_buffers_free(void);
/* The worse of two scan_path results (unreadable worst, skipped least). */
int worse(int a, int b);

int site_push(struct site_list *l, const struct site *s);

/* deps.c: lists of strings, each once */
struct strlist {
	char **v;
	size_t n, cap;
};
/* Adds s unless present: 1 added, 0 present, -1 out of memory. */
int strlist_add(struct strlist *l, const char *s);
void strlist_free(struct strlist *l);
/* The program (first, as its real path) and every object ld.so would load for it, each once;
 * names not found go to `missing`. */
int deps_resolve(const char *prog, struct strlist *out, struct strlist *missing);
/* The ELF objects mapped by process `pid` (a decimal string). */
int pid_objects(const char *pid, struct strlist *out, char *err, size_t errlen);
/* report.c: a JSON string (UTF-8; invalid bytes as U+FFFD) */
void json_str(FILE *f, const char *str);

#endif
