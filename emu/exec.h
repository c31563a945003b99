/* SPDX-License-Identifier: MIT */
/* Runs one decoded AMX instruction against a thread's tile state and register file. */
#ifndef AMXEMU_EXEC_H
#define AMXEMU_EXEC_H

#include "decode.h"
#include "mem.h"
#include "tiles.h"

struct emu_cpu {
	uint64_t gpr[32]; /* rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8-r15, APX r16-r31 */
	uint64_t rip;     /* of the instruction */
	uint64_t fs, gs;  /* segment bases, read only when a prefix asks */
	uint8_t *zmm;     /* AMX-AVX512: 64 bytes for the destination ZMM's new value; NULL: no AVX-512 (#UD) */
};

enum { EMU_EXEC_DONE, EMU_EXEC_UD, EMU_EXEC_FAULT };

/* EMU_EXEC_DONE: the caller advances RIP by in->len. EMU_EXEC_UD: leave everything, raise SIGILL.
 * EMU_EXEC_FAULT: *f says which SIGSEGV; t->start_row already records the restart point. */
int emu_exec(struct emu_tiles *t, const struct emu_insn *in, const struct emu_cpu *cpu, struct emu_fault *f);

#endif
