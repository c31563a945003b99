/* SPDX-License-Identifier: MIT */
/* The one decoder of the VEX (C5, C4), XOP (8F) and EVEX (62) prefixes, for amxscan's length decoder and
 * the emulator's decoder; tests/isa sweeps it over every field of every encoding the table (amx.h) has.
 * Field layouts (' = stored inverted), Intel SDM vol. 2 2.3 and 2.7, APX from LLVM's MC tests
 * (docs/AMX-FACTS.md, "The next-generation sets"):
 *   C5 [R' vvvv' L pp]          C4/8F [R' X' B' mmmmm] [W vvvv' L pp]
 *   62 [R3' X3' B3' R4' B4 mmm] [W vvvv' X4' pp] [z L'L b V4' aaa]  (B4 is not inverted; X4' sits where
 *   AVX-512 has its U bit, 1 there.) Header-only and freestanding: stddef.h and stdint.h only. */
#ifndef AMXSHIM_ISA_VEX_H
#define AMXSHIM_ISA_VEX_H

#include <stddef.h>
#include <stdint.h>

struct isa_vex {
	uint8_t esc;  /* the escape byte: 0xc5, 0xc4, 0x8f or 0x62 */
	uint8_t len;  /* prefix bytes, escape included: 2 (C5), 3 (C4, 8F), 4 (62) */
	uint8_t map;  /* mmmmm (C4, 8F), mmm (62); C5 implies map 0F (1) */
	uint8_t pp;   /* implied prefix: 0 none, 1 66, 2 F3, 3 F2 */
	uint8_t w;    /* 0 for C5 */
	uint8_t l;    /* VEX.L; EVEX L'L (0-3) */
	uint8_t vvvv; /* the register number, un-inverted: 0-15 */
	uint8_t r, x, b; /* register-number extensions, un-inverted: bit 0 = R3/X3/B3 (bit 3 of the register),
			  * bit 1 = EVEX R4/X4/B4 (bit 4); C5 has R3 only */
	uint8_t v4;      /* EVEX V4 (bit 4 of vvvv), un-inverted */
	uint8_t z, bcast, aaa; /* EVEX zeroing, broadcast/rounding, opmask */
};

/* Decodes the prefix starting at p[0] (the escape byte). Returns its length (also in v->len), or 0 when
 * p[0] is none of C5, C4, 8F, 62 or n is shorter than the prefix. Whether 8F or 62 is a prefix at all
 * (XOP's map >= 8 rather than POP; 64-bit mode) is the caller's call. */
static inline size_t isa_vex_decode(const uint8_t *p, size_t n, struct isa_vex *v)
{
	unsigned esc = n ? p[0] : 0;
	size_t len = esc == 0xc5 ? 2 : esc == 0xc4 || esc == 0x8f ? 3 : esc == 0x62 ? 4 : 0;

	if (!len || n < len)
		return 0;
	*v = (struct isa_vex){ .esc = (uint8_t)esc, .len = (uint8_t)len };
	v->r = (uint8_t)(~p[1] >> 7 & 1);
	if (esc == 0xc5) {
		v->map = 1;
		v->vvvv = (uint8_t)(~p[1] >> 3 & 15);
		v->l = (uint8_t)(p[1] >> 2 & 1);
		v->pp = (uint8_t)(p[1] & 3);
		return len;
	}
	v->x = (uint8_t)(~p[1] >> 6 & 1);
	v->b = (uint8_t)(~p[1] >> 5 & 1);
	v->w = (uint8_t)(p[2] >> 7);
	v->vvvv = (uint8_t)(~p[2] >> 3 & 15);
	v->pp = (uint8_t)(p[2] & 3);
	if (esc != 0x62) {
		v->map = (uint8_t)(p[1] & 31);
		v->l = (uint8_t)(p[2] >> 2 & 1);
		return len;
	}
	v->map = (uint8_t)(p[1] & 7);
	v->r |= (uint8_t)((~p[1] >> 4 & 1) << 1);
	v->x |= (uint8_t)((~p[2] >> 2 & 1) << 1);
	v->b |= (uint8_t)((p[1] >> 3 & 1) << 1);
	v->z = (uint8_t)(p[3] >> 7);
	v->l = (uint8_t)(p[3] >> 5 & 3);
	v->bcast = (uint8_t)(p[3] >> 4 & 1);
	v->v4 = (uint8_t)(~p[3] >> 3 & 1);
	v->aaa = (uint8_t)(p[3] & 7);
	return len;
}

#endif
