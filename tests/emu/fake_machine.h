/* SPDX-License-Identifier: MIT */
/* The emulator's machine seam, faked (tests/emu/fake_machine.c in place of emu/machine.o): the CPUID
 * leaves 0, 1 and 0xD, XCR0 and the FS/GS bases the emulator reads are these variables. */
#ifndef AMXEMU_FAKE_MACHINE_H
#define AMXEMU_FAKE_MACHINE_H

#include <stdint.h>

#define FAKE_MACHINE_NXSAVE 20 /* CPUID.(0xD, i) for i < 20: components up to APX (19) */

struct fake_machine {
	uint32_t max_leaf;                    /* CPUID.0:EAX */
	uint32_t leaf1_ecx;                   /* CPUID.1:ECX (bit 27 OSXSAVE) */
	uint64_t xcr0;                        /* XGETBV(0) */
	uint32_t xsave[FAKE_MACHINE_NXSAVE][2]; /* CPUID.(0xD, i): EAX size, EBX offset */
	uint64_t fs_base, gs_base;
	unsigned cpuid_calls, xgetbv_calls, fs_calls, gs_calls;
};

/* Starts as a CPU with XSAVE and x87/SSE/AVX only: no AVX-512, no AMX, no APX state. */
extern struct fake_machine fake_machine;

#endif
