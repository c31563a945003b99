// SPDX-License-Identifier: MIT
/* Linear decoding of one executable area, restarting at every function symbol so that a bad guess
 * (data in code, an unknown opcode) cannot carry past the next function. Along the way the values of
 * the 16 general registers are followed through each basic block, so that a permission request is
 * recognised by its calling pattern (arch_prctl(0x1023, 18), syscall(158, 0x1023, 18), or an inline
 * SYSCALL with eax=158, edi=0x1023, esi=18), never by a number seen nearby. */
#include <stdlib.h>
#include <string.h>

#include "amxscan.h"

#define NR_ARCH_PRCTL 158

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
#define BIT(r) (1u << (r))
#define ALL_REGS 0xffffu
/* System V caller-saved registers: what a call may leave changed. */
#define CALL_CLOBBERS (BIT(RAX) | BIT(RCX) | BIT(RDX) | BIT(RSI) | BIT(RDI) | BIT(R8) | BIT(R9) | BIT(R10) | BIT(R11))

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

/* What is known about the registers at one point: a constant, a wrapper's address, or the value an
 * argument register had at the function's entry. */
struct regs {
	unsigned known; /* value[r] is the register's value */
	unsigned fnptr; /* value[r] is a enum call_kind: the register holds that wrapper's address */
	unsigned arg;   /* value[r] is the number of the argument register whose entry value it holds */
	uint64_t value[16];
};

static void forget(struct regs *s, unsigned mask)
{
	s->known &= ~mask;
	s->fnptr &= ~mask;
	s->arg &= ~mask;
}

static void set_const(struct regs *s, unsigned r, uint64_t v)
{
	forget(s, BIT(r));
	s->known |= BIT(r);
	s->value[r] = v;
}

/* Function entry: the six System V argument registers hold the caller's arguments. */
static void enter_function(struct regs *s)
{
	static const unsigned args[] = { RDI, RSI, RDX, RCX, R8, R9 };
	forget(s, ALL_REGS);
	for (unsigned i = 0; i < 6; i++) {
		s->arg |= BIT(args[i]);
		s->value[args[i]] = args[i];
	}
}

static struct opnd opnd_of(const struct regs *s, unsigned r)
{
	struct opnd o = { OP_UNKNOWN, 0 };
	if (s->known & BIT(r))
		o = (struct opnd){ OP_CONST, s->value[r] };
	else if (s->arg & BIT(r))
		o = (struct opnd){ OP_ARG, s->value[r] };
	return o;
}

static unsigned reg_of(const struct x86_insn *in)
{
	return ((in->rex >> 2) & 1) << 3 | ((in->modrm >> 3) & 7);
}
static unsigned rm_of(const struct x86_insn *in)
{
	return (in->rex & 1) << 3 | (in->modrm & 7);
}
static unsigned opreg_of(const struct x86_insn *in)
{
	return (in->rex & 1) << 3 | (in->opcode & 7);
}
static int mod3(const struct x86_insn *in)
{
	return in->has_modrm && (in->modrm >> 6) == 3;
}

/* What writes() says for VEX and EVEX: the few that write a general register. */
static unsigned writes_vex(const struct x86_insn *in, unsigned reg, unsigned rm)
{
	uint8_t op = in->opcode;
	switch (in->map) {
	case X86_MAP_0F:
		if (op == 0x50 || op == 0xc5 || op == 0xd7 || op == 0x2c || op == 0x2d || op == 0x93)
			return reg;
		return op == 0x7e ? rm : 0;
	case X86_MAP_0F38: /* BMI1/BMI2 write a general register (and MULX a second one) */
		return op >= 0xf0 && op <= 0xf7 ? reg | BIT(in->vvvv) : 0;
	case X86_MAP_0F3A:
		if (op == 0x14 || op == 0x16 || op == 0x17)
			return rm;
		return op == 0xf0 ? reg : 0;
	default: return in->map == 4 ? ALL_REGS : 0; /* APX promoted legacy instructions */
	}
}

