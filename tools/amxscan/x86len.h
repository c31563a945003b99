/* SPDX-License-Identifier: MIT */
/* x86-64 instruction length decoder: just enough decoding to walk code and classify AMX. */
#ifndef AMXSCAN_X86LEN_H
#define AMXSCAN_X86LEN_H
#include <stddef.h>
#include <stdint.h>

enum x86_enc { X86_LEGACY, X86_VEX, X86_EVEX, X86_XOP };

/* Opcode maps; VEX/EVEX/XOP use their own mmmmm value in `map`. */
enum { X86_MAP_1B = 0, X86_MAP_0F = 1, X86_MAP_0F38 = 2, X86_MAP_0F3A = 3 };

struct x86_insn {
	uint8_t len;    /* total length in bytes, 1..15 */
	uint8_t enc;    /* enum x86_enc */
	uint8_t map;    /* opcode map */
	uint8_t opcode; /* the opcode byte within the map */
	uint8_t has_modrm;
	uint8_t modrm;
	uint8_t pp;    /* VEX/EVEX/XOP implied prefix: 0 none, 1 66, 2 F3, 3 F2 */
	uint8_t vex_l; /* VEX.L (EVEX: L'L) */
	uint8_t vex_w;
	uint8_t vvvv;     /* inverted back to a register number: 0..15 */
	uint8_t imm_size; /* bytes of immediate (second immediate of ENTER/EXTRQ not included) */
	uint8_t invalid;  /* raises #UD: len is 1 for an undefined opcode, the full length otherwise */
	uint8_t rex;      /* REX byte before the opcode (0 when none); VEX/EVEX: the same W/R/X/B bits | 0x40 */
	uint8_t osz;      /* a 66 operand-size prefix was present */
	uint64_t imm;     /* zero-extended immediate value */
	uint8_t evex[3];  /* EVEX: the payload bytes P0, P1, P2 as stored (APX R4/X4/B4/V4, z, b, aaa) */
};

/* Decodes one instruction from p[0..n). Returns its length (also in *out), or 0 when n is too short
 * to hold the whole instruction. An opcode undefined in 64-bit mode yields length 1 and invalid=1
 * (objdump's "(bad)" and one byte on); a VEX form after a 66/F2/F3/F0/REX prefix keeps its length. */
size_t x86_decode(const uint8_t *p, size_t n, struct x86_insn *out);

#endif
