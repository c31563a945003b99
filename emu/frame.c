// SPDX-License-Identifier: MIT
/* Layout: the fxsave area (512 bytes) whose software-reserved bytes at 464 hold the kernel's
 * _fpx_sw_bytes (magic, extended size, xfeatures), then the XSAVE header (xstate_bv first), and
 * each component at the standard-format offset CPUID.(0xD,i).EBX. */
#include <string.h>

#include <amxshim/resolver.h> /* AMXSHIM_RESOLVER_CONTEXT */

#include "../isa/amx.h"
#include "frame.h"
#include "machine.h"

#define FP_XSTATE_MAGIC1 0x46505853u

static uint32_t tilecfg_off; /* 0: the CPU does not describe XTILECFG */
static int xcr0_tilecfg;
static struct frame_layout cpu_layout;

/* Also called from libamxemu.so's relocation-time install: CPUID and XGETBV (machine.c) only. */
AMXSHIM_RESOLVER_CONTEXT void frame_init(void)
{
	uint32_t r[4];

	emu_machine_cpuid(0, 0, r);
	if (r[0] < 0xd)
		return;
	emu_machine_cpuid(1, 0, r);
	if (r[2] & (1u << 27)) /* OSXSAVE: XGETBV allowed */
		xcr0_tilecfg = (emu_machine_xgetbv(0) >> ISA_XFEATURE_XTILECFG) & 1;
	emu_machine_cpuid(0xd, ISA_XFEATURE_XTILECFG, r);
	if (r[0] == ISA_TILECFG_BYTES && r[1] >= 576)
		tilecfg_off = r[1];
	for (int i = FRAME_X_AVX; i < FRAME_NX; i++) {
		emu_machine_cpuid(0xd, (unsigned)i, r);
		if (r[0] && r[1] >= 576) { /* components 2+ follow the legacy area and the header */
			cpu_layout.off[i] = r[1];
			cpu_layout.size[i] = r[0];
		}
	}
}

const struct frame_layout *frame_cpu_layout(void)
{
	return &cpu_layout;
}

uint8_t *frame_xsave(ucontext_t *uc, uint32_t *size, uint64_t *xfeatures)
{
	uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
	uint32_t magic;

	if (!fp)
		return NULL;
	memcpy(&magic, fp + 464, 4);
	memcpy(size, fp + 468, 4);
	memcpy(xfeatures, fp + 472, 8);
	return magic == FP_XSTATE_MAGIC1 ? fp : NULL;
}

/* Is component i in the image (enabled, described, inside the size)? */
static int has(uint32_t size, uint64_t xfeatures, const struct frame_layout *l, int i)
{
	return ((xfeatures >> i) & 1) && l->size[i] && l->off[i] + l->size[i] <= size;
}

int frame_get_egpr(const uint8_t *xs, uint32_t size, uint64_t xfeatures, const struct frame_layout *l,
		   uint64_t egpr[16])
{
	uint64_t bv;

	if (!has(size, xfeatures, l, FRAME_X_APX) || l->size[FRAME_X_APX] < 128)
		return -1;
	memcpy(&bv, xs + 512, 8);
	if ((bv >> FRAME_X_APX) & 1)
		memcpy(egpr, xs + l->off[FRAME_X_APX], 128); /* struct apx_state { u64 egpr[16]; } */
	else
		memset(egpr, 0, 128);
	return 0;
}

/* Make component i present in XSTATE_BV; its bytes [off, off + n) are zeroed first if it was INIT. */
static void make_present(uint8_t *xs, int i, uint32_t off, uint32_t n)
{
	uint64_t bv;

	memcpy(&bv, xs + 512, 8);
	if (!((bv >> i) & 1)) {
		memset(xs + off, 0, n);
		bv |= 1ull << i;
		memcpy(xs + 512, &bv, 8);
	}
}

int frame_has_zmm(uint32_t size, uint64_t xfeatures, const struct frame_layout *l)
{
	return ((xfeatures >> FRAME_X_SSE) & 1) && has(size, xfeatures, l, FRAME_X_AVX) &&
	       l->size[FRAME_X_AVX] >= 256 && has(size, xfeatures, l, FRAME_X_ZMM_HI256) &&
	       l->size[FRAME_X_ZMM_HI256] >= 512 && has(size, xfeatures, l, FRAME_X_HI16_ZMM) &&
	       l->size[FRAME_X_HI16_ZMM] >= 1024;
}

int frame_put_zmm(uint8_t *xs, uint32_t size, uint64_t xfeatures, const struct frame_layout *l, int reg,
		  const uint8_t v[64])
{
	if (reg < 0 || reg > 31 || !frame_has_zmm(size, xfeatures, l))
		return -1;
	if (reg >= 16) { /* Hi16_ZMM: 64 bytes per register, zmm16 first */
		make_present(xs, FRAME_X_HI16_ZMM, l->off[FRAME_X_HI16_ZMM], l->size[FRAME_X_HI16_ZMM]);
		memcpy(xs + l->off[FRAME_X_HI16_ZMM] + 64 * (reg - 16), v, 64);
		return 0;
	}
	make_present(xs, FRAME_X_SSE, 160, 256); /* XMM0-15 at 160 in the legacy area */
	make_present(xs, FRAME_X_AVX, l->off[FRAME_X_AVX], l->size[FRAME_X_AVX]);
	make_present(xs, FRAME_X_ZMM_HI256, l->off[FRAME_X_ZMM_HI256], l->size[FRAME_X_ZMM_HI256]);
	memcpy(xs + 160 + 16 * reg, v, 16);
	memcpy(xs + l->off[FRAME_X_AVX] + 16 * reg, v + 16, 16);
	memcpy(xs + l->off[FRAME_X_ZMM_HI256] + 32 * reg, v + 32, 32);
	return 0;
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
