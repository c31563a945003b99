/* SPDX-License-Identifier: MIT */
/* The smallest AMX workload, for the tests: configure one 16x64-byte tile, zero it, store it over 0xff
 * bytes. SIGILL unless the process holds AMX permission (or an emulator handles it). Calls no libc, so
 * a library under test can use it too. Returns 1 when the stored bytes came back all zero. */
#ifndef AMXSHIM_TEST_TILEOP_H
#define AMXSHIM_TEST_TILEOP_H

static inline int tileop_zero_store(void)
{
	unsigned char cfg[64] __attribute__((aligned(64)));
	unsigned char buf[1024];
	for (unsigned i = 0; i < sizeof cfg; i++)
		cfg[i] = 0;
	for (unsigned i = 0; i < sizeof buf; i++)
		buf[i] = 0xff;
	cfg[0] = 1;   /* palette 1 */
	cfg[16] = 64; /* colsb[0] = 64 bytes (u16, little endian) */
	cfg[48] = 16; /* rows[0] = 16 */
	__asm__ volatile("ldtilecfg (%0)\n\t"
			 "tilezero %%tmm0\n\t"
			 "tilestored %%tmm0, (%1,%2,1)\n\t"
			 "tilerelease"
			 : : "r"(cfg), "r"(buf), "r"((long)64) : "memory");
	for (unsigned i = 0; i < sizeof buf; i++)
		if (buf[i])
			return 0;
	return 1;
}
#endif