/* legacy map 0F */
static unsigned writes_0f(const struct x86_insn *in, unsigned reg, unsigned rm)
{
	uint8_t op = in->opcode;
	unsigned sub = (in->modrm >> 3) & 7;
	if (op == 0x05)
		return BIT(RAX) | BIT(RCX) | BIT(R11);
	if (op == 0x01 || op == 0x31 || op == 0x32 || op == 0x33 || op == 0xa2 || op == 0x34)
		return BIT(RAX) | BIT(RBX) | BIT(RCX) | BIT(RDX);
	if ((op >= 0x10 && op <= 0x17) || (op >= 0x28 && op <= 0x2b) || op == 0x2e || op == 0x2f ||
	    (op >= 0x51 && op <= 0x7f && op != 0x7e) || (op >= 0xc2 && op <= 0xc6 && op != 0xc5) ||
	    (op >= 0xd0 && op != 0xd7) || (op >= 0x18 && op <= 0x1f) || op == 0xa3 || op == 0x0d ||
	    (op >= 0x80 && op <= 0x8f) || op == 0xae)
		return 0; /* SSE on XMM registers, hints, BT, Jcc, fences */
	if (op == 0x7e || (op >= 0x90 && op <= 0x9f) || op == 0xab || op == 0xb3 || op == 0xbb || op == 0xa4 ||
	    op == 0xa5 || op == 0xac || op == 0xad)
		return rm;
	if (op == 0xba)
		return sub == 4 ? 0 : rm;
	if (op == 0xb0 || op == 0xb1 || op == 0xc7)
		return rm | BIT(RAX) | BIT(RDX);
	if (op >= 0xc8 && op <= 0xcf)
		return BIT(opreg_of(in));
	return reg | rm;
}

/* The one-byte map: one case per opcode group, as the SDM's opcode map lists them. */
static unsigned writes_1b(const struct x86_insn *in, unsigned reg, unsigned rm)
{
	uint8_t op = in->opcode;
	unsigned sub = (in->modrm >> 3) & 7;
	if (op < 0x40 && (op & 7) < 6) {
		if ((op & 0x38) == 0x38)
			return 0; /* CMP */
		if ((op & 7) >= 4)
			return BIT(RAX);
		return op & 2 ? reg : rm;
	}
	if (op >= 0x50 && op <= 0x57)
		return 0;
	if (op >= 0x58 && op <= 0x5f)
		return BIT(opreg_of(in));
	if (op >= 0x70 && op <= 0x7f)
		return 0;
	if (op >= 0x90 && op <= 0x97)
		return op == 0x90 && !(in->rex & 1) ? 0 : BIT(opreg_of(in)) | BIT(RAX);
	if (op >= 0xb0 && op <= 0xbf)
		return BIT(opreg_of(in));
	switch (op) {
	/* clang-format off */
	case 0x63: case 0x69: case 0x6b: case 0x8a: case 0x8b: case 0x8d:
		return reg;
	case 0x80: case 0x81: case 0x83:
		return sub == 7 ? 0 : rm;
	case 0x84: case 0x85: case 0xa8: case 0xa9: case 0x68: case 0x6a: case 0x9c: case 0x9d: case 0xc3:
	case 0xc2: case 0xcc: case 0xe8: case 0xe9: case 0xeb: case 0xf4: case 0xf5: case 0xf8: case 0xf9:
	case 0xfa: case 0xfb: case 0xfc: case 0xfd: case 0x8e:
		return 0;
	case 0x86: case 0x87:
		return reg | rm;
	case 0x88: case 0x89: case 0x8c: case 0x8f: case 0xc0: case 0xc1: case 0xc6: case 0xc7:
	case 0xd0: case 0xd1: case 0xd2: case 0xd3:
		return rm;
	case 0x98: case 0x99:
		return BIT(RAX) | BIT(RDX);
	case 0x9e: case 0x9f: case 0xd7: case 0xe4: case 0xe5: case 0xec: case 0xed:
		return BIT(RAX);
	case 0xc8: case 0xc9:
		return BIT(RSP) | BIT(RBP);
	case 0xe0: case 0xe1: case 0xe2: case 0xe3:
		return BIT(RCX);
	case 0xf6: case 0xf7:
		return sub < 2 ? 0 : sub < 4 ? rm : BIT(RAX) | BIT(RDX);
	case 0xfe: case 0xff:
		return sub < 2 ? rm : 0;
	default:
		return ALL_REGS; /* string instructions, x87 FNSTSW, I/O, anything rare */
		/* clang-format on */
	}
}

/* Registers an instruction may write, beyond the moves walk_code follows itself. Unknown
 * instructions are taken to write both ModRM registers: forgetting too much can only hide a
 * request, never invent one. */
