// SPDX-License-Identifier: MIT
/* Layout: the fxsave area (512 bytes) whose software-reserved bytes at 464 hold the kernel's
 * _fpx_sw_bytes (magic, extended size, xfeatures), then the XSAVE header (xstate_bv first), and
 * each component at the standard-format offset CPUID.(0xD,i).EBX. */
#include <cpuid.h>
#include <string.h>

#include <amxshim/resolver.h> /* AMXSHIM_RESOLVER_CONTEXT */

#include "../isa/amx.h"
#include "frame.h"

#define FP_XSTATE_MAGIC1 0x46505853u

static uint32_t tilecfg_off; /* 0: the CPU does not describe XTILECFG */
static int xcr0_tilecfg;

/* Also called from libamxemu.so's relocation-time install: CPUID and XGETBV only. */
AMXSHIM_RESOLVER_CONTEXT void frame_init(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid_count(0, 0, &a, &b, &c, &d) || a < 0xd)
		return;
	__cpuid_count(1, 0, a, b, c, d);
	if (c & (1u << 27)) { /* OSXSAVE: XGETBV allowed */
		uint32_t lo, hi;

		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		xcr0_tilecfg = (lo >> ISA_XFEATURE_XTILECFG) & 1;
	}
	__cpuid_count(0xd, ISA_XFEATURE_XTILECFG, a, b, c, d);
	if (a == ISA_TILECFG_BYTES && b >= 576)
		tilecfg_off = b;
}

int frame_xcr0_tilecfg(void)
{
	return xcr0_tilecfg && tilecfg_off;
}

uint8_t *frame_tilecfg(ucontext_t *uc, int *init)
{
	uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
	uint32_t magic, ext;
	uint64_t xfeatures, xstate_bv;

	if (!fp || !tilecfg_off)
		return NULL;
	memcpy(&magic, fp + 464, 4);
	memcpy(&ext, fp + 468, 4);
	memcpy(&xfeatures, fp + 472, 8);
	if (magic != FP_XSTATE_MAGIC1 || !((xfeatures >> ISA_XFEATURE_XTILECFG) & 1) ||
	    ext < tilecfg_off + ISA_TILECFG_BYTES)
		return NULL;
	memcpy(&xstate_bv, fp + 512, 8);
	*init = !((xstate_bv >> ISA_XFEATURE_XTILECFG) & 1);
	return fp + tilecfg_off;
}
