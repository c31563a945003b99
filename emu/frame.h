/* SPDX-License-Identifier: MIT */
/* The XTILECFG component of a signal frame's XSAVE area. On real AMX the CPU runs LDTILECFG,
 * STTILECFG and TILERELEASE even without tile-data permission, and the kernel gives the handler
 * a fresh (INIT) tile config, so the program's config must be read from, and start_row written
 * back to, the frame. */
#ifndef AMXEMU_FRAME_H
#define AMXEMU_FRAME_H

#include <stdint.h>
#include <ucontext.h>

void frame_init(void);
/* The 64 bytes, or NULL if this frame does not carry XTILECFG. *init: the component is in its
 * INIT state (not configured) and the bytes are not meaningful. */
uint8_t *frame_tilecfg(ucontext_t *uc, int *init);
/* CPUID says the OS enabled XTILECFG (XCR0 bit 17). */
int frame_xcr0_tilecfg(void);

#endif
