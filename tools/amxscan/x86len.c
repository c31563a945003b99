// SPDX-License-Identifier: MIT
/* x86-64 instruction length decoder (Intel SDM vol. 2, ch. 2 and appendix A opcode maps).
 * Approximations, kept because they only matter for code no compiler emits:
 *  - 3DNow! (0F 0F) is decoded as ModRM + 1 suffix byte, which is exact for its length;
 *  - E8/E9/Jcc rel take 2 bytes with a 66 prefix (AMD64 reading, as objdump does; Intel ignores 66);
 *  - 0F 20..23 (MOV CR/DR) always use the register form of ModRM, as the CPU does;
 *  - VEX map 7 and XOP map 0A take an imm32; EVEX map 4 (APX) borrows the one-byte map's sizes;
 *  - VEX map 5 (AMX only) is ModRM without immediate for every opcode;
 *  - other reserved VEX/EVEX/XOP maps are treated as undefined (length 1). */
#include "x86len.h"
#include "../../isa/vex.h"

#include <string.h>

/* Table entry: low 3 bits immediate kind, then flags. */
enum {
	/* clang-format off */
	I_NONE, I_B, I_W, I_Z, I_V, I_MOFFS, I_ENTER, I_REL32,
	/* clang-format on */
	F_M = 0x10,   /* has ModRM */
	F_X = 0x20,   /* undefined in 64-bit mode */
	F_G3 = 0x40,  /* F6/F7: immediate only for /0 and /1 (TEST) */
	F_ESC = 0x80, /* prefix, escape or VEX/EVEX: handled in code */
};

#define ALU(b) [b] = F_M, [b + 1] = F_M, [b + 2] = F_M, [b + 3] = F_M, [b + 4] = I_B, [b + 5] = I_Z

static const uint8_t map1b[256] = {
	/* clang-format off */
	ALU(0x00), [0x06] = F_X, [0x07] = F_X,
	ALU(0x08), [0x0e] = F_X, [0x0f] = F_ESC,
	ALU(0x10), [0x16] = F_X, [0x17] = F_X,
	ALU(0x18), [0x1e] = F_X, [0x1f] = F_X,
	ALU(0x20), [0x26] = F_ESC, [0x27] = F_X,
	ALU(0x28), [0x2e] = F_ESC, [0x2f] = F_X,
	ALU(0x30), [0x36] = F_ESC, [0x37] = F_X,
	ALU(0x38), [0x3e] = F_ESC, [0x3f] = F_X,
	/* clang-format on */
	[0x40 ... 0x4f] = F_ESC,
	/* clang-format off */
	[0x60] = F_X, [0x61] = F_X, [0x62] = F_ESC, [0x63] = F_M,
	[0x64 ... 0x67] = F_ESC, [0x68] = I_Z, [0x69] = F_M | I_Z, [0x6a] = I_B, [0x6b] = F_M | I_B,
	/* clang-format on */
	[0x70 ... 0x7f] = I_B,
	/* clang-format off */
	[0x80] = F_M | I_B, [0x81] = F_M | I_Z, [0x82] = F_X, [0x83] = F_M | I_B,
	/* clang-format on */
	[0x84 ... 0x8f] = F_M, [0x9a] = F_X,
	/* clang-format off */
	[0xa0 ... 0xa3] = I_MOFFS, [0xa8] = I_B, [0xa9] = I_Z,
	[0xb0 ... 0xb7] = I_B, [0xb8 ... 0xbf] = I_V,
	[0xc0] = F_M | I_B, [0xc1] = F_M | I_B, [0xc2] = I_W, [0xc4] = F_ESC, [0xc5] = F_ESC,
	[0xc6] = F_M | I_B, [0xc7] = F_M | I_Z, [0xc8] = I_ENTER, [0xca] = I_W, [0xcd] = I_B, [0xce] = F_X,
	[0xd0 ... 0xd3] = F_M, [0xd4 ... 0xd6] = F_X, [0xd8 ... 0xdf] = F_M,
	[0xe0 ... 0xe7] = I_B, [0xe8] = I_REL32, [0xe9] = I_REL32, [0xea] = F_X, [0xeb] = I_B,
	[0xf0] = F_ESC, [0xf2] = F_ESC, [0xf3] = F_ESC,
	[0xf6] = F_M | F_G3 | I_B, [0xf7] = F_M | F_G3 | I_Z, [0xfe] = F_M, [0xff] = F_M,
	/* clang-format on */
};

