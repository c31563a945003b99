// SPDX-License-Identifier: MIT
/* Linear decoding of one executable area, restarting at every function symbol so that a bad guess
 * (data in code, an unknown opcode) cannot carry past the next function. */
#include <stdlib.h>

#include "amxscan.h"

#define PERM_WINDOW 8 /* instructions between the 0x1023 immediate and the call */
#define ARCH_REQ_XCOMP_PERM 0x1023

int site_push(struct site_list *l, const struct site *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct site *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *s;
	return 0;
}

static int is_syscall(const struct x86_insn *in)
{
	return in->enc == X86_LEGACY && in->map == X86_MAP_0F && in->opcode == 0x05;
}

/* A call, a tail-call jump or a SYSCALL: where a request could be handed to the kernel. */
static int is_call(const struct x86_insn *in)
{
	if (is_syscall(in))
		return 1;
	if (in->enc != X86_LEGACY || in->map != X86_MAP_1B)
		return 0;
	unsigned reg = (in->modrm >> 3) & 7;
	return in->opcode == 0xe8 || in->opcode == 0xe9 || (in->opcode == 0xff && reg >= 2 && reg <= 5);
}

/* Inside the current function when within its size, else only an offset into the area. */
static struct site make_site(int op, const struct mark *cur, uint64_t cur_end, const char *area, uint64_t pos,
			     uint64_t base_addr)
{
	struct site s = { op, NULL, area, pos, base_addr + pos };
	if (cur && pos < cur_end) {
		s.func = cur->name;
		s.off = pos - cur->off;
	}
	return s;
}

int walk_code(const uint8_t *bytes, uint64_t size, uint64_t base_addr, const char *area,
	      const struct mark *marks, size_t nmarks, struct scan_result *r)
{
	uint64_t pos = 0, cur_end = 0;
	size_t i = 0;
	const struct mark *cur = NULL;
	int since = -1; /* instructions since a 0x1023 immediate, -1 when none is pending */

	for (;;) {
		uint64_t next = i < nmarks ? marks[i].off : size;
		if (i < nmarks && pos >= next) {
			const struct mark *m = &marks[i++];
			/* marks lie inside the area; a symbol size may not (clamped, no overflow) */
			uint64_t end = m->size > size - m->off ? size : m->off + m->size;
			since = -1;
			if (m->is_func) {
				pos = m->off; /* resynchronise, as objdump does at a symbol */
				cur = m;
				cur_end = m->size ? end : i < nmarks ? marks[i].off : size;
			} else if (end > pos) {
				pos = end; /* a data object inside code: not instructions */
				cur = NULL;
			}
			continue;
		}
		if (pos >= size)
			break;
		struct x86_insn in;
		size_t len = x86_decode(bytes + pos, size - pos, &in);
		if (!len || (i < nmarks && pos + len > next)) {
			if (i == nmarks)
				break; /* the area ends inside an instruction */
			pos = next; /* do not count an instruction that overlaps the next symbol */
			continue;
		}
		/* every AMX instruction is VEX map 0F38: no call for anything else */
		enum amx_op op = in.enc == X86_VEX && in.map == X86_MAP_0F38 ? amx_classify(&in) : AMX_NONE;
		if (op != AMX_NONE) {
			struct site s = make_site(op, cur, cur_end, area, pos, base_addr);
			r->counts[op]++;
			r->total++;
			if (site_push(&r->amx, &s) < 0)
				return -1;
		}
		r->syscall_insn |= is_syscall(&in);
		if (since >= 0)
			since++;
		if (in.imm_size >= 2 && in.imm == ARCH_REQ_XCOMP_PERM) {
			since = 0;
		} else if (since > 0 && since <= PERM_WINDOW && is_call(&in)) {
			struct site s = make_site(-1, cur, cur_end, area, pos, base_addr);
			if (site_push(&r->perm, &s) < 0)
				return -1;
			since = -1;
		} else if (since > PERM_WINDOW) {
			since = -1;
		}
		pos += len;
	}
	return 0;
}
