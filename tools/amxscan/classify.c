// SPDX-License-Identifier: MIT
/* An instruction is AMX when a row of the ISA table matches its encoding, pp, L, W, register/memory form and
 * the form's fixed ModRM fields. Forms that #UD on other grounds (a tile number above 7, equal tiles) still
 * count: objdump prints them as the instruction; forms objdump shows as (bad) do not match any row. */
#include "classify.h"

int scan_classify(const struct x86_insn *in)
{
	/* the encodings the table can name; EVEX adds its payload's fixed fields */
	unsigned enc = in->enc == X86_VEX ? ISA_ENC_VEX : in->enc == X86_EVEX ? ISA_ENC_EVEX : ~0u;
	if (in->invalid || enc == ~0u || !in->has_modrm)
		return ISA_NONE;
	for (int op = 0; op < ISA_NINSNS; op++) {
		const struct isa_insn_desc *d = isa_insn(op);
		if (isa_match(d, enc, in->map, in->opcode, in->pp, in->vex_l, in->vex_w, in->modrm) &&
		    isa_form_ok(d->form, in->modrm, in->vvvv) &&
		    (enc != ISA_ENC_EVEX || isa_evex_ok(d->form, in->evex)))
			return op;
	}
	return ISA_NONE;
}
