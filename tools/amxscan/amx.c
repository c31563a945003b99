// SPDX-License-Identifier: MIT
/* AMX encodings, all VEX.128 (L=0), W0, map 0F38 (Intel SDM vol. 2 and ISA extensions reference;
 * cross-checked with binutils 2.40 `as` and LLVM's AMX MC tests):
 *   49 !(11):000:bbb  NP LDTILECFG, 66 STTILECFG      49 C0 NP TILERELEASE   49 11:rrr:000 F2 TILEZERO
 *   4B !(11):rrr:100  F2 TILELOADD, 66 TILELOADDT1, F3 TILESTORED (SIB memory operand required)
 *   5C 11:rrr:bbb     F3 TDPBF16PS, F2 TDPFP16PS
 *   5E 11:rrr:bbb     F2 TDPBSSD, F3 TDPBSUD, 66 TDPBUSD, NP TDPBUUD
 *   6C 11:rrr:bbb     66 TCMMIMFP16PS, NP TCMMRLFP16PS
 * Forms that #UD (vvvv used where reserved, memory operand for TDP*) are not counted, as objdump
 * shows them as (bad). */
#include "amx.h"

static const char *const names[AMX_NOPS] = {
	"ldtilecfg", "sttilecfg", "tilerelease", "tilezero", "tileloadd", "tileloaddt1", "tilestored",
	"tdpbf16ps", "tdpfp16ps", "tdpbssd", "tdpbsud", "tdpbusd", "tdpbuud", "tcmmimfp16ps", "tcmmrlfp16ps",
};

const char *amx_name(enum amx_op op)
{
	return op >= 0 && op < AMX_NOPS ? names[op] : "?";
}

/* pp: 0 NP, 1 66, 2 F3, 3 F2 */
enum amx_op amx_classify(const struct x86_insn *in)
{
	if (in->enc != X86_VEX || in->map != X86_MAP_0F38 || in->invalid || in->vex_l || in->vex_w)
		return AMX_NONE;
	unsigned mod = in->modrm >> 6, reg = (in->modrm >> 3) & 7, rm = in->modrm & 7;
	int no_vvvv = in->vvvv == 0; /* VEX.vvvv 1111b, stored inverted */
	switch (in->opcode) {
	case 0x49:
		if (!no_vvvv)
			return AMX_NONE;
		if (in->pp == 0 && in->modrm == 0xc0)
			return AMX_TILERELEASE;
		if (in->pp == 3 && mod == 3 && rm == 0)
			return AMX_TILEZERO;
		if (mod != 3 && reg == 0)
			return in->pp == 0 ? AMX_LDTILECFG : in->pp == 1 ? AMX_STTILECFG : AMX_NONE;
		return AMX_NONE;
	case 0x4b:
		if (!no_vvvv || mod == 3 || rm != 4)
			return AMX_NONE;
		static const enum amx_op ld[4] = { AMX_NONE, AMX_TILELOADDT1, AMX_TILESTORED, AMX_TILELOADD };
		return ld[in->pp];
	case 0x5c:
		if (mod != 3)
			return AMX_NONE;
		return in->pp == 2 ? AMX_TDPBF16PS : in->pp == 3 ? AMX_TDPFP16PS : AMX_NONE;
	case 0x5e:
		if (mod != 3)
			return AMX_NONE;
		static const enum amx_op dp[4] = { AMX_TDPBUUD, AMX_TDPBUSD, AMX_TDPBSUD, AMX_TDPBSSD };
		return dp[in->pp];
	case 0x6c:
		if (mod != 3)
			return AMX_NONE;
		return in->pp == 1 ? AMX_TCMMIMFP16PS : in->pp == 0 ? AMX_TCMMRLFP16PS : AMX_NONE;
	}
	return AMX_NONE;
}
