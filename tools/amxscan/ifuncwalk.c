// SPDX-License-Identifier: MIT
/* amxscan --check-ifunc, walking: from a resolver's entry along every branch, into the functions of
 * the object it calls (depth-limited), until RET; notes what fails before relocation or TLS setup. */
#include <stdlib.h>
#include <string.h>

#include "ifunc.h"
#include "x86len.h"

#define MAX_DEPTH 16    /* call depth followed from the resolver */
#define MAX_INSNS 30000 /* instructions per resolver; beyond: reported as a truncated walk */
#define VISIT_BITS 16   /* the visited set: 2^16 slots, over twice MAX_INSNS */
#define MAX_FINDINGS 64

struct todo {
	uint64_t addr;
	int depth;
};

struct walk {
	const struct ifx *x;
	struct ifx_findings *out;
	uint64_t *visited; /* instruction addresses + 1 (0: empty) */
	size_t nvisited;
	struct todo *todo;
	size_t ntodo, captodo;
	uint64_t tested[8]; /* weak GOT slots the walk has read (a NULL test reads them) */
	size_t ntested;
	uint64_t regslot[16]; /* the GOT slot each register was last loaded from, 0 for none */
	uint64_t reglea[16];  /* the address `lea x(%rip)` last put in each register */
	uint64_t regfield[2][16]; /* `mov d(%rB),%r` with B lea'd: the array (reglea[B]) and the field (+d) */
	uint64_t bound;           /* entries of the last `cmp $n`: a switch's table has n + 1 */
	int null_tested;          /* a 0 without relocation was read: a static program's weak undefined slot */
};
#define ENTRY_SIZE 32 /* sizeof(struct amxshim_variant): the registries predicates are called from */
#define MAX_TABLE 512

int ifx_unsafe(int kind)
{
	return kind != IFX_WEAK_TESTED && kind != IFX_INDIRECT;
}

static int add_finding(struct walk *w, int kind, uint64_t at, const char *name)
{
	struct ifx_findings *f = w->out;
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].kind == kind && f->v[i].at == at)
			return 0;
	if (f->n == MAX_FINDINGS)
		return 0;
	if (f->n == f->cap) {
		size_t c = f->cap ? f->cap * 2 : 8;
		struct ifx_finding *v = realloc(f->v, c * sizeof(*v));
		if (!v)
			return -1;
		f->v = v;
		f->cap = c;
	}
	f->v[f->n++] = (struct ifx_finding){ kind, at, name };
	return 0;
}

/* 1 when addr was not visited yet (and is now), 0 when it was, -1 when the walk is too long. */
static int visit(struct walk *w, uint64_t addr)
{
	size_t mask = ((size_t)1 << VISIT_BITS) - 1, h = (size_t)(addr * 0x9e3779b97f4a7c15ull >> 40) & mask;
	for (; w->visited[h]; h = (h + 1) & mask)
		if (w->visited[h] == addr + 1)
			return 0;
	if (w->nvisited >= MAX_INSNS)
		return -1;
	w->visited[h] = addr + 1;
	w->nvisited++;
	return 1;
}

static int push(struct walk *w, uint64_t addr, int depth)
{
	if (w->ntodo == w->captodo) {
		size_t c = w->captodo ? w->captodo * 2 : 64;
		struct todo *v = realloc(w->todo, c * sizeof(*v));
		if (!v)
			return -1;
		w->todo = v;
		w->captodo = c;
	}
	w->todo[w->ntodo++] = (struct todo){ addr, depth };
	return 0;
}

static int was_tested(const struct walk *w, uint64_t slot)
{
	for (size_t i = 0; i < w->ntested; i++)
		if (w->tested[i] == slot)
			return 1;
	return 0;
}

/* A call (or tail jump) through GOT slot s, directly or by its PLT entry. The one call out that is
 * allowed: a weak reference to glibc's __x86_get_cpuid_feature_leaf, loaded and tested for NULL (it
 * is NULL until our GOT is relocated, and set only once libc is: ARCHITECTURE.md rule 2). */
static int slot_call(struct walk *w, const struct ifx_slot *s, uint64_t at, int plt)
{
	const char *n = s->name;
	if (n && s->weak && s->type == 6 && strcmp(n, "__x86_get_cpuid_feature_leaf") == 0 && was_tested(w, s->addr))
		return add_finding(w, IFX_WEAK_TESTED, at, n);
	if (n && strcmp(n, "__stack_chk_fail") == 0)
		return add_finding(w, IFX_CHK_FAIL, at, n);
	if (n && strcmp(n, "__tls_get_addr") == 0)
		return add_finding(w, IFX_TLS_GET, at, n);
	return add_finding(w, plt ? IFX_PLT : IFX_GOTCALL, at, n);
}

