/* SPDX-License-Identifier: MIT */
/* Which decoded instructions are AMX, by their VEX encodings. */
#ifndef AMXSCAN_AMX_H
#define AMXSCAN_AMX_H
#include "x86len.h"

enum amx_op {
	AMX_NONE = -1,
	AMX_LDTILECFG, AMX_STTILECFG, AMX_TILERELEASE, AMX_TILEZERO, AMX_TILELOADD, AMX_TILELOADDT1,
	AMX_TILESTORED, AMX_TDPBF16PS, AMX_TDPFP16PS, AMX_TDPBSSD, AMX_TDPBSUD, AMX_TDPBUSD, AMX_TDPBUUD,
	AMX_TCMMIMFP16PS, AMX_TCMMRLFP16PS,
	AMX_NOPS
};

/* The AMX instruction `in` encodes, or AMX_NONE. */
enum amx_op amx_classify(const struct x86_insn *in);
/* Lower-case mnemonic, as objdump prints it. */
const char *amx_name(enum amx_op op);

#endif