static unsigned writes(const struct x86_insn *in)
{
	unsigned reg = in->has_modrm ? BIT(reg_of(in)) : 0;
	unsigned rm = mod3(in) ? BIT(rm_of(in)) : 0;
	uint8_t op = in->opcode;

	if (in->enc == X86_VEX || in->enc == X86_EVEX)
		return writes_vex(in, reg, rm);
	if (in->enc == X86_XOP)
		return in->map == 9 || in->map == 10 ? reg | BIT(in->vvvv) | rm : 0; /* TBM */
	if (in->map == X86_MAP_0F38)
		return op == 0xf0 || op == 0xf1 ? reg : op == 0xf6 ? reg : 0; /* MOVBE, CRC32, ADCX/ADOX */
	if (in->map == X86_MAP_0F3A)
		return op == 0x14 || op == 0x16 || op == 0x17 ? rm : 0;
	if (in->map == X86_MAP_0F)
		return writes_0f(in, reg, rm);
	return writes_1b(in, reg, rm);
}

/* A call, jump or RIP-relative operand as the target address it names. */
static uint64_t next_addr(uint64_t base_addr, uint64_t pos, const struct x86_insn *in)
{
	return base_addr + pos + in->len;
}

static int64_t rel_imm(const struct x86_insn *in)
{
	return in->imm_size == 1 ? (int8_t)in->imm : in->imm_size == 2 ? (int16_t)in->imm : (int32_t)in->imm;
}

/* The 32-bit displacement of a RIP-relative ModRM operand (mod 00, rm 101). */
static int rip_disp(const uint8_t *bytes, uint64_t pos, const struct x86_insn *in, int32_t *disp)
{
	if (!in->has_modrm || (in->modrm & 0xc7) != 0x05 || in->len < 4 + in->imm_size)
		return 0;
	const uint8_t *d = bytes + pos + in->len - in->imm_size - 4;
	*disp = (int32_t)((uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24);
	return 1;
}

static int lookup(const struct call_target *v, size_t n, uint64_t addr)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].addr == addr)
			return v[i].kind;
	return CALL_NONE;
}

/* A relocation (relocatable objects) applied to the last 4 bytes: the rel32 of CALL/JMP or the
 * RIP-relative displacement of CALL/JMP/MOV, which take no immediate after it. */
static int reloc_at(const struct calls *c, uint64_t pos, const struct x86_insn *in)
{
	if (!c || !c->nreloc || in->len < 4)
		return CALL_NONE;
	return lookup(c->reloc, c->nreloc, pos + in->len - 4);
}

/* Which wrapper a CALL or JMP (tail call) reaches, if any. */
static int call_target(const struct calls *c, const struct regs *s, const uint8_t *bytes, uint64_t base_addr,
		       uint64_t pos, const struct x86_insn *in)
{
	if (!c)
		return CALL_NONE;
	int k = reloc_at(c, pos, in);
	if (k)
		return k;
	if (in->opcode == 0xe8 || in->opcode == 0xe9 || in->opcode == 0xeb)
		return lookup(c->direct, c->ndirect, next_addr(base_addr, pos, in) + (uint64_t)rel_imm(in));
	int32_t disp;
	if (rip_disp(bytes, pos, in, &disp))
		return lookup(c->slot, c->nslot, next_addr(base_addr, pos, in) + (uint64_t)(int64_t)disp);
	if (mod3(in) && (s->fnptr & BIT(rm_of(in))))
		return (int)s->value[rm_of(in)];
	return CALL_NONE;
}

static int is_const(struct opnd o, uint32_t v)
{
	return o.st == OP_CONST && (uint32_t)o.v == v;
}

/* Judges arch_prctl(code, feat) once nr is known to be arch_prctl's: a request, another feature, or a
 * possible request when the feature is not known. Unknown codes are the wrappers' own pass-through. */
static int judge(struct opnd code, struct opnd feat, struct site *site, struct scan_result *r)
{
	if (!is_const(code, ISA_ARCH_REQ_XCOMP_PERM))
		return 0;
	if (feat.st != OP_CONST) {
		site->op = SITE_POSSIBLE;
		return site_push(&r->possible, site);
	}
	if ((uint32_t)feat.v != ISA_XFEATURE_XTILEDATA) {
		site->op = SITE_OTHER_FEATURE;
		site->feature = (uint32_t)feat.v;
		return site_push(&r->other, site);
	}
	site->op = SITE_REQUEST;
	return site_push(&r->perm, site);
}

/* A call into the kernel: nr (syscall number, a constant 158 for the arch_prctl form), code, feature.
 * When they come from the function's own arguments the function is a private wrapper: its callers
 * are judged at the end (resolve_pending). */