/* A direct call or jump to `to`: a PLT entry, a function that must not run here, or code to walk. */
static int branch_to(struct walk *w, uint64_t at, uint64_t to, int depth)
{
	const struct ifx_plt *p = ifx_plt_at(w->x, to);
	if (p)
		return slot_call(w, p->slot, at, 1);
	if (to == 0) /* a weak undefined function in a static program: allowed after its slot was tested */
		return add_finding(w, w->null_tested ? IFX_WEAK_TESTED : IFX_OUTSIDE, at, NULL);
	if (!ifx_area_at(w->x, to))
		return add_finding(w, IFX_OUTSIDE, at, NULL);
	const struct ifx_sym *s = ifx_sym_at(w->x, to);
	if (s && s->addr == to && (strcmp(s->name, "__stack_chk_fail") == 0 || strcmp(s->name, "__stack_chk_fail_local") == 0))
		return add_finding(w, IFX_CHK_FAIL, at, s->name);
	if (s && s->addr == to && strcmp(s->name, "__tls_get_addr") == 0)
		return add_finding(w, IFX_TLS_GET, at, s->name);
	if (depth > MAX_DEPTH)
		return add_finding(w, IFX_TRUNCATED, at, NULL);
	return push(w, to, depth);
}

/* The segment override among the legacy prefixes (0x64 %fs, 0x65 %gs), 0 when none. */
static int segment(const uint8_t *p, size_t len)
{
	int seg = 0;
	for (size_t i = 0; i < len; i++) {
		uint8_t b = p[i];
		if (b == 0x64 || b == 0x65)
			seg = b;
		else if (b != 0x26 && b != 0x2e && b != 0x36 && b != 0x3e && b != 0x66 && b != 0x67 && b != 0xf0 &&
			 b != 0xf2 && b != 0xf3)
			break;
	}
	return seg;
}

/* The 32-bit displacement of a memory operand that has one (mod 00 with rip or SIB base 101, or mod 10). */
static int disp32(const uint8_t *p, const struct x86_insn *in, int32_t *d)
{
	int mod = in->modrm >> 6, rm = in->modrm & 7;
	if (!in->has_modrm || mod == 3 || mod == 1 || (mod == 0 && rm != 5 && rm != 4))
		return 0;
	size_t at = (size_t)in->len - in->imm_size - 4;
	if (mod == 0 && rm == 4 && (p[at - 1] & 7) != 5)
		return 0; /* SIB without displacement */
	memcpy(d, p + at, 4);
	return 1;
}

/* The address a rip-relative operand names, 0 when the operand is none. */
static uint64_t rip_target(const uint8_t *p, const struct x86_insn *in, uint64_t addr)
{
	int32_t d;
	if (!in->has_modrm || (in->modrm & 0xc7) != 0x05 || !disp32(p, in, &d))
		return 0;
	return addr + in->len + (uint64_t)(int64_t)d;
}

/* Memory through %fs/%gs: the stack protector's canary (%fs:0x28) or thread-local storage. */
static int seg_access(struct walk *w, const uint8_t *p, const struct x86_insn *in, uint64_t addr)
{
	int seg = segment(p, in->len);
	int32_t d;
	if (!seg)
		return 0;
	if (seg == 0x65)
		return add_finding(w, IFX_GS, addr, NULL);
	int sib_abs = in->has_modrm && (in->modrm & 0xc7) == 0x04 && disp32(p, in, &d);
	return add_finding(w, sib_abs && d == 0x28 ? IFX_CANARY : IFX_FS, addr, NULL);
}

/* Remembers GOT slots read (for the NULL test) and loaded into a register (for call *%reg). */
static void note_load(struct walk *w, const struct x86_insn *in, uint64_t target)
{
	const struct ifx_slot *s = ifx_slot_at(w->x, target);
	uint64_t v;
	/* static programs: a weak undefined function's GOT slot is a plain 0, no relocation */
	int null = !s && ifx_read(w->x, target, 8, &v) && v == 0 && !ifx_area_at(w->x, target);
	if (null && !was_tested(w, target) && w->ntested < sizeof(w->tested) / sizeof(w->tested[0]))
		w->tested[w->ntested++] = target;
	if (null)
		w->null_tested = 1;
	if (!s)
		return;
	if (s->weak && !was_tested(w, target) && w->ntested < sizeof(w->tested) / sizeof(w->tested[0]))
		w->tested[w->ntested++] = target;
	if (in->enc == X86_LEGACY && in->map == X86_MAP_1B && in->opcode == 0x8b)
		w->regslot[((in->modrm >> 3) & 7) | (in->rex & 4 ? 8 : 0)] = target;
}

