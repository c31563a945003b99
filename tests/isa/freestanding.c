// SPDX-License-Identifier: MIT
/* What the resolver needs from isa/amx.h, written as resolver code would use it: the feature table from
 * ISA_FEATURES (every LIVE row must name an existing AMXSHIM_* flag, or this does not compile), palette-1
 * geometry and the XSAVE numbers. Compiled with the resolver's flags; freestanding.sh checks that the
 * object refers to no outside symbol. */
#include <amxshim/resolver.h>

#include "../../isa/amx.h"

struct feat {
	unsigned flag;
	unsigned char leaf, subleaf, reg, bit;
};
#define ROW(id, name, leaf, sub, reg, bit, st) { ISA_FEATURE_FLAG(id, st), leaf, sub, ISA_##reg, bit },
static const struct feat feats[] = { ISA_FEATURES(ROW) };
#undef ROW

uint32_t isa_fs_flags(const uint32_t leaf7_0[4], const uint32_t leaf7_1[4]);
int isa_fs_palette1(uint32_t eax, uint32_t ebx, uint32_t ecx, uint64_t xcr0);

/* AMXSHIM_* flags from CPUID leaf 7 subleaves 0 and 1 (EAX, EBX, ECX, EDX). */
uint32_t isa_fs_flags(const uint32_t leaf7_0[4], const uint32_t leaf7_1[4])
{
	uint32_t have = 0;

	for (unsigned i = 0; i < sizeof feats / sizeof feats[0]; i++) {
		const uint32_t *r = feats[i].subleaf ? leaf7_1 : leaf7_0;

		if (feats[i].flag && feats[i].leaf == 7 && (r[feats[i].reg] >> feats[i].bit & 1))
			have |= feats[i].flag;
	}
	return have;
}

/* CPUID.(1DH,1) is palette 1 as the table describes it, and XCR0 enables tile state. */
int isa_fs_palette1(uint32_t eax, uint32_t ebx, uint32_t ecx, uint64_t xcr0)
{
	return eax == (ISA_P1_BYTES_PER_TILE << 16 | ISA_P1_TOTAL_BYTES) &&
	       ebx == (ISA_P1_NTILES << 16 | ISA_P1_BYTES_PER_ROW) && ecx == ISA_P1_MAX_ROWS &&
	       (xcr0 & ISA_XFEATURE_MASK_XTILE) == ISA_XFEATURE_MASK_XTILE;
}
