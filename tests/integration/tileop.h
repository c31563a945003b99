/* SPDX-License-Identifier: MIT */
/* The smallest AMX workload, for the tests: configure one 16x64-byte tile, zero it, store it over 0xff
 * bytes. SIGILL unless the process holds AMX permission (or an emulator handles it). Calls no libc, so
 * a library under test can use it too. Returns 1 when the stored bytes came back all zero. */
#ifndef AMXSHIM_TEST_TILEOP_H
#define AMXSHIM_TEST_TILEOP_H

#include "../../isa/amx.h"

static inline int tileop_zero_store(void)
{
	struct isa_tilecfg cfg;
	unsigned char buf[ISA_P1_BYTES_PER_TILE], *c = (unsigned char *)&cfg;
	for (unsigned i = 0; i < sizeof cfg; i++) /* no memset: no libc */
		c[i] = 0;
	for (unsigned i = 0; i < sizeof buf; i++)
		buf[i] = 0xff;
	cfg.palette = 1;
	cfg.colsb[0] = ISA_P1_BYTES_PER_ROW;
	cfg.rows[0] = ISA_P1_MAX_ROWS;
	__asm__ volatile("ldtilecfg (%0)\n\t"
			 "tilezero %%tmm0\n\t"
			 "tilestored %%tmm0, (%1,%2,1)\n\t"
			 "tilerelease"
			 :
			 : "r"(&cfg), "r"(buf), "r"((long)ISA_P1_BYTES_PER_ROW)
			 : "memory");
	for (unsigned i = 0; i < sizeof buf; i++)
		if (buf[i])
			return 0;
	return 1;
}
#endif