/* What later indirect branches need: addresses lea'd, fields loaded from them, a switch's bound. */
static void track(struct walk *w, const uint8_t *p, const struct x86_insn *in, uint64_t m)
{
	int reg = ((in->modrm >> 3) & 7) | (in->rex & 4 ? 8 : 0), base = (in->modrm & 7) | (in->rex & 1 ? 8 : 0);
	int mod = in->modrm >> 6;
	if (in->enc != X86_LEGACY || in->map != X86_MAP_1B)
		return;
	if (in->opcode == 0x3d || (in->has_modrm && (in->opcode == 0x83 || in->opcode == 0x81) && ((in->modrm >> 3) & 7) == 7))
		w->bound = in->imm + 1;
	if (!in->has_modrm)
		return;
	if (in->opcode == 0x8d && m)
		w->reglea[reg] = m;
	if (in->opcode == 0x8b) {
		int field = (mod == 1 || mod == 2) && (in->modrm & 7) != 4 && w->reglea[base];
		int32_t d = 0;
		if (mod == 1)
			d = (int8_t)p[in->len - in->imm_size - 1];
		else if (mod == 2)
			memcpy(&d, p + in->len - in->imm_size - 4, 4);
		w->regfield[0][reg] = field ? w->reglea[base] : 0;
		w->regfield[1][reg] = field ? (uint64_t)(int64_t)d : 0;
	}
}

/* A switch: `jmp *%r` after a table of int32 offsets from its lea'd start (PIC), or `jmp *t(,%r,8)` of
 * pointers; every entry of the `cmp` bound must lead into code, else the guess is dropped. */
static int jump_table(struct walk *w, uint64_t table, int rel32, int depth)
{
	uint64_t n = w->bound, v;
	if (!n || n > MAX_TABLE)
		return 1;
	for (uint64_t k = 0; k < n; k++)
		if (!ifx_read(w->x, table + k * (rel32 ? 4 : 8), rel32 ? 4 : 8, &v) ||
		    !ifx_area_at(w->x, rel32 ? table + (uint64_t)(int64_t)(int32_t)v : v))
			return 1;
	for (uint64_t k = 0; k < n; k++) {
		ifx_read(w->x, table + k * (rel32 ? 4 : 8), rel32 ? 4 : 8, &v);
		if (push(w, rel32 ? table + (uint64_t)(int64_t)(int32_t)v : v, depth) < 0)
			return -1;
	}
	return 0;
}

/* `call *%r` with r loaded from field d of an array of ENTRY_SIZE entries: each entry's pointer there
 * (the variants' predicates), while entries start with a pointer (the variant's name). */
static int registry_call(struct walk *w, int reg, uint64_t at, int depth)
{
	uint64_t base = w->regfield[0][reg], d = w->regfield[1][reg], v;
	int found = 0;
	for (uint64_t k = 0; base && k < MAX_TABLE / 8; k++) {
		uint64_t e = base + k * ENTRY_SIZE;
		if (!ifx_read(w->x, e, 8, &v) || !v)
			break;
		if (ifx_read(w->x, e + d, 8, &v) && v && ifx_area_at(w->x, v)) {
			found = 1;
			if (branch_to(w, at, v, depth + 1) < 0)
				return -1;
		}
	}
	return found ? 0 : 1; /* 1: nothing known, still a note */
}

