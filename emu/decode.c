// SPDX-License-Identifier: MIT
/* Encodings from the Intel SDM opcode tables (VEX.128.pp.0F38.W0); which VEX bits are ignored
 * was measured on Sapphire-Rapids-class hardware (see README.md): VEX.X/B are ignored where
 * there is no such register, VEX.R is ignored for LDTILECFG/STTILECFG/TILERELEASE. */
#include <string.h>

#include "decode.h"

enum { PP_NP, PP_66, PP_F3, PP_F2 };

static int64_t le(const uint8_t *p, int bytes)
{
	return bytes == 1 ? (int8_t)p[0] : (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
						   (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

/* ModRM memory operand at p (the ModRM byte). Returns its length, or 0 if n is too short. */
static size_t decode_mem(const uint8_t *p, size_t n, int rex_x, int rex_b, struct amx_mem *m)
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

static int op_of(unsigned opc, unsigned pp, int regform)
{
	static const int tdp5e[4] = { OP_TDPBUUD, OP_TDPBUSD, OP_TDPBSUD, OP_TDPBSSD };

	switch (opc) {
	case 0x49:
		if (pp == PP_NP)
			return regform ? OP_TILERELEASE : OP_LDTILECFG;
		if (pp == PP_66)
			return regform ? -1 : OP_STTILECFG;
		if (pp == PP_F2)
			return regform ? OP_TILEZERO : -1;
		return -1;
	case 0x4b:
		if (regform || pp == PP_NP)
			return -1;
		return pp == PP_F2 ? OP_TILELOADD : pp == PP_66 ? OP_TILELOADDT1 : OP_TILESTORED;
	case 0x5c:
		if (!regform)
			return -1;
		return pp == PP_F3 ? OP_TDPBF16PS : pp == PP_F2 ? OP_TDPFP16PS : -1;
	case 0x5e:
		return regform ? tdp5e[pp] : -1;
	}
	return 0; /* some other 0F38 instruction */
}

int amx_decode(const uint8_t *p, size_t n, struct amx_insn *in)
{
	size_t i = 0, mlen;
	unsigned modrm, reg, rm, vvvv, pp;
	int R, X, B, op, regform;

	memset(in, 0, sizeof *in);
	for (;; i++) { /* legacy prefixes allowed before VEX; 66/F2/F3/F0/REX make it #UD */
		if (i >= n)
			return DEC_NOT_AMX;
		if (p[i] == 0x26 || p[i] == 0x2e || p[i] == 0x36 || p[i] == 0x3e)
			continue;
		if (p[i] == 0x64 || p[i] == 0x65) {
			in->mem.seg = p[i] == 0x64 ? SEG_FS : SEG_GS;
			continue;
		}
		if (p[i] == 0x67) {
			in->mem.addr32 = 1;
			continue;
		}
		break;
	}
	/* VEX map 0F38 needs the 3-byte C4 form: C5 only encodes map 0F. */
	if (p[i] != 0xc4 || n < i + 5 || (p[i + 1] & 0x1f) != 2)
		return DEC_NOT_AMX;
	R = !(p[i + 1] & 0x80);
	X = !(p[i + 1] & 0x40);
	B = !(p[i + 1] & 0x20);
	vvvv = (~p[i + 2] >> 3) & 15;
	pp = p[i + 2] & 3;
	modrm = p[i + 4];
	reg = (modrm >> 3) & 7;
	rm = modrm & 7;
	regform = (modrm >> 6) == 3;
	op = op_of(p[i + 3], pp, regform);
	if (op == 0)
		return DEC_NOT_AMX;
	if (op < 0 || (p[i + 2] & 0x84)) /* bad pp/mod for the opcode, VEX.W=1 or VEX.L=1 */
		return DEC_UD;
	in->op = (enum amx_op)op;
	in->len = (int)(i + 5);
	in->treg = (int)reg | R << 3;
	in->trm = (int)rm | B << 3;
	in->tv = (int)vvvv;
	switch (in->op) {
	case OP_TDPBF16PS: case OP_TDPFP16PS:
	case OP_TDPBSSD: case OP_TDPBSUD: case OP_TDPBUSD: case OP_TDPBUUD:
		/* tmm8-15 do not exist; all three must differ */
		if (in->treg > 7 || in->trm > 7 || in->tv > 7 || in->treg == in->trm ||
		    in->treg == in->tv || in->trm == in->tv)
			return DEC_UD;
		return DEC_OK;
	case OP_TILERELEASE:
		return modrm == 0xc0 && !vvvv ? DEC_OK : DEC_UD;
	case OP_TILEZERO:
		return rm == 0 && !R && !vvvv ? DEC_OK : DEC_UD;
	case OP_LDTILECFG: case OP_STTILECFG:
		if (reg != 0 || vvvv)
			return DEC_UD;
		break;
	default: /* loads and stores: SIB addressing only */
		if (rm != 4 || R || vvvv)
			return DEC_UD;
		break;
	}
	mlen = decode_mem(p + i + 4, n - i - 4, X, B, &in->mem);
	if (!mlen)
		return DEC_NOT_AMX;
	in->len = (int)(i + 4 + mlen);
	if (in->len > 15)
		return DEC_NOT_AMX;
	return DEC_OK;
}