static int carrier(int kind, struct opnd nr, struct opnd code, struct opnd feat, uint64_t func_addr, int in_func,
		   struct site *site, struct scan_result *r)
{
	if (nr.st == OP_UNKNOWN || (nr.st == OP_CONST && (uint32_t)nr.v != NR_ARCH_PRCTL))
		return 0;
	if (code.st == OP_CONST && (uint32_t)code.v != ISA_ARCH_REQ_XCOMP_PERM)
		return 0;
	if (nr.st == OP_ARG || code.st == OP_ARG || (code.st == OP_CONST && feat.st == OP_ARG)) {
		if (!in_func)
			return 0;
		if (r->npwraps == r->cappwraps) {
			size_t cap = r->cappwraps ? r->cappwraps * 2 : 4;
			struct pwrap *v = realloc(r->pwraps, cap * sizeof(*v));
			if (!v)
				return -1;
			r->pwraps = v;
			r->cappwraps = cap;
		}
		r->pwraps[r->npwraps++] = (struct pwrap){ func_addr, nr, code, feat };
		return 0;
	}
	site->how = kind;
	return judge(code, feat, site, r);
}

static struct opnd through(struct opnd w, const struct opnd *args)
{
	static const unsigned order[] = { RDI, RSI, RDX, RCX };
	if (w.st != OP_ARG)
		return w;
	for (unsigned i = 0; i < 4; i++)
		if (w.v == order[i])
			return args[i].st == OP_CONST ? args[i] : (struct opnd){ OP_UNKNOWN, 0 };
	return (struct opnd){ OP_UNKNOWN, 0 };
}

static int add_pending(struct scan_result *r, uint64_t target, const struct site *site, const struct regs *s)
{
	static const unsigned order[] = { RDI, RSI, RDX, RCX };
	struct pending p = { target, *site, { { 0, 0 } } };
	int interesting = 0;
	for (unsigned i = 0; i < 4; i++) {
		p.args[i] = opnd_of(s, order[i]);
		interesting |= is_const(p.args[i], ISA_ARCH_REQ_XCOMP_PERM) || is_const(p.args[i], NR_ARCH_PRCTL);
	}
	if (!interesting)
		return 0;
	if (r->npending == r->cappending) {
		size_t cap = r->cappending ? r->cappending * 2 : 8;
		struct pending *v = realloc(r->pending, cap * sizeof(*v));
		if (!v)
			return -1;
		r->pending = v;
		r->cappending = cap;
	}
	r->pending[r->npending++] = p;
	return 0;
}

/* Inside the current function when within its size, else only an offset into the area. */
static struct site make_site(int op, const struct mark *cur, uint64_t cur_end, const char *area, uint64_t pos,
			     uint64_t base_addr)
{
	struct site s = { op, CALL_NONE, 0, NULL, area, pos, base_addr + pos };
	if (cur && pos < cur_end) {
		s.func = cur->name;
		s.off = pos - cur->off;
	}
	return s;
}

/* Where the walk is: the function symbol (if any), for sites and private wrappers. */
struct where {
	const struct mark *cur;
	uint64_t cur_end;
	const char *area;
};

/* One walk over one area: what track() reads, and the register state it updates at each instruction. */
struct walk {
	struct regs s;
	const uint8_t *bytes;
	uint64_t size, base_addr;
	const struct calls *calls;
	uint8_t *targets;   /* one bit per byte: a forward branch lands here (NULL: not kept) */
	struct where w;
	struct scan_result *r;
	int64_t push_imm;   /* the immediate of a push just before, else -1 */
};

/* mov $imm, xor/sub with itself, push $imm; pop: a constant into a register. Returns 1 when handled. */
static inline int track_const(struct walk *k, const struct x86_insn *in, int wide, int64_t pushed)
{
	uint8_t op = in->opcode;
	if (op >= 0xb8 && op <= 0xbf && !in->osz) { /* mov $imm, %r32 / movabs $imm64, %r64 */
		set_const(&k->s, opreg_of(in), wide ? in->imm : (uint32_t)in->imm);
		return 1;
	}
	if (op == 0xc7 && mod3(in) && !in->osz && ((in->modrm >> 3) & 7) == 0) {
		uint64_t v = wide ? (uint64_t)(int64_t)(int32_t)in->imm : (uint32_t)in->imm;
		set_const(&k->s, rm_of(in), v);
		return 1;
	}
	if ((op == 0x31 || op == 0x33 || op == 0x29 || op == 0x2b) && mod3(in) && !in->osz &&
	    reg_of(in) == rm_of(in)) { /* xor/sub a register with itself */
		set_const(&k->s, reg_of(in), 0);
		return 1;
	}
	if (op == 0x6a || op == 0x68) { /* push $imm; pop %reg (clang -Oz) */
		k->push_imm = (int64_t)rel_imm(in);
		return 1;
	}
	if (op >= 0x58 && op <= 0x5f && pushed >= 0) {
		set_const(&k->s, opreg_of(in), (uint64_t)pushed);
		return 1;
	}
	return 0;
}

