// SPDX-License-Identifier: MIT
/* The detail: one line that says why a decision (decide.c) came out as it did, with the values read.
 * Runs in resolvers like the decision, so it is built with the freestanding line builder, no libc. */
#include <errno.h>
#include "internal.h"

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
	if (amx_call_failed(st->supp_err))
		return "ARCH_GET_XCOMP_SUPP";
	if (amx_call_failed(st->perm_err))
		return "ARCH_GET_XCOMP_PERM";
	if (amx_call_failed(st->req_err))
		return "ARCH_REQ_XCOMP_PERM";
	return "ARCH_GET_XCOMP_PERM (after the request)";
}

static void describe_cpu(struct amx_line *l, const struct amxshim_state *st, unsigned features)
{
	uint32_t max = st->cpuid[AMXSHIM_LEAF_0].eax;
	if (max < 7 && !amx_vouched(st, AMXSHIM_LEAF_0)) {
		amx_line_put(l, "CPUID max basic leaf ");
		amx_line_hex(l, max);
		amx_line_put(l, " < 7: no AMX");
		return;
	}
	unsigned want = (features & AMXSHIM_ALL_FEATURES) | AMXSHIM_TILE;
	unsigned missing = want & ~st->cpu_features;
	if (missing) {
		amx_line_put(l, "CPUID lacks");
		for (unsigned flag = 1; flag & AMXSHIM_ALL_FEATURES; flag <<= 1) {
			if (missing & flag) {
				amx_line_put(l, " ");
				amx_line_put(l, amx_feature_name(flag));
			}
		}
		if ((missing & AMX_NEXT_FEATURES) && !(st->leaf_read & AMX_READ_1E_1))
			amx_line_put(l, " (no CPUID leaf 0x1E subleaf 1)");
		else if ((missing & AMXSHIM_AVX512) && (st->leaf_read & AMX_AVX512_NO_AVX10_2))
			amx_line_put(l, " (CPUID.(0x1E,1):EAX[7] is set, but AVX10.2 is not: AMX-AVX512 needs it)");
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
	if (!(st->leaf_read & AMX_LEAF_BIT(AMXSHIM_LEAF_1D_1))) {
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
	if (amx_has_bit(st->perm, AMX_XTILEDATA)) {
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

static void describe_xcr0(struct amx_line *l, const struct amxshim_state *st)
{
	amx_line_put(l, "XCR0=");
	amx_line_hex(l, st->xcr0);
	amx_line_put(l, (st->xcr0 & AMX_XTILE_MASK) != AMX_XTILE_MASK
				? " lacks XTILECFG/XTILEDATA (bits 17, 18): the OS has not enabled tile state"
				: " lacks AVX-512 state (bits 1, 2, 5, 6, 7): AMX-AVX512 writes ZMM registers");
}

static void describe_xfd(struct amx_line *l, const struct amxshim_state *st)
{
	amx_line_put(l, AMX_CPUID_BIT(st, AMXSHIM_LEAF_D_1, eax, 4)
				? "CPUID.(0xD,18):ECX[2] is clear: XTILEDATA cannot be XFD-armed"
				: "CPUID.(0xD,1):EAX.XFD[4] is clear: no extended feature disable");
	amx_line_put(l, ", Linux will not enable AMX");
}

/* A refusal at the kernel layer: the arch_prctl that failed and its errno, or (err 0) what it returned. */
static void describe_kernel(struct amx_line *l, const struct amxshim_state *st, enum amxshim_reason reason, int err)
{
	if (!err && reason == AMXSHIM_KERNEL_UNSUPPORTED) {
		amx_line_put(l, "ARCH_GET_XCOMP_SUPP=");
		amx_line_hex(l, st->supp);
		amx_line_put(l, " lacks bits 17, 18: the kernel has not enabled AMX");
		return;
	}
	if (!err) {
		amx_line_put(l, "ARCH_REQ_XCOMP_PERM succeeded but ARCH_GET_XCOMP_PERM=");
		amx_line_hex(l, st->perm_after);
		amx_line_put(l, " lacks bit 18");
		return;
	}
	amx_line_put(l, "arch_prctl(");
	amx_line_put(l, failed_call(st));
	amx_line_put(l, ") failed: ");
	put_errno(l, err);
	/* clang-format off */
	amx_line_put(l, reason == AMXSHIM_KERNEL_OLD ? " (Linux older than 5.16)"
	       : reason == AMXSHIM_ALTSTACK ? " (a thread's sigaltstack is smaller than the AMX signal frame)"
	       : reason == AMXSHIM_KERNEL_UNSUPPORTED ? " (the kernel did not enable AMX)"
						: " (refused, e.g. by a seccomp policy)");
	/* clang-format on */
}

void amx_describe(struct amx_line *l, const struct amxshim_state *st, unsigned features, enum amxshim_reason reason,
		  int err)
{
	switch (reason) {
	case AMXSHIM_OK: describe_ok(l, st); break;
	case AMXSHIM_DISABLED:
		amx_line_put(l, st->disabled == AMX_FLAG_UNRECOGNISED
					? "AMXSHIM_DISABLE has an unrecognised value, treated as set"
					: "AMXSHIM_DISABLE is set: no permission request made");
		break;
	case AMXSHIM_CPU: describe_cpu(l, st, features); break;
	case AMXSHIM_OSXSAVE:
		amx_line_put(l, "CPUID.1:ECX.OSXSAVE[27] is clear: the OS has not enabled XSAVE/XGETBV");
		break;
	case AMXSHIM_XCR0: describe_xcr0(l, st); break;
	case AMXSHIM_XFD: describe_xfd(l, st); break;
	case AMXSHIM_PALETTE: describe_palette(l, st); break;
	case AMXSHIM_NOT_REQUESTED:
		amx_line_put(l,
			     "every layer agrees, but this process has not requested XTILEDATA (ARCH_GET_XCOMP_PERM=");
		amx_line_hex(l, st->perm);
		amx_line_put(l, ")");
		break;
	case AMXSHIM_KERNEL_UNSUPPORTED:
	case AMXSHIM_KERNEL_OLD:
	case AMXSHIM_DENIED:
	case AMXSHIM_ALTSTACK: describe_kernel(l, st, reason, err); break;
	case AMXSHIM_REASON_COUNT: break;
	}
}
