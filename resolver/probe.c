// SPDX-License-Identifier: MIT
/* Reads every input once into a state. The max basic leaf is checked first: above it Intel CPUs return the
 * highest leaf's data instead of zeros, which would fake AMX geometry on an older CPU. */
#include "internal.h"

static void read_leaf(struct amxshim_state *st, enum amxshim_leaf slot, uint32_t leaf, uint32_t sub)
{
	amx_platform_cpuid(leaf, sub, &st->cpuid[slot]);
	st->leaf_read |= 1u << slot;
}

/* A CPU without AMX-TILE stops after two leaves unless the caller wants every input (`all`). */
void amx_probe_cpu(struct amxshim_state *st, int all)
{
	read_leaf(st, AMXSHIM_LEAF_0, 0, 0);
	uint32_t max = st->cpuid[AMXSHIM_LEAF_0].eax;
	if (max >= 7)
		read_leaf(st, AMXSHIM_LEAF_7_0, 7, 0);
	if (!all && !AMX_CPUID_BIT(st, AMXSHIM_LEAF_7_0, edx, 24)) {
		st->cpu_features = amx_cpu_features(st);
		return;
	}
	if (max >= 1)
		read_leaf(st, AMXSHIM_LEAF_1, 1, 0);
	if (max >= 7 && st->cpuid[AMXSHIM_LEAF_7_0].eax >= 1) /* max subleaf of leaf 7 */
		read_leaf(st, AMXSHIM_LEAF_7_1, 7, 1);
	if (max >= 0xd) {
		read_leaf(st, AMXSHIM_LEAF_D_0, 0xd, 0);
		read_leaf(st, AMXSHIM_LEAF_D_1, 0xd, 1);
		read_leaf(st, AMXSHIM_LEAF_D_18, 0xd, AMX_XTILEDATA);
	}
	if (max >= 0x1d) {
		read_leaf(st, AMXSHIM_LEAF_1D_0, 0x1d, 0);
		if (st->cpuid[AMXSHIM_LEAF_1D_0].eax >= 1) /* highest palette */
			read_leaf(st, AMXSHIM_LEAF_1D_1, 0x1d, 1);
	}
	if (max >= 0x1e)
		read_leaf(st, AMXSHIM_LEAF_1E_0, 0x1e, 0);
	/* XGETBV faults unless the OS set CR4.OSXSAVE, which CPUID.1:ECX[27] mirrors. */
	if (AMX_CPUID_BIT(st, AMXSHIM_LEAF_1, ecx, 27)) {
		st->xcr0 = amx_platform_xgetbv0();
		st->xcr0_read = 1;
	}
	st->cpu_features = amx_cpu_features(st);
}

static int get_mask(int code, uint64_t *mask)
{
	uint64_t value = 0;
	long ret = amx_platform_arch_prctl(code, (unsigned long)&value);
	*mask = ret == 0 ? value : 0;
	return ret == 0 ? 0 : (int)-ret;
}

void amx_probe_kernel(struct amxshim_state *st)
{
	st->supp_err = get_mask(AMX_ARCH_GET_XCOMP_SUPP, &st->supp);
	st->perm_err = get_mask(AMX_ARCH_GET_XCOMP_PERM, &st->perm);
}

/* GET was done by amx_probe_kernel(); this is REQ, then GET again to see what the kernel granted. */
void amx_request_permission(struct amxshim_state *st)
{
	long ret = amx_platform_arch_prctl(AMX_ARCH_REQ_XCOMP_PERM, AMX_XTILEDATA);
	st->req_err = ret == 0 ? 0 : (int)-ret;
	if (ret == 0)
		st->perm_after_err = get_mask(AMX_ARCH_GET_XCOMP_PERM, &st->perm_after);
}
