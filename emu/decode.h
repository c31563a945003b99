/* SPDX-License-Identifier: MIT */
/* Decoder for the AMX instructions the emulator runs (the rows of isa/amx.h with semantics in exec.c), in
 * 64-bit mode: VEX (maps 0F38 and 5) and EVEX (the APX address forms with R16-R31, AMX-AVX512). */
#ifndef AMXEMU_DECODE_H
#define AMXEMU_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "../isa/amx.h"

enum { EMU_SEG_NONE, EMU_SEG_FS, EMU_SEG_GS };

struct emu_mem {
	int base, index; /* register numbers 0-31 (rax..r15, then APX r16-r31), -1 when absent */
	int scale;       /* shift count 0-3 */
	int rip_rel;
	int64_t disp;
	int seg;    /* EMU_SEG_* override */
	int addr32; /* 0x67 prefix */
};

struct emu_insn {
	enum isa_insn op;
	int len;           /* bytes, prefixes included */
	int treg, trm, tv; /* tile numbers from ModRM.reg, ModRM.rm, VEX.vvvv; AMX-AVX512: ZMM (0-31), tile,
			    * row-selector GPR (0-31; -1 in the imm8 form) */
	uint8_t imm8;      /* AMX-AVX512 imm8 row selector */
	int egpr;          /* names one of r16-r31 (APX state needed) */
	struct emu_mem mem;
};

enum { EMU_DEC_NOT_AMX, EMU_DEC_UD, EMU_DEC_OK };

/* EMU_DEC_OK: *in filled. EMU_DEC_UD: an AMX opcode the hardware rejects (#UD). EMU_DEC_NOT_AMX: anything
 * else, including too few bytes. */
int emu_decode(const uint8_t *p, size_t n, struct emu_insn *in);

/* Does the emulator have semantics for instruction `op` (exec.c)? Rows without are left to the CPU. */
int emu_runs(int op);

#endif
