// SPDX-License-Identifier: MIT
/* The decision: pure functions from a state's inputs to the first layer that disagrees. No libc here:
 * resolvers call it. The one-line detail that explains a decision is detail.c's. */
#include <errno.h>
#include "internal.h"

/* One table for the names; docs and man pages quote it. */
static const char *const reason_names[AMXSHIM_REASON_COUNT] = {
	[AMXSHIM_OK] = "ok",
	[AMXSHIM_DISABLED] = "disabled",
	[AMXSHIM_CPU] = "cpu",
	[AMXSHIM_OSXSAVE] = "osxsave",
	[AMXSHIM_XCR0] = "xcr0",
	[AMXSHIM_XFD] = "xfd",
	[AMXSHIM_PALETTE] = "palette",
	[AMXSHIM_KERNEL_OLD] = "kernel-old",
	[AMXSHIM_KERNEL_UNSUPPORTED] = "kernel-unsupported",
	[AMXSHIM_DENIED] = "denied",
	[AMXSHIM_ALTSTACK] = "altstack",
	[AMXSHIM_NOT_REQUESTED] = "not-requested",
};

const char *amxshim_reason_name(int reason)
{
	if (reason < 0 || reason >= AMXSHIM_REASON_COUNT)
		return "unknown";
	return reason_names[reason];
}

/* The CPUID bit of each feature, from the ISA table (isa/amx.h): the leaf-7 rows are read here, the
 * leaf-1EH.1 rows by amx_probe_next(); REMOVED and REQ rows have no flag (0) and are skipped. */
