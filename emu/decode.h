/* SPDX-License-Identifier: MIT */
/* Decoder for the AMX instructions (VEX.128.0F38.W0 49/4B/5C/5E) in 64-bit mode. */
#ifndef AMXEMU_DECODE_H
#define AMXEMU_DECODE_H

#include <stddef.h>
#include <stdint.h>

enum amx_op {
	OP_LDTILECFG = 1, OP_STTILECFG, OP_TILERELEASE, OP_TILEZERO, OP_TILELOADD, OP_TILELOADDT1,
	OP_TILESTORED, OP_TDPBF16PS, OP_TDPFP16PS, OP_TDPBSSD, OP_TDPBSUD, OP_TDPBUSD, OP_TDPBUUD,
};

enum { SEG_NONE, SEG_FS, SEG_GS };

struct amx_mem {
	int base, index;  /* register numbers 0-15 (rax..r15), -1 when absent */
	int scale;        /* shift count 0-3 */
	int rip_rel;
	int64_t disp;
	int seg;          /* SEG_* override */
	int addr32;       /* 0x67 prefix */
};

struct amx_insn {
	enum amx_op op;
	int len;          /* bytes, prefixes included */
	int treg, trm, tv; /* tile numbers from ModRM.reg, ModRM.rm, VEX.vvvv */
	struct amx_mem mem;
};

enum { DEC_NOT_AMX, DEC_UD, DEC_OK };

/* DEC_OK: *in filled. DEC_UD: an AMX opcode the hardware rejects (#UD). DEC_NOT_AMX: anything
 * else, including too few bytes. */
int amx_decode(const uint8_t *p, size_t n, struct amx_insn *in);

#endif
