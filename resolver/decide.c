// SPDX-License-Identifier: MIT
/* The decision: pure functions from a state's inputs to a reason and a one-line detail. No libc here:
 * resolvers call it, so the detail is built with the freestanding line builder. */
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

/* CPUID bit of each sub-feature, in AMXSHIM_* flag order. */
static const struct {
	unsigned flag;
	enum amxshim_leaf leaf;
	unsigned char reg; /* 0 eax, 3 edx */
	unsigned char bit;
	const char *name;
} feature_bits[] = {
	{ AMXSHIM_TILE, AMXSHIM_LEAF_7_0, 3, 24, "AMX-TILE" },
	{ AMXSHIM_INT8, AMXSHIM_LEAF_7_0, 3, 25, "AMX-INT8" },
	{ AMXSHIM_BF16, AMXSHIM_LEAF_7_0, 3, 22, "AMX-BF16" },
	{ AMXSHIM_FP16, AMXSHIM_LEAF_7_1, 0, 21, "AMX-FP16" },
	{ AMXSHIM_COMPLEX, AMXSHIM_LEAF_7_1, 3, 8, "AMX-COMPLEX" },
};
#define N_FEATURES (sizeof feature_bits / sizeof feature_bits[0])

/* Palette 1 as every AMX CPU so far reports it (CPUID.0x1D.1, 0x1E.0); our kernels assume it. */
#define PALETTE1_TOTAL_BYTES 8192u
#define PALETTE1_TILE_BYTES  1024u
#define PALETTE1_ROW_BYTES   64u
#define PALETTE1_NAMES       8u
#define PALETTE1_ROWS        16u
#define TMUL_MAXK            16u
#define TMUL_MAXN            64u