static const struct {
	unsigned flag;
	enum amxshim_leaf leaf;
	unsigned char reg; /* enum isa_cpuid_reg */
	unsigned char bit;
	unsigned char leaf7; /* read off the state's leaf-7 slots */
	const char *name;
} feature_bits[] = {
#define FEATURE_ROW_(id, name, leaf, sub, reg, bit, st) \
	{ ISA_FEATURE_FLAG(id, st), sub ? AMXSHIM_LEAF_7_1 : AMXSHIM_LEAF_7_0, ISA_##reg, bit, leaf == 7, name },
	ISA_FEATURES(FEATURE_ROW_)
#undef FEATURE_ROW_
};
#define N_FEATURES (sizeof feature_bits / sizeof feature_bits[0])

/* Palette 1 as every AMX CPU so far reports it (CPUID.0x1D.1, 0x1E.0); our kernels assume it. */
/* clang-format off */
#define PALETTE1_TOTAL_BYTES ((unsigned)ISA_P1_TOTAL_BYTES)
#define PALETTE1_TILE_BYTES  ((unsigned)ISA_P1_BYTES_PER_TILE)
#define PALETTE1_ROW_BYTES   ((unsigned)ISA_P1_BYTES_PER_ROW)
#define PALETTE1_NAMES       ((unsigned)ISA_P1_NTILES)
#define PALETTE1_ROWS        ((unsigned)ISA_P1_MAX_ROWS)
#define TMUL_MAXK            ((unsigned)ISA_TMUL_MAXK)
#define TMUL_MAXN            ((unsigned)ISA_TMUL_MAXN)
/* clang-format on */

const char *amx_feature_name(unsigned flag)
{
	for (unsigned i = 0; i < N_FEATURES; i++)
		if (feature_bits[i].flag && feature_bits[i].flag == flag)
			return feature_bits[i].name;
	return "?";
}

unsigned amx_cpu_features(const struct amxshim_state *st)
{
	unsigned have = 0;
	for (unsigned i = 0; i < N_FEATURES; i++) {
		const struct amxshim_cpuid *r = &st->cpuid[feature_bits[i].leaf];
		/* clang-format off */
		uint32_t word = feature_bits[i].reg == ISA_EAX ? r->eax : feature_bits[i].reg == ISA_EBX ? r->ebx
			      : feature_bits[i].reg == ISA_ECX ? r->ecx : r->edx;
		/* clang-format on */
		if (feature_bits[i].flag && feature_bits[i].leaf7 && ((word >> feature_bits[i].bit) & 1u))
			have |= feature_bits[i].flag;
	}
	return have;
}

static int palette1_ok(const struct amxshim_state *st)
{
	const struct amxshim_cpuid *p = &st->cpuid[AMXSHIM_LEAF_1D_1];
	const struct amxshim_cpuid *t = &st->cpuid[AMXSHIM_LEAF_1E_0];
	return (p->eax & 0xffff) == PALETTE1_TOTAL_BYTES && (p->eax >> 16) == PALETTE1_TILE_BYTES &&
	       (p->ebx & 0xffff) == PALETTE1_ROW_BYTES && (p->ebx >> 16) == PALETTE1_NAMES &&
	       (p->ecx & 0xffff) == PALETTE1_ROWS && (t->ebx & 0xff) == TMUL_MAXK &&
	       ((t->ebx >> 8) & 0xffff) == TMUL_MAXN;
}

/* Maps a failed arch_prctl to its layer. */
static enum amxshim_reason kernel_reason(int err)
{
	switch (err) {
	case EINVAL: return AMXSHIM_KERNEL_OLD;
	case EOPNOTSUPP: return AMXSHIM_KERNEL_UNSUPPORTED;
	case ENOSPC: return AMXSHIM_ALTSTACK;
	default: return AMXSHIM_DENIED;
	}
}

/* The first disagreeing layer, and the errno of the kernel call that failed when that is why (else 0). */
struct verdict {
	enum amxshim_reason reason;
	int err;
};

static struct verdict layer(enum amxshim_reason reason)
{
	return (struct verdict){ reason, 0 };
}

static struct verdict call_failed(int err)
{
	return (struct verdict){ kernel_reason(err), err };
}

static struct verdict judge(const struct amxshim_state *st, unsigned features)
{
	if (st->disabled)
		return layer(AMXSHIM_DISABLED);
	unsigned want = (features & AMXSHIM_ALL_FEATURES) | AMXSHIM_TILE;
	if ((st->cpu_features & want) != want || (features & ~AMXSHIM_ALL_FEATURES) ||
	    (!amx_vouched(st, AMXSHIM_LEAF_D_0) &&
	     (st->cpuid[AMXSHIM_LEAF_D_0].eax & AMX_XTILE_MASK) != AMX_XTILE_MASK))
		return layer(AMXSHIM_CPU);
	if (!AMX_CPUID_BIT(st, AMXSHIM_LEAF_1, ecx, 27))
		return layer(AMXSHIM_OSXSAVE);
	if ((st->xcr0 & AMX_XTILE_MASK) != AMX_XTILE_MASK ||
	    ((want & AMXSHIM_AVX512) && (st->xcr0 & AMX_XCR0_AVX512) != AMX_XCR0_AVX512))
		return layer(AMXSHIM_XCR0);
	if (!amx_vouched(st, AMXSHIM_LEAF_D_1) &&
	    (!AMX_CPUID_BIT(st, AMXSHIM_LEAF_D_1, eax, 4) || !AMX_CPUID_BIT(st, AMXSHIM_LEAF_D_18, ecx, 2)))
		return layer(AMXSHIM_XFD);
	/* clang-format off */
	if (amx_vouched(st, AMXSHIM_LEAF_1D_1) ? st->cpuid[AMXSHIM_LEAF_1D_0].eax < 1
	    : !(st->leaf_read & AMX_LEAF_BIT(AMXSHIM_LEAF_1D_1)) || !(st->leaf_read & AMX_LEAF_BIT(AMXSHIM_LEAF_1E_0)) ||
		      !palette1_ok(st))
		return layer(AMXSHIM_PALETTE);
	/* clang-format on */
	if (st->supp_err == AMX_CALL_NOT_MADE)
		return layer(AMXSHIM_NOT_REQUESTED);
	if (st->supp_err != AMX_CALL_OK)
		return call_failed(st->supp_err);
	if ((st->supp & AMX_XTILE_MASK) != AMX_XTILE_MASK)
		return layer(AMXSHIM_KERNEL_UNSUPPORTED);
	if (st->perm_err != AMX_CALL_OK)
		return call_failed(st->perm_err);
	/* Test the bit, never the whole mask: 5.16/5.17 overwrote the mask on REQ. */
	if (amx_has_bit(st->perm, AMX_XTILEDATA))
		return layer(AMXSHIM_OK);
	if (st->req_err == AMX_CALL_NOT_MADE)
		return layer(AMXSHIM_NOT_REQUESTED);
	if (st->req_err != AMX_CALL_OK)
		return call_failed(st->req_err);
	if (st->perm_after_err != AMX_CALL_OK)
		return call_failed(st->perm_after_err);
	return layer(amx_has_bit(st->perm_after, AMX_XTILEDATA) ? AMXSHIM_OK : AMXSHIM_DENIED);
}

enum amxshim_reason amx_first_disagreement(const struct amxshim_state *st, unsigned features)
{
	return judge(st, features).reason;
}

void amx_decide(struct amxshim_state *st, unsigned features)
{
	struct verdict v = judge(st, features);
	struct amx_line l;
	st->features = features;
	st->reason = v.reason;
	st->err = v.err;
	st->usable = v.reason == AMXSHIM_OK;
	amx_line_init(&l, st->detail, sizeof st->detail);
	amx_describe(&l, st, features, v.reason, v.err);
}
