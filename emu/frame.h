/* SPDX-License-Identifier: MIT */
/* The XTILECFG component of a signal frame's XSAVE area. On real AMX the CPU runs LDTILECFG,
 * STTILECFG and TILERELEASE even without tile-data permission, and the kernel gives the handler
 * a fresh (INIT) tile config, so the program's config must be read from, and start_row written
 * back to, the frame. */
#ifndef AMXEMU_FRAME_H
#define AMXEMU_FRAME_H

#include <stdint.h>
#include <ucontext.h>
#include "../isa/amx.h"

void frame_init(void);
/* The 64 bytes, or NULL if this frame does not carry XTILECFG. *init: the component is in its
 * INIT state (not configured) and the bytes are not meaningful. */
uint8_t *frame_tilecfg(ucontext_t *uc, int *init);
/* CPUID says the OS enabled XTILECFG (XCR0 bit 17). */
int frame_xcr0_tilecfg(void);

/* XSAVE components beyond the tile config (numbers from isa/amx.h; SSE's XMM sit in the legacy area). */
/* clang-format off */
enum { FRAME_X_SSE = ISA_XFEATURE_SSE, FRAME_X_AVX = ISA_XFEATURE_AVX, FRAME_X_ZMM_HI256 = ISA_XFEATURE_ZMM_HI256,
       FRAME_X_HI16_ZMM = ISA_XFEATURE_HI16_ZMM, FRAME_X_APX = ISA_XFEATURE_APX, FRAME_NX = ISA_XFEATURE_APX + 1 };
/* clang-format on */

/* Where each component sits in the standard (non-compacted) XSAVE format: CPUID.(0DH,i) EBX = offset,
 * EAX = size (0: not described). frame_init() fills the process-wide one from CPUID. */
struct frame_layout {
	uint32_t off[FRAME_NX], size[FRAME_NX];
};
const struct frame_layout *frame_cpu_layout(void);

/* The frame's XSAVE area and its size, or NULL when it has none or the kernel's magic is missing. */
uint8_t *frame_xsave(ucontext_t *uc, uint32_t *size, uint64_t *xfeatures);

/* The APX registers r16-r31 from an XSAVE image (their INIT value 0 when XSTATE_BV says so). 0, or -1 when
 * the image has no APX component (a CPU without APX). */
int frame_get_egpr(const uint8_t *xs, uint32_t size, uint64_t xfeatures, const struct frame_layout *l,
		   uint64_t egpr[16]);
/* Does the image hold the full AVX-512 register state (SSE, AVX, ZMM_Hi256, Hi16_ZMM)? */
int frame_has_zmm(uint32_t size, uint64_t xfeatures, const struct frame_layout *l);
/* Writes ZMM reg (0-31) = v[64] into an XSAVE image: XMM part, YMM_Hi128, ZMM_Hi256 or Hi16_ZMM, marking
 * each component present in XSTATE_BV (a component that was in INIT state is zeroed first, so the other
 * registers keep their INIT value of 0). 0, or -1 when the image has no AVX-512 state. */
int frame_put_zmm(uint8_t *xs, uint32_t size, uint64_t xfeatures, const struct frame_layout *l, int reg,
		  const uint8_t v[64]);

#endif