/* A register copied to another, or a wrapper's address loaded from the GOT. Returns 1 when handled. */
static inline int track_copy(struct walk *k, uint64_t pos, const struct x86_insn *in, int wide)
{
	struct regs *s = &k->s;
	uint8_t op = in->opcode;
	if ((op == 0x89 || op == 0x8b) && mod3(in) && !in->osz) { /* register to register */
		unsigned dst = op == 0x89 ? rm_of(in) : reg_of(in), src = op == 0x89 ? reg_of(in) : rm_of(in);
		unsigned known = s->known & BIT(src), isfn = s->fnptr & BIT(src) && wide, arg = s->arg & BIT(src);
		uint64_t v = s->value[src];
		forget(s, BIT(dst));
		if (known) {
			set_const(s, dst, wide ? v : (uint32_t)v);
		} else if (isfn || arg) { /* an argument keeps its identity through a 32-bit copy */
			s->fnptr |= isfn ? BIT(dst) : 0;
			s->arg |= arg ? BIT(dst) : 0;
			s->value[dst] = v;
		}
		return 1;
	}
	if (op == 0x63 && mod3(in) && reg_of(in) == rm_of(in)) /* movslq %edi,%rdi: same argument */
		return 1;
	if (op == 0x8b && wide) { /* mov slot(%rip), %r64: a wrapper's address from the GOT */
		int32_t disp;
		unsigned dst = reg_of(in);
		int kind = reloc_at(k->calls, pos, in);
		if (!kind && k->calls && rip_disp(k->bytes, pos, in, &disp))
			kind = lookup(k->calls->slot, k->calls->nslot,
				      next_addr(k->base_addr, pos, in) + (uint64_t)(int64_t)disp);
		forget(s, BIT(dst));
		if (kind) {
			s->fnptr |= BIT(dst);
			s->value[dst] = (uint64_t)kind;
		}
		return 1;
	}
	return 0;
}

/* Forward branch targets start new blocks: what is known here may not hold there. */
static inline void mark_target(struct walk *k, uint64_t pos, const struct x86_insn *in)
{
	uint64_t t = pos + in->len + (uint64_t)rel_imm(in);
	if (k->targets && t > pos && t < k->size)
		k->targets[t >> 3] |= (uint8_t)(1u << (t & 7));
}

/* SYSCALL: eax=158, edi=0x1023, esi=18. Returns -1 when out of memory. */
static inline int track_syscall(struct walk *k, uint64_t pos)
{
	const struct where *w = &k->w;
	struct site st = make_site(SITE_REQUEST, w->cur, w->cur_end, w->area, pos, k->base_addr);
	return carrier(CALL_INLINE, opnd_of(&k->s, RAX), opnd_of(&k->s, RDI), opnd_of(&k->s, RSI),
		       w->cur ? k->base_addr + w->cur->off : 0, w->cur && pos < w->cur_end, &st, k->r);
}

/* A call or jump: a request when it reaches arch_prctl or syscall(), a pending site when it may reach
 * a private wrapper. Returns -1 when out of memory, 1 when it does not fall through. */
static inline int track_call(struct walk *k, uint64_t pos, const struct x86_insn *in)
{
	struct regs *s = &k->s;
	const struct where *w = &k->w;
	uint8_t op = in->opcode;
	int kind = call_target(k->calls, s, k->bytes, k->base_addr, pos, in);
	struct opnd c158 = { OP_CONST, NR_ARCH_PRCTL };
	struct site site = make_site(SITE_REQUEST, w->cur, w->cur_end, w->area, pos, k->base_addr);
	uint64_t faddr = w->cur ? k->base_addr + w->cur->off : 0;
	int infn = w->cur && pos < w->cur_end;
	int rc = 0;
	if (kind == CALL_ARCH_PRCTL)
		rc = carrier(kind, c158, opnd_of(s, RDI), opnd_of(s, RSI), faddr, infn, &site, k->r);
	else if (kind == CALL_SYSCALL)
		rc = carrier(kind, opnd_of(s, RDI), opnd_of(s, RSI), opnd_of(s, RDX), faddr, infn, &site, k->r);
	else if (op != 0xff) /* maybe a private wrapper: judged at the end */
		rc = add_pending(k->r, next_addr(k->base_addr, pos, in) + (uint64_t)rel_imm(in), &site, s);
	if (rc < 0)
		return -1;
	unsigned sub = (in->modrm >> 3) & 7;
	if (op == 0xe9 || op == 0xeb || (op == 0xff && (sub == 4 || sub == 5))) {
		forget(s, ALL_REGS);
		return 1;
	}
	forget(s, CALL_CLOBBERS);
	return 0;
}

