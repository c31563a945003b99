// SPDX-License-Identifier: MIT
/* Every CPUID leaf and XCR0 the resolver uses, read at most once per copy of the resolver (one per library
 * that links it) and shared by the AMX probe and the predicates' amxshim_cpuid_leaf/isa_usable. A leaf that
 * glibc's loader already read (1, 7.0, 7.1, 0xD.1) is taken from glibc instead of executing CPUID where
 * that is safe (amx_platform_glibc_leaf, docs/AMX-FACTS.md "glibc's CPUID leaves"): in a VM each CPUID is
 * an exit to the hypervisor. */
#include "internal.h"

/* (leaf, subleaf) of each slot, and glibc's CPUID_INDEX_* for it (-1: glibc does not keep it). */
static const struct {
	uint32_t leaf, sub;
	signed char glibc;
} slot_ids[AMX_SLOT_COUNT] = {
	/* clang-format off */
	[AMXSHIM_LEAF_0] = { 0, 0, -1 },        [AMXSHIM_LEAF_1] = { 1, 0, AMX_GLIBC_INDEX_1 },
	[AMXSHIM_LEAF_7_0] = { 7, 0, AMX_GLIBC_INDEX_7 }, [AMXSHIM_LEAF_7_1] = { 7, 1, AMX_GLIBC_INDEX_7_1 },
	[AMXSHIM_LEAF_D_0] = { 0xd, 0, -1 },    [AMXSHIM_LEAF_D_1] = { 0xd, 1, AMX_GLIBC_INDEX_D_1 },
	[AMXSHIM_LEAF_D_18] = { 0xd, AMX_XTILEDATA, -1 },
	[AMXSHIM_LEAF_1D_0] = { 0x1d, 0, -1 },  [AMXSHIM_LEAF_1D_1] = { 0x1d, 1, -1 },
	[AMXSHIM_LEAF_1E_0] = { 0x1e, 0, -1 },
	[AMX_SLOT_1E_1] = { 0x1e, 1, -1 },      [AMX_SLOT_24_0] = { ISA_AVX10_LEAF, 0, -1 },
	/* clang-format on */
};

/* The one state machine of this file, per slot and for XCR0: EMPTY -> BUSY (one caller reads) -> READY.
 * A caller that finds BUSY reads privately (a race of first callers after dlopen costs one extra read,
 * never a wait). READY values never change. `from_glibc` marks the slots glibc answered. */
enum { SLOT_EMPTY, SLOT_BUSY, SLOT_READY };
static struct amxshim_cpuid slot_value[AMX_SLOT_COUNT];
static unsigned char slot_stage[AMX_SLOT_COUNT], slot_glibc[AMX_SLOT_COUNT];
static uint64_t xcr0_value;
static unsigned char xcr0_stage;

