// SPDX-License-Identifier: MIT
/* The ISA table is the only classifier of AMX: for every VEX encoding of opcode maps 0F38 and 5 (all
 * opcodes, pp, L, W, ModRM bytes, two vvvv values) and for EVEX maps 0F38, 0F3A and 5 (all opcodes, pp, L'L,
 * W, a set of ModRM bytes), amxscan's classifier and the emulator's decoder name an instruction only where
 * a row of isa/amx.h has that encoding/map/opcode/pp/L/W, and never for an opcode no row has. Also: each
 * row's canonical encoding is recognised by both (or is "not emulated"), rows do not overlap, ids are
 * unique, and the feature rows name their leaves. */
#include <stdio.h>
#include <string.h>

#include "../../emu/decode.h"
#include "../../isa/vex.h"
#include "../../tools/amxscan/classify.h"

static int fails;

#define CHECK(cond, ...)                            \
	do {                                        \
		if (!(cond) && fails++ < 40) {      \
			printf("FAIL %s: ", #cond); \
			printf(__VA_ARGS__);        \
			putchar('\n');              \
		}                                   \
	} while (0)

/* VEX3 prefix, opcode, ModRM, SIB and zero displacement/immediate bytes: n = 16. */
static void encode(uint8_t b[16], unsigned map, unsigned op, unsigned pp, unsigned l, unsigned w, unsigned vvvv,
		   unsigned modrm, unsigned sib)
{
	memset(b, 0, 16);
	b[0] = 0xc4;
	b[1] = (uint8_t)(0xe0 | map); /* R, X, B clear (stored inverted) */
	b[2] = (uint8_t)(w << 7 | (~vvvv & 15) << 3 | l << 2 | pp);
	b[3] = (uint8_t)op, b[4] = (uint8_t)modrm, b[5] = (uint8_t)sib;
}

/* EVEX: R, X, B, R', X4, V' clear (stored inverted), B4 = 0, z = b = aaa = 0; L'L = l. */
static void encode_evex(uint8_t b[16], unsigned map, unsigned op, unsigned pp, unsigned l, unsigned w, unsigned vvvv,
			unsigned modrm, unsigned sib)
{
	memset(b, 0, 16);
	b[0] = 0x62;
	b[1] = (uint8_t)(0xf0 | map);
	b[2] = (uint8_t)(w << 7 | (~vvvv & 15) << 3 | 4 | pp);
	b[3] = (uint8_t)(l << 5 | 8);
	b[4] = (uint8_t)op, b[5] = (uint8_t)modrm, b[6] = (uint8_t)sib;
}

static int scan(const uint8_t *b)
{
	struct x86_insn in;

	return x86_decode(b, 16, &in) ? scan_classify(&in) : ISA_NONE;
}

static int opcode_in_table(unsigned enc, unsigned map, unsigned op)
{
	for (int i = 0; i < ISA_NINSNS; i++)
		if (isa_same_opcode(isa_insn(i), enc, map, op))
			return 1;
	return 0;
}

static int row_has(int i, unsigned enc, unsigned map, unsigned op, unsigned pp, unsigned l, unsigned w)
{
	const struct isa_insn_desc *d = isa_insn(i);

	return d->enc == enc && d->map == map && d->opcode == op && d->pp == pp && d->l == l && d->w == w;
}

static void test_features(void)
{
	for (int f = 0; f < ISA_NFEATURES; f++) {
		const struct isa_feature_desc *r = isa_feature_row(f);

		CHECK(r->name[0] && (r->leaf == 7 || (r->leaf == 0x1e && r->subleaf == 1)) && r->bit < 32, "feature %d",
		      f);
		for (int g = 0; g < f; g++) {
			const struct isa_feature_desc *q = isa_feature_row(g);
			CHECK(strcmp(r->name, q->name) != 0 && (r->leaf != q->leaf || r->subleaf != q->subleaf ||
								r->reg != q->reg || r->bit != q->bit),
			      "%s and %s", r->name, q->name);
		}
	}
	/* the removed sets: every row that needs them, and only those, is "removed" */
	CHECK(isa_insn_removed(ISA_TTRANSPOSED) && isa_insn_removed(ISA_TMMULTF32PS) &&
		      isa_insn_removed(ISA_T2RPNTLVWZ1RST1_EVEX) && !isa_insn_removed(ISA_TDPBF8PS) &&
		      !isa_insn_removed(ISA_TILELOADDRS_EVEX) && !isa_insn_removed(ISA_TILEMOVROW_I8),
	      "removed rows");
	CHECK(isa_feature_row(ISA_F_FP8)->bit == 4 && isa_feature_row(ISA_F_AVX512)->bit == 7 &&
		      isa_feature_row(ISA_F_MOVRS)->bit == 8 && isa_feature_row(ISA_F_APX_F)->bit == 21,
	      "1EH.1 and APX_F bits");
}

static void test_rows(void)
{
	for (int i = 0; i < ISA_NINSNS; i++) {
		const struct isa_insn_desc *d = isa_insn(i);
		unsigned modrm = 0, sib = 0, vvvv = 0;
		uint8_t b[16];
		struct emu_insn in;

		CHECK(d->mnemonic[0] && d->feature < ISA_NFEATURES && d->also <= ISA_F_NONE, "row %d", i);
		CHECK(isa_feature_row(d->feature)->status != ISA_REQ, "%s: a REQ feature is only an `also`",
		      d->mnemonic);
		for (int j = 0; j < i; j++) {
			const struct isa_insn_desc *e = isa_insn(j);
			/* a mnemonic repeats only across encodings or between register and imm8 row forms */
			CHECK(strcmp(d->mnemonic, e->mnemonic) != 0 || d->enc != e->enc || d->form != e->form,
			      "%s twice", d->mnemonic);
			CHECK(!row_has(j, d->enc, d->map, d->opcode, d->pp, d->l, d->w) ||
				      isa_form_is_reg(d->form) != isa_form_is_reg(e->form),
			      "%s and %s overlap", d->mnemonic, e->mnemonic);
		}
		switch (d->form) {
		case ISA_FORM_M_CFG: modrm = 0x07; break; /* (%rdi) */
		case ISA_FORM_C0: modrm = 0xc0; break;
		case ISA_FORM_T: modrm = 0xd8; break; /* tmm3 */
		case ISA_FORM_T_MSIB:
		case ISA_FORM_MSIB_T: modrm = 0x1c, sib = 0x08; break;  /* tmm3, (%rax,%rcx,1) */
		case ISA_FORM_TTT: modrm = 0xc1, vvvv = 2; break;       /* tmm0, tmm1, tmm2 */
		case ISA_FORM_TT: modrm = 0xe9; break;                  /* tmm5, tmm1 */
		case ISA_FORM_TP_MSIB: modrm = 0x14, sib = 0x08; break; /* tmm2 pair, (%rax,%rcx,1) */
		case ISA_FORM_Z_T_R32: modrm = 0xf5, vvvv = 1; break;   /* zmm6, tmm5, %ecx */
		case ISA_FORM_Z_T_I8: modrm = 0xf5; break;              /* zmm6, tmm5, imm8 0 */
		default: CHECK(0, "%s: form %u unknown to this test", d->mnemonic, d->form);
		}
		CHECK(d->enc == ISA_ENC_VEX || d->enc == ISA_ENC_EVEX, "%s: encoding", d->mnemonic);
		(d->enc == ISA_ENC_EVEX ? encode_evex : encode)(b, d->map, d->opcode, d->pp, d->l, d->w, vvvv, modrm,
								sib);
		CHECK(scan(b) == i, "amxscan: %s is %d", d->mnemonic, scan(b));
		if (emu_runs(i))
			CHECK(emu_decode(b, 16, &in) == EMU_DEC_OK && in.op == (enum isa_insn)i, "emu: %s",
			      d->mnemonic);
		else
			CHECK(emu_decode(b, 16, &in) == EMU_DEC_NOT_AMX, "emu: %s has no semantics", d->mnemonic);
	}
}

static unsigned long test_sweep(void)
{
	static const unsigned maps[] = { ISA_MAP_0F38, ISA_MAP_5 };
	unsigned long n = 0, amx = 0;

	for (unsigned mi = 0; mi < 2; mi++)
		for (unsigned op = 0; op < 256; op++)
			for (unsigned pp = 0; pp < 4; pp++)
				for (unsigned lw = 0; lw < 4; lw++)
					for (unsigned v = 0; v < 4; v += 2)
						for (unsigned modrm = 0; modrm < 256; modrm++) {
							unsigned map = maps[mi], l = lw & 1, w = lw >> 1;
							uint8_t b[16];
							struct emu_insn in;
							int s, e;

							encode(b, map, op, pp, l, w, v, modrm, 0x08);
							s = scan(b);
							e = emu_decode(b, 16, &in);
							n++;
							if (!opcode_in_table(ISA_ENC_VEX, map, op)) {
								CHECK(s == ISA_NONE && e == EMU_DEC_NOT_AMX,
								      "map %u opcode %02x is in no row", map, op);
								continue;
							}
							if (s != ISA_NONE) {
								amx++;
								CHECK(row_has(s, ISA_ENC_VEX, map, op, pp, l, w),
								      "amxscan: %s for %u/%02x/%u/%u/%u",
								      isa_mnemonic(s), map, op, pp, l, w);
								if (emu_runs(s))
									CHECK(e == EMU_DEC_UD ||
										      (e == EMU_DEC_OK &&
										       in.op == (enum isa_insn)s),
									      "emu %d vs amxscan %s", e,
									      isa_mnemonic(s));
							}
							if (e == EMU_DEC_OK) {
								CHECK(emu_runs(in.op) &&
									      row_has(in.op, ISA_ENC_VEX, map, op, pp,
										      l, w) &&
									      s == (int)in.op,
								      "emu: %s for %u/%02x/%u/%u/%u, amxscan %d",
								      isa_mnemonic(in.op), map, op, pp, l, w, s);
							}
						}
	printf("%lu VEX encodings swept, %lu classified as AMX\n", n, amx);
	return amx;
}

/* EVEX: the same rules for amxscan and the emulator as for VEX. */
static unsigned long test_sweep_evex(void)
{
	static const unsigned maps[] = { ISA_MAP_0F38, ISA_MAP_0F3A, ISA_MAP_5 };
	static const uint8_t modrms[] = { 0x07, 0x0c, 0x1c, 0x44, 0xc1, 0xd8, 0xe9, 0xf5, 0xff };
	unsigned long n = 0, amx = 0;

	for (unsigned mi = 0; mi < 3; mi++)
		for (unsigned op = 0; op < 256; op++)
			for (unsigned pp = 0; pp < 4; pp++)
				for (unsigned lw = 0; lw < 8; lw++)
					for (unsigned v = 0; v < 2; v++)
						for (unsigned k = 0; k < sizeof modrms; k++) {
							unsigned map = maps[mi], l = lw & 3, w = lw >> 2;
							uint8_t b[16];
							struct emu_insn in;
							int s, e;

							encode_evex(b, map, op, pp, l, w, v, modrms[k], 0x08);
							s = scan(b);
							e = emu_decode(b, 16, &in);
							n++;
							CHECK(opcode_in_table(ISA_ENC_EVEX, map, op) ||
								      e == EMU_DEC_NOT_AMX,
							      "emu decodes EVEX %u/%02x", map, op);
							if (e == EMU_DEC_OK)
								CHECK(emu_runs(in.op) &&
									      row_has(in.op, ISA_ENC_EVEX, map, op, pp,
										      l, w) &&
									      s == (int)in.op,
								      "emu: %s for EVEX %u/%02x/%u/%u/%u, amxscan %d",
								      isa_mnemonic(in.op), map, op, pp, l, w, s);
							if (s != ISA_NONE && emu_runs(s))
								CHECK(e == EMU_DEC_UD || (e == EMU_DEC_OK &&
											  in.op == (enum isa_insn)s),
								      "emu %d vs amxscan %s", e, isa_mnemonic(s));
							if (s == ISA_NONE)
								continue;
							amx++;
							CHECK(opcode_in_table(ISA_ENC_EVEX, map, op) &&
								      row_has(s, ISA_ENC_EVEX, map, op, pp, l, w),
							      "amxscan: %s for EVEX %u/%02x/%u/%u/%u", isa_mnemonic(s),
							      map, op, pp, l, w);
						}
	printf("%lu EVEX encodings swept, %lu classified as AMX\n", n, amx);
	return amx;
}

/* The prefix decoder (isa/vex.h), against an encoder written here from the SDM's layouts: for each row's
 * encoding, map, pp, L and W, every vvvv and R/X/B (EVEX: with R4/X4/B4, V4, z, b and aaa) decodes to the
 * fields put in, and one byte short is refused. Also every C5 payload byte. Returns prefixes decoded. */
static unsigned long test_vex_decoder(void)
{
	unsigned long n = 0;
	struct isa_vex v;
	uint8_t b[4];

	for (unsigned p1 = 0; p1 < 256; p1++, n++) {
		b[0] = 0xc5, b[1] = (uint8_t)p1;
		CHECK(isa_vex_decode(b, 2, &v) == 2 && v.map == 1 && v.r == (~p1 >> 7 & 1) && !v.x && !v.b &&
			      !v.w && v.vvvv == (~p1 >> 3 & 15) && v.l == (p1 >> 2 & 1) && v.pp == (p1 & 3),
		      "C5 %02x", p1);
		CHECK(isa_vex_decode(b, 1, &v) == 0, "C5 %02x: one byte", p1);
	}
	for (int i = 0; i < ISA_NINSNS; i++) {
		const struct isa_insn_desc *d = isa_insn(i);
		int evex = d->enc == ISA_ENC_EVEX;
		unsigned ext = evex ? 4 : 2; /* R, X, B values: bits 3 (and 4) of a register number */

		for (unsigned r = 0; r < ext; r++)
			for (unsigned x = 0; x < ext; x++)
				for (unsigned bb = 0; bb < ext; bb++)
					for (unsigned vvvv = 0; vvvv < 16; vvvv++)
						for (unsigned p3 = 0; p3 < (evex ? 256u : 1u); p3++) {
							/* p3: z, b, V4 and aaa in place; L'L from the row */
							unsigned z = p3 >> 7, bc = p3 >> 4 & 1, v4 = p3 >> 3 & 1, aaa = p3 & 7;
							size_t len = evex ? 4 : 3;

							if (p3 & 0x60)
								continue;
							n++;
							b[0] = evex ? 0x62 : 0xc4;
							b[1] = (uint8_t)((~r & 1) << 7 | (~x & 1) << 6 | (~bb & 1) << 5 | d->map);
							b[2] = (uint8_t)(d->w << 7 | (~vvvv & 15) << 3 | d->pp);
							if (evex) {
								b[1] |= (uint8_t)((~r >> 1 & 1) << 4 | (bb >> 1) << 3);
								b[2] |= (uint8_t)((~x >> 1 & 1) << 2);
								b[3] = (uint8_t)(z << 7 | d->l << 5 | bc << 4 |
										 (~v4 & 1) << 3 | aaa);
							} else {
								b[2] |= (uint8_t)(d->l << 2);
							}
							CHECK(isa_vex_decode(b, len, &v) == len && v.esc == b[0] &&
								      v.len == len && v.map == d->map && v.pp == d->pp &&
								      v.l == d->l && v.w == d->w && v.vvvv == vvvv &&
								      v.r == r && v.x == x && v.b == bb && v.v4 == v4 &&
								      v.z == z && v.bcast == bc && v.aaa == aaa,
							      "%s: %02x %02x %02x %02x", d->mnemonic, b[0], b[1], b[2],
							      b[3]);
							CHECK(isa_vex_decode(b, len - 1, &v) == 0, "%s: short", d->mnemonic);
						}
	}
	printf("%lu VEX/EVEX prefixes decoded\n", n);
	return n;
}

int main(void)
{
	unsigned long amx;

	test_features();
	test_rows();
	test_vex_decoder();
	amx = test_sweep() + test_sweep_evex();
	CHECK(amx >= (unsigned long)ISA_NINSNS, "the sweep found only %lu AMX encodings", amx);
	printf("%d rows: %s\n", ISA_NINSNS, fails ? "FAIL" : "ok");
	return fails ? 1 : 0;
}