/* Follows the moves that load the request's arguments; everything else only forgets. Returns -1 when
 * out of memory, 1 when the instruction ends a basic block without falling through. */
/* always inlined: walk_code's loop is most of the run time, and walk_entry calls it too */
static inline __attribute__((always_inline)) int track(struct walk *k, uint64_t pos, const struct x86_insn *in)
{
	uint8_t op = in->opcode;
	int64_t pushed = k->push_imm;
	k->push_imm = -1;
	if (in->invalid) {
		forget(&k->s, ALL_REGS);
		return 1;
	}
	if (in->enc != X86_LEGACY) {
		forget(&k->s, writes(in));
		return 0;
	}
	int wide = (in->rex & 8) != 0;
	if (in->map == X86_MAP_1B) {
		if (track_const(k, in, wide, pushed) || track_copy(k, pos, in, wide))
			return 0;
		if ((op >= 0x70 && op <= 0x7f) || (op >= 0xe0 && op <= 0xe3) || op == 0xeb || op == 0xe9)
			mark_target(k, pos, in);
		if (op == 0xe8 || op == 0xe9 || op == 0xeb ||
		    (op == 0xff && ((in->modrm >> 3) & 7) >= 2 && ((in->modrm >> 3) & 7) <= 5))
			return track_call(k, pos, in);
		if (op == 0xc3 || op == 0xc2 || op == 0xf4) {
			forget(&k->s, ALL_REGS);
			return 1;
		}
	} else if (in->map == X86_MAP_0F) {
		if (op >= 0x80 && op <= 0x8f)
			mark_target(k, pos, in);
		if (op == 0x05 && track_syscall(k, pos) < 0)
			return -1;
		if (op == 0x0b) { /* UD2 */
			forget(&k->s, ALL_REGS);
			return 1;
		}
	}
	forget(&k->s, writes(in));
	return 0;
}

/* The common legacy instructions, classified ahead so that most of the walk is one table lookup:
 * what they write, or FAST_NO when track() must look (moves it follows, branches, calls). */
enum { FAST_NO, FAST_NONE, FAST_REG, FAST_RM, FAST_RM_NOT7 };
#define ALU_FAST(b) [b] = FAST_RM, [b + 1] = FAST_RM, [b + 2] = FAST_REG, [b + 3] = FAST_REG
static const uint8_t fast1b[256] = {
	/* clang-format off */
	ALU_FAST(0x00), ALU_FAST(0x08), ALU_FAST(0x10), ALU_FAST(0x18), ALU_FAST(0x20),
	[0x28] = FAST_RM, [0x2a] = FAST_REG, [0x30] = FAST_RM, [0x32] = FAST_REG,
	[0x38 ... 0x3b] = FAST_NONE, [0x50 ... 0x57] = FAST_NONE,
	[0x69] = FAST_REG, [0x6b] = FAST_REG,
	[0x80] = FAST_RM_NOT7, [0x81] = FAST_RM_NOT7, [0x83] = FAST_RM_NOT7,
	[0x84] = FAST_NONE, [0x85] = FAST_NONE, [0x88] = FAST_RM, [0x8a] = FAST_REG, [0x8d] = FAST_REG,
	[0xa8] = FAST_NONE, [0xa9] = FAST_NONE, [0xc0] = FAST_RM, [0xc1] = FAST_RM, [0xc6] = FAST_RM,
	/* clang-format on */
	[0xd0 ... 0xd3] = FAST_RM,
};
static const uint8_t fast0f[256] = {
	[0x10 ... 0x17] = FAST_NONE, [0x18 ... 0x1f] = FAST_NONE, [0x28 ... 0x2b] = FAST_NONE,
	[0x2e] = FAST_NONE,          [0x2f] = FAST_NONE,          [0x40 ... 0x4f] = FAST_REG,
	[0x51 ... 0x7d] = FAST_NONE, [0x7f] = FAST_NONE,          [0x90 ... 0x9f] = FAST_RM,
	[0xaf] = FAST_REG,           [0xb6] = FAST_REG,           [0xb7] = FAST_REG,
	[0xbc ... 0xbf] = FAST_REG,  [0xc2 ... 0xc4] = FAST_NONE, [0xc6] = FAST_NONE,
	[0xd0 ... 0xd6] = FAST_NONE, [0xd8 ... 0xff] = FAST_NONE,
};