static const uint8_t map0f[256] = {
	/* clang-format off */
	[0x00 ... 0x03] = F_M, [0x04] = F_X, [0x0a] = F_X, [0x0c] = F_X, [0x0d] = F_M, [0x0f] = F_M | I_B,
	[0x10 ... 0x1f] = F_M, [0x24 ... 0x27] = F_X, [0x28 ... 0x2f] = F_M,
	[0x36] = F_X, [0x38] = F_ESC, [0x39] = F_X, [0x3a] = F_ESC, [0x3b ... 0x3f] = F_X,
	[0x40 ... 0x6f] = F_M, [0x70 ... 0x73] = F_M | I_B, [0x74 ... 0x76] = F_M,
	[0x78] = F_M, [0x79] = F_M, [0x7a] = F_X, [0x7b] = F_X, [0x7c ... 0x7f] = F_M,
	[0x80 ... 0x8f] = I_REL32, [0x90 ... 0x9f] = F_M,
	[0xa3] = F_M, [0xa4] = F_M | I_B, [0xa5] = F_M, [0xa6] = F_M, [0xa7] = F_M, /* VIA PadLock */
	[0xab] = F_M, [0xac] = F_M | I_B, [0xad ... 0xaf] = F_M,
	[0xb0 ... 0xb9] = F_M, [0xba] = F_M | I_B, [0xbb ... 0xc1] = F_M, [0xc2] = F_M | I_B, [0xc3] = F_M,
	[0xc4 ... 0xc6] = F_M | I_B, [0xc7] = F_M, [0xd0 ... 0xff] = F_M,
	/* clang-format on */
};

/* Legacy prefixes and REX, so the hot prefix loop is one lookup per byte. */
enum { P_OTHER, P_REX, P_66, P_67, P_REP, P_LOCK, P_SEG };
static const uint8_t prefix_kind[256] = {
	[0x40 ... 0x4f] = P_REX, [0x66] = P_66,  [0x67] = P_67,  [0xf2] = P_REP, [0xf3] = P_REP, [0xf0] = P_LOCK,
	[0x26] = P_SEG,          [0x2e] = P_SEG, [0x36] = P_SEG, [0x3e] = P_SEG, [0x64] = P_SEG, [0x65] = P_SEG,
};

/* Length of ModRM + SIB + displacement starting at p[0] (the ModRM byte); 0 if it does not fit.
 * 64-bit mode has no 16-bit addressing, so a 67 prefix does not change this format. */
static inline __attribute__((always_inline)) size_t modrm_len(const uint8_t *p, size_t n)
{
	if (n < 1)
		return 0;
	unsigned mod = p[0] >> 6, rm = p[0] & 7;
	size_t len = 1;
	if (mod == 3)
		return 1;
	if (rm == 4) {
		if (n < 2)
			return 0;
		len = 2;
		if (mod == 0 && (p[1] & 7) == 5)
			len += 4;
	} else if (mod == 0 && rm == 5) {
		len += 4; /* RIP-relative */
	}
	if (mod == 1)
		len += 1;
	else if (mod == 2)
		len += 4;
	return len <= n ? len : 0;
}

