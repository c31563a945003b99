// SPDX-License-Identifier: MIT
/* The ISA table is the only classifier of AMX: for every VEX encoding of opcode maps 0F38 and 5 (all
 * opcodes, pp, L, W, ModRM bytes, two vvvv values), amxscan's classifier and the emulator's decoder name an
 * instruction only where a row of isa/amx.h has that map/opcode/pp/L/W, and never for an opcode no row
 * has. Also: each row's canonical encoding is recognised by both, rows do not overlap, names are unique. */
#include <stdio.h>
#include <string.h>

#include "../../emu/decode.h"
#include "../../tools/amxscan/amx.h"

static int fails;

#define CHECK(cond, ...)                                  \
	do {                                              \
		if (!(cond) && fails++ < 40) {            \
			printf("FAIL %s: ", #cond);       \
			printf(__VA_ARGS__);              \
			putchar('\n');                    \
		}                                         \
	} while (0)

/* VEX3 prefix, opcode, ModRM, SIB and zero displacement bytes: n = 16. */
static void encode(uint8_t b[16], unsigned map, unsigned op, unsigned pp, unsigned l, unsigned w,
		   unsigned vvvv, unsigned modrm, unsigned sib)
{
	memset(b, 0, 16);
	b[0] = 0xc4;
	b[1] = (uint8_t)(0xe0 | map); /* R, X, B clear (stored inverted) */
	b[2] = (uint8_t)(w << 7 | (~vvvv & 15) << 3 | l << 2 | pp);
	b[3] = (uint8_t)op, b[4] = (uint8_t)modrm, b[5] = (uint8_t)sib;
}

static int scan(const uint8_t *b)
{
	struct x86_insn in;

	return x86_decode(b, 16, &in) ? scan_classify(&in) : ISA_NONE;
}

static int opcode_in_table(unsigned map, unsigned op)
{
	for (int i = 0; i < ISA_NINSNS; i++)
		if (isa_same_opcode(isa_insn(i), ISA_ENC_VEX, map, op))
			return 1;
	return 0;
}

static int row_has(int i, unsigned map, unsigned op, unsigned pp, unsigned l, unsigned w)
{
	const struct isa_insn_desc *d = isa_insn(i);

	return d->map == map && d->opcode == op && d->pp == pp && d->l == l && d->w == w;
}

static void test_rows(void)
{
	for (int i = 0; i < ISA_NINSNS; i++) {
		const struct isa_insn_desc *d = isa_insn(i);
		unsigned modrm = 0, sib = 0, vvvv = 0;
		uint8_t b[16];
		struct emu_insn in;

		CHECK(d->mnemonic[0] && d->feature < ISA_NFEATURES && d->also <= ISA_F_NONE, "row %d", i);
		for (int j = 0; j < i; j++) {
			const struct isa_insn_desc *e = isa_insn(j);
			CHECK(strcmp(d->mnemonic, e->mnemonic) != 0, "%s twice", d->mnemonic);
			CHECK(!row_has(j, d->map, d->opcode, d->pp, d->l, d->w) ||
				      isa_form_is_reg(d->form) != isa_form_is_reg(e->form),
			      "%s and %s overlap", d->mnemonic, e->mnemonic);
		}
		switch (d->form) {
		case ISA_FORM_M_CFG: modrm = 0x07; break;                    /* (%rdi) */
		case ISA_FORM_C0: modrm = 0xc0; break;
		case ISA_FORM_T: modrm = 0xd8; break;                        /* tmm3 */
		case ISA_FORM_T_MSIB: case ISA_FORM_MSIB_T: modrm = 0x1c, sib = 0x08; break; /* tmm3, (%rax,%rcx,1) */
		case ISA_FORM_TTT: modrm = 0xc1, vvvv = 2; break;             /* tmm0, tmm1, tmm2 */
		default: CHECK(0, "%s: form %u unknown to this test", d->mnemonic, d->form);
		}
		encode(b, d->map, d->opcode, d->pp, d->l, d->w, vvvv, modrm, sib);
		CHECK(scan(b) == i, "amxscan: %s is %d", d->mnemonic, scan(b));
		if (emu_runs(i))
			CHECK(emu_decode(b, 16, &in) == EMU_DEC_OK && in.op == (enum isa_insn)i, "emu: %s", d->mnemonic);
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
		if (!opcode_in_table(map, op)) {
			CHECK(s == ISA_NONE && e == EMU_DEC_NOT_AMX, "map %u opcode %02x is in no row", map, op);
			continue;
		}
		if (s != ISA_NONE) {
			amx++;
			CHECK(row_has(s, map, op, pp, l, w), "amxscan: %s for %u/%02x/%u/%u/%u", isa_mnemonic(s), map,
			      op, pp, l, w);
			if (emu_runs(s))
				CHECK(e == EMU_DEC_UD || (e == EMU_DEC_OK && in.op == (enum isa_insn)s),
				      "emu %d vs amxscan %s", e, isa_mnemonic(s));
		}
		if (e == EMU_DEC_OK) {
			CHECK(emu_runs(in.op) && row_has(in.op, map, op, pp, l, w) && s == (int)in.op,
			      "emu: %s for %u/%02x/%u/%u/%u, amxscan %d", isa_mnemonic(in.op), map, op, pp, l, w, s);
		}
	}
	printf("%lu encodings swept, %lu classified as AMX\n", n, amx);
	return amx;
}

int main(void)
{
	unsigned long amx;

	test_rows();
	amx = test_sweep();
	CHECK(amx >= (unsigned long)ISA_NINSNS, "the sweep found only %lu AMX encodings", amx);
	printf("%d rows: %s\n", ISA_NINSNS, fails ? "FAIL" : "ok");
	return fails ? 1 : 0;
}
