// SPDX-License-Identifier: MIT
/* Encodings from the ISA table (isa/amx.h); which VEX bits are ignored
 * was measured on Sapphire-Rapids-class hardware (see README.md): VEX.X/B are ignored where
 * there is no such register, VEX.R is ignored for LDTILECFG/STTILECFG/TILERELEASE. EVEX (not measured):
 * the field layout and the fixed bits follow Intel XED (amx-dmr, apx-f-amx) and what llvm-objdump-22
 * accepts (docs/AMX-FACTS.md "The next-generation sets"). */
#include <string.h>

#include "../isa/vex.h"
#include "decode.h"

static int64_t le(const uint8_t *p, int bytes)
{
	/* clang-format off */
	return bytes == 1 ? (int8_t)p[0] : (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
						   (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
	/* clang-format on */
}

/* ModRM memory operand at p (the ModRM byte); rex_x/rex_b: the register-number bits above the 3 in ModRM/SIB
 * (REX-like bit 3, and bit 4 from EVEX X4/B4). Returns its length, or 0 if n is too short. */
static size_t decode_mem(const uint8_t *p, size_t n, int rex_x, int rex_b, struct emu_mem *m)
{
	unsigned mod = p[0] >> 6, rm = p[0] & 7;
	size_t len = 1;
	int dbytes = mod == 1 ? 1 : mod == 2 ? 4 : 0;

	m->base = m->index = -1;
	if (rm == 4) {
		unsigned sib;

		if (n < 2)
			return 0;
		sib = p[1];
		len = 2;
		m->scale = (int)(sib >> 6);
		if (((sib >> 3) & 7) != 4 || rex_x)
			m->index = (int)((sib >> 3) & 7) | rex_x << 3;
		if ((sib & 7) == 5 && mod == 0)
			dbytes = 4; /* no base, disp32 */
		else
			m->base = (int)(sib & 7) | rex_b << 3;
	} else if (rm == 5 && mod == 0) {
		m->rip_rel = 1;
		dbytes = 4;
	} else {
		m->base = (int)rm | rex_b << 3;
	}
	if (n < len + (size_t)dbytes)
		return 0;
	if (dbytes)
		m->disp = le(p + len, dbytes);
	return len + (size_t)dbytes;
}

/* The row this VEX map/opcode/pp/L/W and ModRM.mod name among the instructions the emulator runs: its
 * number; -1 when the opcode is one of them but these fields fit no row (#UD); ISA_NINSNS when it is not. */
static int find_row(unsigned enc, unsigned map, unsigned opcode, unsigned pp, unsigned l, unsigned w, unsigned modrm)
{
	int op, known = 0;

	for (op = 0; op < ISA_NINSNS; op++) {
		const struct isa_insn_desc *d = isa_insn(op);

		if (!isa_same_opcode(d, enc, map, opcode))
			continue;
		/* a row without semantics (a removed set sharing the opcode, e.g. TTDPBF16PS with TCMM*) is the CPU's */
		if (isa_match(d, enc, map, opcode, pp, l, w, modrm))
			return emu_runs(op) ? op : ISA_NINSNS;
		known |= emu_runs(op);
	}
	return known ? -1 : ISA_NINSNS;
}

/* The EVEX forms with a tile in ModRM.rm: a GPR row selector in vvvv (Z_T_R32) or an imm8 (Z_T_I8). */
static int decode_evex_rm_tile(const uint8_t *p, size_t n, size_t i, const struct isa_vex *v, unsigned form,
			       struct emu_insn *in)
{
	unsigned vvvv = v->vvvv;
	int X = v->x, B = v->b, v4 = v->v4;

	/* tile in ModRM.rm: llvm-objdump-22 rejects B3, X3 or B4 set (no tmm8+) */
	if ((B & 1) || (X & 1) || (B & 2))
		return EMU_DEC_UD;
	if (form == ISA_FORM_Z_T_I8) {
		if (vvvv || v4) /* vvvv and V4 unused: 1111b, 1 */
			return EMU_DEC_UD;
		if (n < i + 7)
			return EMU_DEC_NOT_AMX;
		in->tv = -1;
		in->imm8 = p[i + 6];
		in->len = (int)(i + 7);
	} else {
		in->tv = (int)vvvv | v4 << 4; /* GPR32 row selector, r16d-r31d with V4 */
		in->egpr = in->tv > 15;       /* (ZMM16-31 in ModRM.reg are AVX-512 state, not APX) */
	}
	return EMU_DEC_OK;
}

/* EVEX (the fields from isa/vex.h). Checked byte by byte against LLVM's MC tests: e.g.
 * 62 9a 78 08 49 84 ac 23 01 00 00 is ldtilecfg 291(%r28,%r29,4). */
static int decode_evex(const uint8_t *p, size_t n, size_t i, struct emu_insn *in)
{
	struct isa_vex v;
	unsigned modrm, vvvv, form;
	int R, X, B, op, v4;
	size_t mlen;

	if (n < i + 6 || !isa_vex_decode(p + i, n - i, &v))
		return EMU_DEC_NOT_AMX;
	modrm = p[i + 5];
	R = v.r, X = v.x, B = v.b;
	vvvv = v.vvvv;
	v4 = v.v4;
	op = find_row(ISA_ENC_EVEX, v.map, p[i + 4], v.pp, v.l, v.w, modrm);
	if (op == ISA_NINSNS)
		return EMU_DEC_NOT_AMX;
	/* bad pp/mod/L'L/W; z, b (broadcast/rounding) and aaa (masking) must be 0 in every AMX EVEX form [XED] */
	if (op < 0 || v.z || v.bcast || v.aaa)
		return EMU_DEC_UD;
	form = isa_insn(op)->form;
	in->op = (enum isa_insn)op;
	in->len = (int)(i + 6);
	in->treg = (int)((modrm >> 3) & 7) | R << 3;
	in->trm = (int)(modrm & 7);
	switch (form) {
	case ISA_FORM_Z_T_R32:
	case ISA_FORM_Z_T_I8: return decode_evex_rm_tile(p, n, i, &v, form, in);
	case ISA_FORM_M_CFG:
	case ISA_FORM_T_MSIB:
	case ISA_FORM_MSIB_T:
		if (vvvv || v4) /* NOEVSR */
			return EMU_DEC_UD;
		if (form != ISA_FORM_M_CFG && in->treg > 7)
			return EMU_DEC_UD; /* ModRM.reg with R3/R4 names tmm8+ */
		if (((modrm >> 3) & 7) && form == ISA_FORM_M_CFG)
			return EMU_DEC_UD;
		if ((modrm & 7) != 4 && form != ISA_FORM_M_CFG)
			return EMU_DEC_UD; /* SIB required */
		break;
	default: return EMU_DEC_UD;
	}
	mlen = decode_mem(p + i + 5, n - i - 5, X, B, &in->mem);
	if (!mlen)
		return EMU_DEC_NOT_AMX;
	in->len = (int)(i + 5 + mlen);
	in->egpr = in->mem.base > 15 || in->mem.index > 15;
	return in->len > 15 ? EMU_DEC_NOT_AMX : EMU_DEC_OK;
}

/* The legacy prefixes allowed before VEX (segment, address size), noted in in; returns the index of the
 * first other byte, n when there is none. 66/F2/F3/F0/REX are not skipped: they make it #UD. */
static size_t skip_prefixes(const uint8_t *p, size_t n, struct emu_insn *in)
{
	size_t i = 0;
	for (; i < n; i++) {
		if (p[i] == 0x26 || p[i] == 0x2e || p[i] == 0x36 || p[i] == 0x3e)
			continue;
		if (p[i] == 0x64 || p[i] == 0x65) {
			in->mem.seg = p[i] == 0x64 ? EMU_SEG_FS : EMU_SEG_GS;
			continue;
		}
		if (p[i] == 0x67) {
			in->mem.addr32 = 1;
			continue;
		}
		break;
	}
	return i;
}

int emu_decode(const uint8_t *p, size_t n, struct emu_insn *in)
{
	struct isa_vex v;
	size_t i, mlen;
	unsigned modrm, vvvv, form;
	int R, X, B, op;

	memset(in, 0, sizeof *in);
	i = skip_prefixes(p, n, in);
	if (i >= n)
		return EMU_DEC_NOT_AMX;
	if (p[i] == 0x62) /* in 64-bit mode always EVEX (BOUND does not exist) */
		return decode_evex(p, n, i, in);
	/* AMX is VEX map 0F38 or above, which needs the 3-byte C4 form: C5 only encodes map 0F. */
	if (p[i] != 0xc4 || n < i + 5 || !isa_vex_decode(p + i, n - i, &v))
		return EMU_DEC_NOT_AMX;
	R = v.r, X = v.x, B = v.b;
	vvvv = v.vvvv;
	modrm = p[i + 4];
	op = find_row(ISA_ENC_VEX, v.map, p[i + 3], v.pp, v.l, v.w, modrm);
	if (op == ISA_NINSNS)
		return EMU_DEC_NOT_AMX;
	if (op < 0) /* bad pp/mod for the opcode, VEX.W=1 or VEX.L=1 */
		return EMU_DEC_UD;
	form = isa_insn(op)->form;
	if (!isa_form_ok(form, modrm, vvvv))
		return EMU_DEC_UD;
	in->op = (enum isa_insn)op;
	in->len = (int)(i + 5);
	in->treg = (int)((modrm >> 3) & 7) | R << 3;
	in->trm = (int)(modrm & 7) | B << 3;
	in->tv = (int)vvvv;
	/* tmm8-15 do not exist (VEX.R/B set); measured: VEX.R is ignored where ModRM.reg holds no tile */
	switch (form) {
	case ISA_FORM_TTT: /* all three must differ */
		if (in->treg > 7 || in->trm > 7 || in->tv > 7 || in->treg == in->trm || in->treg == in->tv ||
		    in->trm == in->tv)
			return EMU_DEC_UD;
		return EMU_DEC_OK;
	case ISA_FORM_T: return in->treg > 7 ? EMU_DEC_UD : EMU_DEC_OK;
	case ISA_FORM_C0: return EMU_DEC_OK;
	case ISA_FORM_T_MSIB:
	case ISA_FORM_MSIB_T:
		if (in->treg > 7)
			return EMU_DEC_UD;
		break;
	}
	mlen = decode_mem(p + i + 4, n - i - 4, X, B, &in->mem);
	if (!mlen)
		return EMU_DEC_NOT_AMX;
	in->len = (int)(i + 4 + mlen);
	if (in->len > 15)
		return EMU_DEC_NOT_AMX;
	return EMU_DEC_OK;
}