unsigned amx_cpu_features(const struct amxshim_state *st)
{
	unsigned have = 0;
	for (unsigned i = 0; i < N_FEATURES; i++) {
		const struct amxshim_cpuid *r = &st->cpuid[feature_bits[i].leaf];
		uint32_t word = feature_bits[i].reg == 0 ? r->eax : r->edx;
		if ((word >> feature_bits[i].bit) & 1u)
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

/* Not read by the minimal path because XCR0 and ARCH_GET_XCOMP_SUPP vouch for it (probe.c). */
static int vouched(const struct amxshim_state *st, enum amxshim_leaf slot)
{
	return (st->leaf_read & AMX_LEAF_VOUCHED(slot)) != 0;
}

static int has_bit(uint64_t mask, unsigned bit)
{
	return (int)((mask >> bit) & 1u);
}

enum amxshim_reason amx_first_disagreement(const struct amxshim_state *st, unsigned features, int *err)
{
	*err = 0;
	if (st->disabled)
		return AMXSHIM_DISABLED;
	unsigned want = (features & AMXSHIM_ALL_FEATURES) | AMXSHIM_TILE;
	if ((st->cpu_features & want) != want || (features & ~AMXSHIM_ALL_FEATURES) ||
	    (!vouched(st, AMXSHIM_LEAF_D_0) &&
	     (st->cpuid[AMXSHIM_LEAF_D_0].eax & AMX_XTILE_MASK) != AMX_XTILE_MASK))
		return AMXSHIM_CPU;
	if (!AMX_CPUID_BIT(st, AMXSHIM_LEAF_1, ecx, 27))
		return AMXSHIM_OSXSAVE;
	if ((st->xcr0 & AMX_XTILE_MASK) != AMX_XTILE_MASK)
		return AMXSHIM_XCR0;
	if (!vouched(st, AMXSHIM_LEAF_D_1) &&
	    (!AMX_CPUID_BIT(st, AMXSHIM_LEAF_D_1, eax, 4) || !AMX_CPUID_BIT(st, AMXSHIM_LEAF_D_18, ecx, 2)))
		return AMXSHIM_XFD;
	if (vouched(st, AMXSHIM_LEAF_1D_1) ? st->cpuid[AMXSHIM_LEAF_1D_0].eax < 1
	    : !(st->leaf_read & (1u << AMXSHIM_LEAF_1D_1)) || !(st->leaf_read & (1u << AMXSHIM_LEAF_1E_0)) ||
		      !palette1_ok(st))
		return AMXSHIM_PALETTE;
	if (st->supp_err) {
		*err = st->supp_err < 0 ? 0 : st->supp_err;
		return st->supp_err < 0 ? AMXSHIM_NOT_REQUESTED : kernel_reason(st->supp_err);
	}
	if ((st->supp & AMX_XTILE_MASK) != AMX_XTILE_MASK)
		return AMXSHIM_KERNEL_UNSUPPORTED;
	if (st->perm_err) {
		*err = st->perm_err;
		return kernel_reason(st->perm_err);
	}
	/* Test the bit, never the whole mask: 5.16/5.17 overwrote the mask on REQ. */
	if (has_bit(st->perm, AMX_XTILEDATA))
		return AMXSHIM_OK;
	if (st->req_err < 0)
		return AMXSHIM_NOT_REQUESTED;
	if (st->req_err) {
		*err = st->req_err;
		return kernel_reason(st->req_err);
	}
	if (st->perm_after_err) {
		*err = st->perm_after_err;
		return kernel_reason(st->perm_after_err);
	}
	return has_bit(st->perm_after, AMX_XTILEDATA) ? AMXSHIM_OK : AMXSHIM_DENIED;
}

static const char *errno_name(int err)
{
	switch (err) {
	case EPERM: return "EPERM";
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOSPC: return "ENOSPC";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case ENOMEM: return "ENOMEM";
	default: return 0;
	}
}

static void put_errno(struct amx_line *l, int err)
{
	const char *name = errno_name(err);
	if (name) {
		amx_line_put(l, name);
		return;
	}
	amx_line_put(l, "errno ");
	amx_line_dec(l, (unsigned)err);
}

/* Which arch_prctl call produced err: the first one that failed. */
static const char *failed_call(const struct amxshim_state *st)
{
	if (st->supp_err > 0)
		return "ARCH_GET_XCOMP_SUPP";
	if (st->perm_err > 0)
		return "ARCH_GET_XCOMP_PERM";
	if (st->req_err > 0)
		return "ARCH_REQ_XCOMP_PERM";
	return "ARCH_GET_XCOMP_PERM (after the request)";
}

static void describe_cpu(struct amx_line *l, const struct amxshim_state *st, unsigned features)
{
	uint32_t max = st->cpuid[AMXSHIM_LEAF_0].eax;
	if (max < 7 && !vouched(st, AMXSHIM_LEAF_0)) {
		amx_line_put(l, "CPUID max basic leaf ");
		amx_line_hex(l, max);
		amx_line_put(l, " < 7: no AMX");
		return;
	}
	unsigned want = (features & AMXSHIM_ALL_FEATURES) | AMXSHIM_TILE;
	unsigned missing = want & ~st->cpu_features;
	if (missing) {
		amx_line_put(l, "CPUID lacks");
		for (unsigned i = 0; i < N_FEATURES; i++) {
			if (missing & feature_bits[i].flag) {
				amx_line_put(l, " ");
				amx_line_put(l, feature_bits[i].name);
			}
		}
		return;
	}
	if (features & ~AMXSHIM_ALL_FEATURES) {
		amx_line_put(l, "unknown feature flags ");
		amx_line_hex(l, features & ~AMXSHIM_ALL_FEATURES);
		return;
	}
	amx_line_put(l, "CPUID.(0xD,0):EAX=");
	amx_line_hex(l, st->cpuid[AMXSHIM_LEAF_D_0].eax);
	amx_line_put(l, " lacks XTILECFG/XTILEDATA (bits 17, 18): XSAVE cannot manage tile state");
}

static void describe_palette(struct amx_line *l, const struct amxshim_state *st)
{
	const struct amxshim_cpuid *p = &st->cpuid[AMXSHIM_LEAF_1D_1];
	const struct amxshim_cpuid *t = &st->cpuid[AMXSHIM_LEAF_1E_0];
	if (st->cpuid[AMXSHIM_LEAF_0].eax < 0x1e) {
		amx_line_put(l, "CPUID max basic leaf ");
		amx_line_hex(l, st->cpuid[AMXSHIM_LEAF_0].eax);
		amx_line_put(l, " < 0x1e: no palette or TMUL information");
		return;
	}
	if (!(st->leaf_read & (1u << AMXSHIM_LEAF_1D_1))) {
		amx_line_put(l, "CPUID.(0x1D,0) reports no palette 1 (highest palette ");
		amx_line_dec(l, st->cpuid[AMXSHIM_LEAF_1D_0].eax);
		amx_line_put(l, "): tile instructions would fault");
		return;
	}
	amx_line_put(l, "palette 1 is ");
	amx_line_dec(l, p->eax & 0xffff);
	amx_line_put(l, "/");
	amx_line_dec(l, p->eax >> 16);
	amx_line_put(l, "/");
	amx_line_dec(l, p->ebx & 0xffff);
	amx_line_put(l, "/");
	amx_line_dec(l, p->ebx >> 16);
	amx_line_put(l, "/");
	amx_line_dec(l, p->ecx & 0xffff);
	amx_line_put(l, " bytes total/per tile/per row, names, rows, TMUL K/N ");
	amx_line_dec(l, t->ebx & 0xff);
	amx_line_put(l, "/");
	amx_line_dec(l, (t->ebx >> 8) & 0xffff);
	amx_line_put(l, "; expected 8192/1024/64/8/16, 16/64");
}

static void describe_ok(struct amx_line *l, const struct amxshim_state *st)
{
	if (has_bit(st->perm, AMX_XTILEDATA)) {
		amx_line_put(l, "permission already held (ARCH_GET_XCOMP_PERM=");
		amx_line_hex(l, st->perm);
		amx_line_put(l, ")");
		return;
	}
	amx_line_put(l, "permission granted (ARCH_GET_XCOMP_PERM ");
	amx_line_hex(l, st->perm);
	amx_line_put(l, " -> ");
	amx_line_hex(l, st->perm_after);
	amx_line_put(l, ")");
	if (st->perm & ~st->perm_after)
		amx_line_put(l, "; the kernel overwrote the mask (Linux 5.16/5.17 bug), bit 18 tested alone");
}

static void describe(struct amx_line *l, const struct amxshim_state *st, unsigned features,
		     enum amxshim_reason reason, int err)
{
	switch (reason) {
	case AMXSHIM_OK:
		describe_ok(l, st);
		break;
	case AMXSHIM_DISABLED:
		amx_line_put(l, st->disabled == AMX_FLAG_UNRECOGNISED ? "AMXSHIM_DISABLE has an unrecognised value, treated as set"
					 : "AMXSHIM_DISABLE is set: no permission request made");
		break;
	case AMXSHIM_CPU:
		describe_cpu(l, st, features);
		break;
	case AMXSHIM_OSXSAVE:
		amx_line_put(l, "CPUID.1:ECX.OSXSAVE[27] is clear: the OS has not enabled XSAVE/XGETBV");
		break;
	case AMXSHIM_XCR0:
		amx_line_put(l, "XCR0=");
		amx_line_hex(l, st->xcr0);
		amx_line_put(l, " lacks XTILECFG/XTILEDATA (bits 17, 18): the OS has not enabled tile state");
		break;
	case AMXSHIM_XFD:
		amx_line_put(l, AMX_CPUID_BIT(st, AMXSHIM_LEAF_D_1, eax, 4)
			       ? "CPUID.(0xD,18):ECX[2] is clear: XTILEDATA cannot be XFD-armed"
			       : "CPUID.(0xD,1):EAX.XFD[4] is clear: no extended feature disable");
		amx_line_put(l, ", Linux will not enable AMX");
		break;
	case AMXSHIM_PALETTE:
		describe_palette(l, st);
		break;
	case AMXSHIM_NOT_REQUESTED:
		amx_line_put(l, "every layer agrees, but this process has not requested XTILEDATA (ARCH_GET_XCOMP_PERM=");
		amx_line_hex(l, st->perm);
		amx_line_put(l, ")");
		break;
	case AMXSHIM_KERNEL_UNSUPPORTED:
		if (!err) {
			amx_line_put(l, "ARCH_GET_XCOMP_SUPP=");
			amx_line_hex(l, st->supp);
			amx_line_put(l, " lacks bits 17, 18: the kernel has not enabled AMX");
			break;
		}
		/* fall through */
	case AMXSHIM_KERNEL_OLD:
	case AMXSHIM_DENIED:
	case AMXSHIM_ALTSTACK:
		if (!err) {
			amx_line_put(l, "ARCH_REQ_XCOMP_PERM succeeded but ARCH_GET_XCOMP_PERM=");
			amx_line_hex(l, st->perm_after);
			amx_line_put(l, " lacks bit 18");
			break;
		}
		amx_line_put(l, "arch_prctl(");
		amx_line_put(l, failed_call(st));
		amx_line_put(l, ") failed: ");
		put_errno(l, err);
		amx_line_put(l, reason == AMXSHIM_KERNEL_OLD ? " (Linux older than 5.16)"
		       : reason == AMXSHIM_ALTSTACK ? " (a thread's sigaltstack is smaller than the AMX signal frame)"
		       : reason == AMXSHIM_KERNEL_UNSUPPORTED ? " (the kernel did not enable AMX)"
							: " (refused, e.g. by a seccomp policy)");
		break;
	case AMXSHIM_REASON_COUNT:
		break;
	}
}

void amx_decide(struct amxshim_state *st, unsigned features)
{
	int err;
	enum amxshim_reason reason = amx_first_disagreement(st, features, &err);
	struct amx_line l;
	st->features = features;
	st->reason = reason;
	st->err = err;
	st->usable = reason == AMXSHIM_OK;
	amx_line_init(&l, st->detail, sizeof st->detail);
	describe(&l, st, features, reason, err);
}