/* Little-endian immediate of `size` bytes at p; `room` bytes are readable from p. */
static inline uint64_t read_le(const uint8_t *p, unsigned size, size_t room)
{
	uint64_t v = 0;
	if (room >= 8) { /* one fixed-size load instead of a byte loop */
		memcpy(&v, p, 8);
		return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
	}
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Finishes an instruction: ModRM at p[pos] if wanted, then `imm` bytes of immediate. */
static inline __attribute__((always_inline)) size_t finish(const uint8_t *p, size_t n, size_t pos, int modrm,
							   unsigned imm, unsigned extra, struct x86_insn *out)
{
	if (modrm) {
		size_t m = modrm_len(p + pos, n - pos);
		if (!m)
			return 0;
		out->has_modrm = 1;
		out->modrm = p[pos];
		pos += m;
	}
	if (pos + imm + extra > n)
		return 0;
	out->imm_size = (uint8_t)imm;
	out->imm = read_le(p + pos, imm, n - pos);
	pos += imm + extra;
	if (pos > 15) { /* longer than the architectural limit: #UD */
		out->invalid = 1;
		pos = 1;
	}
	out->len = (uint8_t)pos;
	return pos;
}

static size_t undefined(struct x86_insn *out)
{
	out->invalid = 1;
	out->len = 1;
	return 1;
}

/* VEX (C4/C5), EVEX (62) and XOP (8F) all carry map, pp, L, W and vvvv (isa/vex.h); pos is at the escape. */
static size_t decode_vex(const uint8_t *p, size_t n, size_t pos, int legacy_prefix, struct x86_insn *out)
{
	struct isa_vex v;
	size_t hdr = isa_vex_decode(p + pos, n - pos, &v);
	if (!hdr || pos + hdr + 1 > n)
		return 0;
	unsigned imm = 0;
	int modrm = 1;
	out->enc = v.esc == 0x62 ? X86_EVEX : v.esc == 0x8f ? X86_XOP : X86_VEX;
	out->map = v.map;
	out->vex_w = v.w;
	out->vvvv = v.vvvv;
	out->vex_l = v.l;
	out->pp = v.pp;
	if (v.esc == 0x62)
		memcpy(out->evex, p + pos + 1, 3);
	out->rex = (uint8_t)(0x40 | v.w << 3 | (v.r & 1) << 2 | (v.x & 1) << 1 | (v.b & 1));
	out->opcode = p[pos + hdr];
	pos += hdr + 1;
	uint8_t op = out->opcode;
	switch (out->enc == X86_XOP ? out->map + 0x100 : out->map) {
	case X86_MAP_0F:
		if (out->enc == X86_VEX && op == 0x77)
			modrm = 0; /* vzeroupper / vzeroall */
		if ((op >= 0x70 && op <= 0x73) || op == 0xc2 || (op >= 0xc4 && op <= 0xc6))
			imm = 1;
		break;
	case X86_MAP_0F38: break;
	case X86_MAP_0F3A: imm = 1; break;
	case 4: /* EVEX map 4: APX-promoted legacy instructions */
		if (out->enc != X86_EVEX)
			return undefined(out);
		imm = (map1b[op] & 7) == I_B ? 1 : (map1b[op] & 7) == I_Z ? 4 : 0;
		break;
	case 5: /* EVEX: AVX512-FP16. VEX: AMX-FP8 and the removed AMX-TRANSPOSE loads (isa/amx.h says
		 * which opcodes); every form known there has ModRM and no immediate */
		break;
	case 6: /* EVEX AVX512-FP16 */
		if (out->enc != X86_EVEX)
			return undefined(out);
		break;
	case 7: imm = 4; break;
	case 0x108: imm = 1; break;
	case 0x109: break;
	case 0x10a: imm = 4; break;
	default: return undefined(out);
	}
	size_t len = finish(p, n, pos, modrm, imm, 0, out);
	if (len && legacy_prefix)
		out->invalid = 1; /* 66/F2/F3/F0/REX before VEX is #UD, but the length stands */
	return len;
}

/* The legacy prefixes before the opcode, as the decoder needs them. */
struct prefixes {
	int opsize16, addr32, rex, rep, vex_bad;
};

/* Reads the prefixes into *pf and sets *pos to the opcode. Returns 0, -1 when the bytes end first, -2
 * when 14 prefixes leave no room for an opcode. */
static int read_prefixes(const uint8_t *p, size_t n, struct prefixes *pf, size_t *pos)
{
	memset(pf, 0, sizeof(*pf));
	for (*pos = 0;; (*pos)++) {
		if (*pos >= n)
			return -1;
		if (*pos >= 14)
			return -2;
		uint8_t b = p[*pos], k = prefix_kind[b];
		if (k == P_OTHER)
			return 0;
		if (k == P_REX) {
			pf->rex = b;
			pf->vex_bad = 1;
			continue;
		}
		pf->opsize16 |= k == P_66;
		pf->addr32 |= k == P_67;
		if (k == P_REP)
			pf->rep = b;
		pf->vex_bad |= k == P_66 || k == P_LOCK || k == P_REP;
		pf->rex = 0; /* a REX not directly before the opcode is ignored */
	}
}

/* The immediate's size for an opcode of table entry e; *extra is a second immediate's (ENTER). */
static unsigned imm_size(uint8_t e, const struct prefixes *pf, unsigned *extra)
{
	int rexw = (pf->rex & 8) != 0;
	*extra = 0;
	switch (e & 7) {
	case I_B: return 1;
	case I_W: return 2;
	case I_Z: return pf->opsize16 && !rexw ? 2 : 4;
	case I_V: return rexw ? 8 : pf->opsize16 ? 2 : 4;
	case I_MOFFS: return pf->addr32 ? 4 : 8;
	/* clang-format off */
	case I_ENTER: *extra = 1; return 2;
	/* clang-format on */
	case I_REL32: return pf->opsize16 && !rexw ? 2 : 4;
	}
	return 0;
}

size_t x86_decode(const uint8_t *p, size_t n, struct x86_insn *out)
{
	memset(out, 0, sizeof(*out));
	size_t pos;
	struct prefixes pf;
	int rc = read_prefixes(p, n, &pf, &pos);
	if (rc)
		return rc == -1 ? 0 : undefined(out);
	uint8_t op = p[pos];
	out->rex = (uint8_t)pf.rex;
	out->osz = (uint8_t)pf.opsize16;

	if (op == 0xc4 || op == 0xc5 || op == 0x62)
		return decode_vex(p, n, pos, pf.vex_bad, out);
	if (op == 0x8f && pos + 1 < n && (p[pos + 1] & 0x1f) >= 8)
		return decode_vex(p, n, pos, pf.vex_bad, out); /* XOP: ModRM.reg of POP would be nonzero */

	uint8_t e;
	if (op == 0x0f) {
		if (++pos >= n)
			return 0;
		op = p[pos];
		out->opcode = op;
		if (op == 0x38 || op == 0x3a) {
			out->map = op == 0x38 ? X86_MAP_0F38 : X86_MAP_0F3A;
			if (++pos >= n)
				return 0;
			out->opcode = p[pos];
			return finish(p, n, pos + 1, 1, out->map == X86_MAP_0F3A, 0, out);
		}
		out->map = X86_MAP_0F;
		e = map0f[op];
		if (op == 0x78 && (pf.rep == 0xf2 || pf.opsize16)) /* SSE4a EXTRQ/INSERTQ: two imm8 */
			return finish(p, n, pos + 1, 1, 1, 1, out);
		if (op >= 0x20 && op <= 0x23) { /* MOV CR/DR: the mod bits are ignored */
			if (pos + 1 >= n)
				return 0;
			out->has_modrm = 1;
			out->modrm = p[pos + 1];
			return finish(p, n, pos + 2, 0, 0, 0, out);
		}
	} else {
		out->map = X86_MAP_1B;
		out->opcode = op;
		e = map1b[op];
	}
	if (e & F_X)
		return undefined(out);

	unsigned extra, imm = imm_size(e, &pf, &extra);
	if (e & F_G3) {
		if (pos + 1 >= n)
			return 0;
		if ((p[pos + 1] >> 3) & 6) /* only /0 and /1 (TEST) take an immediate */
			imm = 0;
	}
	return finish(p, n, pos + 1, (e & F_M) != 0, imm, extra, out);
}