static __thread uint8_t *tbuf;
static __thread size_t tcap;

void walk_buffers_free(void)
{
	free(tbuf);
	tbuf = NULL;
	tcap = 0;
}

/* How far a function with no symbol is walked from its entry to learn whether it is a private wrapper. */
#define ENTRY_WALK 4096

/* Walks from `addr` as a function entry until the first return or jump, only to learn whether it
 * is a private wrapper (a stripped file: no symbol started a function there). Anything else the walk
 * finds was found by the walk of the whole area already: only the wrappers are kept. */
static int walk_entry(const struct code_area *a, uint64_t addr, const struct calls *calls, struct scan_result *r)
{
	const uint8_t *bytes = a->bytes + (addr - a->addr);
	uint64_t size = a->size - (addr - a->addr) < ENTRY_WALK ? a->size - (addr - a->addr) : ENTRY_WALK;
	uint8_t targets[ENTRY_WALK / 8 + 1];
	struct mark entry = { 0, size, NULL, 1 };
	struct scan_result tmp;
	struct walk k;
	int rc = 0;
	memset(targets, 0, sizeof(targets));
	memset(&tmp, 0, sizeof(tmp));
	memset(&k, 0, sizeof(k));
	k.bytes = bytes, k.size = size, k.base_addr = addr, k.calls = calls, k.targets = targets;
	k.w = (struct where){ &entry, size, a->name };
	k.r = &tmp;
	k.push_imm = -1;
	tmp.pwraps = r->pwraps, tmp.npwraps = r->npwraps, tmp.cappwraps = r->cappwraps;
	enter_function(&k.s);
	for (uint64_t pos = 0; pos < size && rc == 0;) {
		struct x86_insn in;
		size_t len = x86_decode(bytes + pos, size - pos, &in);
		if (!len)
			break;
		if (targets[pos >> 3] & (1u << (pos & 7)))
			forget(&k.s, ALL_REGS);
		rc = track(&k, pos, &in);
		pos += len;
	}
	r->pwraps = tmp.pwraps, r->npwraps = tmp.npwraps, r->cappwraps = tmp.cappwraps;
	tmp.pwraps = NULL;
	scan_result_free(&tmp);
	return rc < 0 ? -1 : 0;
}

static int has_pwrap(const struct scan_result *r, uint64_t addr)
{
	for (size_t j = 0; j < r->npwraps; j++)
		if (r->pwraps[j].addr == addr)
			return 1;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The targets of the pending calls that no walk found a wrapper at, each walked once from its entry. */
static int walk_targets(struct scan_result *r)
{
	if (r->is_rel || !r->npending)
		return 0;
	uint64_t *t = malloc(r->npending * sizeof(*t));
	size_t n = 0;
	if (!t)
		return -1;
	for (size_t i = 0; i < r->npending; i++)
		if (!has_pwrap(r, r->pending[i].target))
			t[n++] = r->pending[i].target;
	qsort(t, n, sizeof(*t), cmp_u64);
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (i && t[i] == t[i - 1])
			continue;
		for (size_t k = 0; k < r->code.n; k++) {
			const struct code_area *a = &r->code.v[k];
			if (t[i] >= a->addr && t[i] - a->addr < a->size) {
				rc = walk_entry(a, t[i], &r->calls, r);
				break;
			}
		}
	}
	free(t);
	return rc;
}

int resolve_pending(struct scan_result *r)
{
	for (size_t i = 0; i < r->npending; i++) /* a PLT entry of a function defined here */
		for (size_t j = 0; j < r->calls.nalias; j++)
			if (r->calls.alias[j].addr == r->pending[i].target)
				r->pending[i].target = r->calls.alias[j].to;
	if (walk_targets(r) < 0)
		return -1;
	for (size_t i = 0; i < r->npending; i++) {
		struct pending *p = &r->pending[i];
		for (size_t j = 0; j < r->npwraps; j++) {
			const struct pwrap *w = &r->pwraps[j];
			if (w->addr != p->target)
				continue;
			struct opnd nr = through(w->nr, p->args);
			if (!is_const(nr, NR_ARCH_PRCTL))
				continue;
			p->site.how = CALL_PRIVATE;
			if (judge(through(w->code, p->args), through(w->feat, p->args), &p->site, r) < 0)
				return -1;
			break; /* one wrapper per address, even when it holds several syscalls */
		}
	}
	return 0;
}

/* The per-thread bitmap of branch targets for an area of `size` bytes, cleared; NULL when out of memory.
 * Kept between areas (cleared, not reallocated): fresh pages for every large section cost more than
 * the walk itself. */