static int claim(unsigned char *stage)
{
	unsigned char from = SLOT_EMPTY;
	return __atomic_compare_exchange_n(stage, &from, SLOT_BUSY, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* glibc's copy, if it has one for `slot`: leaf 1 all zeros means glibc did not read it (a vendor it does
 * not know). */
static int glibc_copy(unsigned slot, struct amxshim_cpuid *out)
{
	return slot_ids[slot].glibc >= 0 && amx_platform_glibc_leaf((unsigned)slot_ids[slot].glibc, out) &&
	       (slot != AMXSHIM_LEAF_1 || out->eax);
}

static void keep(unsigned slot, const struct amxshim_cpuid *value, int glibc)
{
	if (claim(&slot_stage[slot])) {
		amx_copy(&slot_value[slot], value, sizeof *value);
		slot_glibc[slot] = (unsigned char)glibc;
		__atomic_store_n(&slot_stage[slot], SLOT_READY, __ATOMIC_RELEASE);
	}
}

/* The slot from the cache or glibc, never by CPUID: 1 when glibc's copy is what *out holds. */
static int leaf_without_cpuid(unsigned slot, struct amxshim_cpuid *out)
{
	if (__atomic_load_n(&slot_stage[slot], __ATOMIC_ACQUIRE) == SLOT_READY) {
		amx_copy(out, &slot_value[slot], sizeof *out);
		return slot_glibc[slot] ? 1 : -1;
	}
	if (!glibc_copy(slot, out))
		return 0;
	keep(slot, out, 1);
	return 1;
}

int amx_leaf(unsigned slot, struct amxshim_cpuid *out)
{
	int got = leaf_without_cpuid(slot, out);
	if (got)
		return got > 0;
	amx_platform_cpuid(slot_ids[slot].leaf, slot_ids[slot].sub, out);
	keep(slot, out, 0);
	return 0;
}

uint64_t amx_xcr0(void)
{
	if (__atomic_load_n(&xcr0_stage, __ATOMIC_ACQUIRE) == SLOT_READY)
		return xcr0_value;
	uint64_t v = amx_platform_xgetbv0();
	if (claim(&xcr0_stage)) {
		xcr0_value = v;
		__atomic_store_n(&xcr0_stage, SLOT_READY, __ATOMIC_RELEASE);
	}
	return v;
}

void amx_leaves_forget(void)
{
	amx_memzero(slot_stage, sizeof slot_stage);
	xcr0_stage = SLOT_EMPTY;
}

int amxshim_cpuid_leaf(enum amxshim_leaf leaf, struct amxshim_cpuid *out)
{
	out->eax = out->ebx = out->ecx = out->edx = 0;
	if ((unsigned)leaf >= AMXSHIM_LEAF_COUNT)
		return 0;
	/* glibc read its leaves only where they exist (below its own max-leaf check), so a non-zero one from
	 * glibc exists; anything else is checked against the max basic leaf and subleaf before it is read
	 * (above the max leaf Intel CPUs answer with the highest leaf's data). */
	if (leaf_without_cpuid(leaf, out) > 0 && (out->eax | out->ebx | out->ecx | out->edx))
		return 1;
	struct amxshim_cpuid top;
	amx_leaf(AMXSHIM_LEAF_0, &top);
	int exists = slot_ids[leaf].leaf <= top.eax;
	if (exists && (leaf == AMXSHIM_LEAF_7_1 || leaf == AMXSHIM_LEAF_1D_1)) {
		amx_leaf(leaf == AMXSHIM_LEAF_7_1 ? AMXSHIM_LEAF_7_0 : AMXSHIM_LEAF_1D_0, &top);
		exists = top.eax >= 1; /* the max subleaf */
	}
	out->eax = out->ebx = out->ecx = out->edx = 0;
	if (exists)
		amx_leaf(leaf, out);
	return exists;
}

int amx_next_leaf(const struct amxshim_state *st, unsigned leaf, struct amxshim_cpuid *out)
{
	unsigned read = leaf == 0x1e ? AMX_READ_1E_1 : leaf == ISA_AVX10_LEAF ? AMX_READ_24_0 : 0;
	out->eax = out->ebx = out->ecx = out->edx = 0;
	if (!(st->leaf_read & read))
		return 0;
	amx_leaf(read == AMX_READ_1E_1 ? AMX_SLOT_1E_1 : AMX_SLOT_24_0, out);
	return 1;
}

int amxshim_xcr0(uint64_t *xcr0)
{
	struct amxshim_cpuid l1;
	*xcr0 = 0;
	/* XGETBV faults unless the OS set CR4.OSXSAVE, which CPUID.1:ECX[27] mirrors. */
	if (!amxshim_cpuid_leaf(AMXSHIM_LEAF_1, &l1) || !((l1.ecx >> 27) & 1))
		return 0;
	*xcr0 = amx_xcr0();
	return 1;
}

#define BIT(word, n) (((word) >> (n)) & 1u)
#define XCR0_AVX_STATE ISA_XFEATURE_MASK_AVX
#define XCR0_AVX512_STATE ISA_XFEATURE_MASK_AVX512

int amxshim_isa_usable(unsigned isa)
{
	struct amxshim_cpuid l1, l70, l71;
	uint64_t xcr0;
	if (!isa)
		return 1;
	if (!amxshim_xcr0(&xcr0)) /* no OSXSAVE: no AVX state is usable */
		return 0;
	amxshim_cpuid_leaf(AMXSHIM_LEAF_1, &l1);
	amxshim_cpuid_leaf(AMXSHIM_LEAF_7_0, &l70);
	if (isa & AMXSHIM_ISA_AVX2) {
		if ((xcr0 & XCR0_AVX_STATE) != XCR0_AVX_STATE || !BIT(l1.ecx, 28) || !BIT(l1.ecx, 12) ||
		    !BIT(l70.ebx, 5))
			return 0;
	}
	if (isa & (AMXSHIM_ISA_AVX512 | AMXSHIM_ISA_AVX512_VNNI | AMXSHIM_ISA_AVX512_BF16)) {
		/* F 16, DQ 17, CD 28, BW 30, VL 31 */
		const uint32_t v4 = (1u << 16) | (1u << 17) | (1u << 28) | (1u << 30) | (1u << 31);
		if ((xcr0 & XCR0_AVX512_STATE) != XCR0_AVX512_STATE || (l70.ebx & v4) != v4)
			return 0;
	}
	if ((isa & AMXSHIM_ISA_AVX512_VNNI) && !BIT(l70.ecx, 11))
		return 0;
	if (isa & AMXSHIM_ISA_AVX512_BF16) {
		if (!amxshim_cpuid_leaf(AMXSHIM_LEAF_7_1, &l71) || !BIT(l71.eax, 5))
			return 0;
	}
	return 1;
}