/* FF /2 (call) and FF /4 (jmp) through memory or a register. */
static int indirect(struct walk *w, const uint8_t *p, const struct x86_insn *in, uint64_t addr, int depth)
{
	uint64_t m = rip_target(p, in, addr), slot = m;
	int reg = (in->modrm & 7) | (in->rex & 1 ? 8 : 0), jmp = ((in->modrm >> 3) & 7) >= 4, rc = 1;
	if (!m && (in->modrm >> 6) == 3)
		slot = w->regslot[reg];
	const struct ifx_slot *s = slot ? ifx_slot_at(w->x, slot) : NULL;
	if (s)
		return slot_call(w, s, addr, 0);
	uint64_t v;
	if (m && ifx_read(w->x, m, 8, &v) && v == 0 && !ifx_area_at(w->x, m)) /* a static-pie's weak undefined */
		return add_finding(w, was_tested(w, m) ? IFX_WEAK_TESTED : IFX_OUTSIDE, addr, NULL);
	if (jmp && (in->modrm >> 6) == 3)
		for (int r = 0; r < 16 && rc > 0; r++)
			rc = w->reglea[r] ? jump_table(w, w->reglea[r], 1, depth) : 1;
	int32_t d;
	if (jmp && (in->modrm & 0xc7) == 0x04 && disp32(p, in, &d) && (p[in->len - 5] & 0xc7) == 0xc5)
		rc = jump_table(w, (uint64_t)(int64_t)d, 0, depth);
	if (!jmp && (in->modrm >> 6) == 3)
		rc = registry_call(w, reg, addr, depth);
	return rc < 0 ? -1 : rc == 0 ? 0 : add_finding(w, IFX_INDIRECT, addr, NULL);
}

/* Judges one instruction; returns 1 to go on with the next, 0 when the path ends there, -1 on error. */
static int step(struct walk *w, const uint8_t *p, const struct x86_insn *in, uint64_t addr, int depth)
{
	uint64_t next = addr + in->len, m = rip_target(p, in, addr);
	if (in->invalid || seg_access(w, p, in, addr) < 0)
		return in->invalid ? 0 : -1;
	if (m)
		note_load(w, in, m);
	track(w, p, in, m);
	if (in->enc != X86_LEGACY)
		return 1;
	uint8_t op = in->opcode;
	int rc = 1;
	uint64_t rel = in->imm_size == 1 ? (uint64_t)(int64_t)(int8_t)in->imm : (uint64_t)(int64_t)(int32_t)in->imm;
	if (in->map == X86_MAP_0F)
		return op == 0x0b ? 0 : op >= 0x80 && op <= 0x8f ? (push(w, next + rel, depth) < 0 ? -1 : 1) : 1;
	if (in->map != X86_MAP_1B)
		return 1;
	if (op == 0xc3 || op == 0xc2 || op == 0xcc || op == 0xf4)
		return 0;
	if (op == 0xe8)
		rc = branch_to(w, addr, next + rel, depth + 1) < 0 ? -1 : 1;
	else if (op == 0xe9 || op == 0xeb)
		rc = branch_to(w, addr, next + rel, depth) < 0 ? -1 : 0;
	else if ((op >= 0x70 && op <= 0x7f) || (op >= 0xe0 && op <= 0xe3))
		rc = push(w, next + rel, depth) < 0 ? -1 : 1;
	else if (op == 0xff && in->has_modrm && ((in->modrm >> 3) & 7) >= 2 && ((in->modrm >> 3) & 7) <= 5) {
		int jmp = ((in->modrm >> 3) & 7) >= 4;
		rc = indirect(w, p, in, addr, depth) < 0 ? -1 : !jmp;
	}
	return rc;
}

/* Decodes one path from `t` until it ends, queuing branch targets. */
static int walk_path(struct walk *w, struct todo t)
{
	for (uint64_t addr = t.addr;;) {
		const struct code_area *a = ifx_area_at(w->x, addr);
		if (!a)
			return add_finding(w, IFX_OUTSIDE, addr, NULL);
		int v = visit(w, addr);
		if (v <= 0)
			return v < 0 ? add_finding(w, IFX_TRUNCATED, addr, NULL) : 0;
		struct x86_insn in;
		const uint8_t *p = a->bytes + (addr - a->addr);
		if (!x86_decode(p, a->size - (addr - a->addr), &in))
			return 0; /* cut off by the end of the section */
		int rc = step(w, p, &in, addr, t.depth);
		if (rc <= 0)
			return rc;
		addr += in.len;
	}
}

int ifx_walk(const struct ifx *x, uint64_t entry, struct ifx_findings *out)
{
	struct walk w;
	memset(&w, 0, sizeof(w));
	w.x = x;
	w.out = out;
	w.visited = calloc((size_t)1 << VISIT_BITS, sizeof(*w.visited));
	int rc = w.visited ? push(&w, entry, 0) : -1;
	while (rc == 0 && w.ntodo && w.nvisited < MAX_INSNS)
		rc = walk_path(&w, w.todo[--w.ntodo]);
	free(w.visited);
	free(w.todo);
	return rc < 0 ? -1 : 0;
}