static uint8_t *targets_for(uint64_t size)
{
	size_t tneed = (size_t)(size >> 3) + 1;
	if (tneed > tcap) {
		free(tbuf);
		tcap = tneed > 1 << 16 ? tneed : 1 << 16;
		tbuf = malloc(tcap);
		if (!tbuf) {
			tcap = 0;
			return NULL;
		}
	}
	memset(tbuf, 0, tneed);
	return tbuf;
}

/* At symbol marks[*i]: a function restarts the walk at its entry, a data object is skipped. Returns
 * where the walk goes on. */
static uint64_t enter_mark(struct walk *k, const struct mark *marks, size_t nmarks, size_t *i, uint64_t pos)
{
	const struct mark *m = &marks[(*i)++];
	/* marks lie inside the area; a symbol size may not (clamped, no overflow) */
	uint64_t end = m->size > k->size - m->off ? k->size : m->off + m->size;
	forget(&k->s, ALL_REGS);
	if (m->is_func) {
		enter_function(&k->s);
		k->w.cur = m;
		k->w.cur_end = m->size ? end : *i < nmarks ? marks[*i].off : k->size;
		return m->off; /* resynchronise, as objdump does at a symbol */
	}
	if (end > pos) {
		k->w.cur = NULL;
		return end; /* a data object inside code: not instructions */
	}
	return pos;
}

/* Counts an AMX instruction and a SYSCALL instruction. Returns -1 when out of memory. */
static int count_insn(struct walk *k, uint64_t pos, const struct x86_insn *in)
{
	int op = scan_classify(in);
	if (op != ISA_NONE) {
		struct site st = make_site(op, k->w.cur, k->w.cur_end, k->w.area, pos, k->base_addr);
		k->r->counts[op]++;
		k->r->total++;
		if (site_push(&k->r->amx, &st) < 0)
			return -1;
	}
	if (in->enc == X86_LEGACY && in->map == X86_MAP_0F && in->opcode == 0x05)
		k->r->syscall_insn = 1;
	return 0;
}

/* The common instructions in one table lookup (fast1b, fast0f): forgets what they write. Returns 0
 * when track() must look at the instruction. */
static inline int fast_forget(struct walk *k, const struct x86_insn *in)
{
	if (in->enc != X86_LEGACY || in->invalid || in->map > X86_MAP_0F)
		return 0;
	uint8_t c = (in->map == X86_MAP_1B ? fast1b : fast0f)[in->opcode];
	if (c == FAST_NO)
		return 0;
	unsigned m = 0;
	if (c == FAST_REG || (c != FAST_NONE && mod3(in) && (c != FAST_RM_NOT7 || ((in->modrm >> 3) & 7) != 7)))
		m = c == FAST_REG ? BIT(reg_of(in)) : BIT(rm_of(in));
	if (m & (k->s.known | k->s.fnptr | k->s.arg))
		forget(&k->s, m);
	k->push_imm = -1;
	return 1;
}

int walk_code(const uint8_t *bytes, uint64_t size, uint64_t base_addr, const char *area, const struct mark *marks,
	      size_t nmarks, const struct calls *calls, struct scan_result *r)
{
	uint64_t pos = 0;
	size_t i = 0;
	struct walk k;
	memset(&k, 0, sizeof(k));
	k.bytes = bytes, k.size = size, k.base_addr = base_addr, k.calls = calls, k.r = r;
	k.w = (struct where){ NULL, 0, area };
	k.push_imm = -1;
	k.targets = targets_for(size);
	if (!k.targets)
		return -1;
	forget(&k.s, ALL_REGS);
	for (;;) {
		uint64_t next = i < nmarks ? marks[i].off : size;
		if (i < nmarks && pos >= next) {
			pos = enter_mark(&k, marks, nmarks, &i, pos);
			continue;
		}
		if (pos >= size)
			break;
		struct x86_insn in;
		size_t len = x86_decode(bytes + pos, size - pos, &in);
		if (!len || (i < nmarks && pos + len > next)) {
			if (i == nmarks)
				break; /* the area ends inside an instruction */
			pos = next;    /* do not count an instruction that overlaps the next symbol */
			continue;
		}
		if (k.targets[pos >> 3] & (1u << (pos & 7)))
			forget(&k.s, ALL_REGS);
		if (count_insn(&k, pos, &in) < 0)
			return -1;
		if (!fast_forget(&k, &in) && track(&k, pos, &in) < 0)
			return -1;
		pos += len;
	}
	return 0;
}
