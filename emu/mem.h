/* SPDX-License-Identifier: MIT */
/* Memory access that reports a bad address instead of faulting inside the signal handler. */
#ifndef AMXEMU_MEM_H
#define AMXEMU_MEM_H

#include <stddef.h>
#include <stdint.h>

struct emu_fault {
	int code;      /* SEGV_MAPERR, SEGV_ACCERR, or SI_KERNEL for a #GP */
	uint64_t addr; /* si_addr the kernel would report (0 for #GP) */
};

int emu_read(void *dst, uint64_t addr, size_t n, struct emu_fault *f);
int emu_write(uint64_t addr, const void *src, size_t n, struct emu_fault *f);
/* Like emu_read but copies as much as is readable; returns the byte count (instruction fetch). */
size_t emu_read_partial(void *dst, uint64_t addr, size_t n);

#endif
