// SPDX-License-Identifier: MIT
/* Reads the inputs of a state. amx_probe_cpu() reads every CPU input, the max basic leaf first: above it
 * Intel CPUs return the highest leaf's data instead of zeros, which would fake AMX geometry on an older
 * CPU. amx_probe_minimal() is the path every process under the shim takes: in a VM each CPUID is a VM exit
 * (docs/BENCHMARKS.md), so it reads only the leaves no other layer vouches for (see there), and falls
 * back to reading everything whenever any layer disagrees. */
#include "internal.h"

static void read_leaf(struct amxshim_state *st, enum amxshim_leaf slot, uint32_t leaf, uint32_t sub)
{
	if (st->leaf_read & AMX_LEAF_BIT(slot))
		return; /* already read by the minimal path: CPUID is too dear to repeat */
	amx_platform_cpuid(leaf, sub, &st->cpuid[slot]);
	st->leaf_read |= AMX_LEAF_BIT(slot);
}

static void forget(struct amxshim_state *st, enum amxshim_leaf slot)
{
	amx_memzero(&st->cpuid[slot], sizeof st->cpuid[slot]);
	st->leaf_read &= ~AMX_LEAF_BIT(slot);
}

/* A CPU without AMX-TILE stops after two leaves unless the caller wants every input (`all`). */
void amx_probe_cpu(struct amxshim_state *st, int all)
{
	st->leaf_read &= ~AMX_LEAF_VOUCHED_ALL; /* everything below is read, nothing taken on trust */
	read_leaf(st, AMXSHIM_LEAF_0, 0, 0);
	uint32_t max = st->cpuid[AMXSHIM_LEAF_0].eax;
	if (max >= 7) {
		read_leaf(st, AMXSHIM_LEAF_7_0, 7, 0);
	} else { /* the minimal path read leaf 7 above the max leaf: another leaf's data on Intel */
		forget(st, AMXSHIM_LEAF_7_0);
		forget(st, AMXSHIM_LEAF_7_1);
	}
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
	} else {
		forget(st, AMXSHIM_LEAF_1D_0); /* likewise: not a palette */
	}
	if (max >= 0x1e)
		read_leaf(st, AMXSHIM_LEAF_1E_0, 0x1e, 0);
	/* XGETBV faults unless the OS set CR4.OSXSAVE, which CPUID.1:ECX[27] mirrors. */
	if (!st->xcr0_read && AMX_CPUID_BIT(st, AMXSHIM_LEAF_1, ecx, 27)) {
		st->xcr0 = amx_platform_xgetbv0();
		st->xcr0_read = 1;
	}
	st->cpu_features = amx_cpu_features(st);
}

/* The leaf-1EH.1 flags of the ISA table (AMX-FP8 EAX[4], AMX-AVX512 EAX[7], AMX-MOVRS EAX[8]). */
#define NEXT_ROW_(id, name, leaf, sub, reg, bit, st) \
	| (leaf == 0x1e && sub == 1 ? (uint32_t)ISA_FEATURE_FLAG(id, st) : 0u)
#define NEXT_BIT_(id, name, leaf, sub, reg, bit, st)                                   \
	| ((leaf == 0x1e && sub == 1 && ISA_##st == ISA_LIVE && ((r.eax >> bit) & 1u)) \
		   ? (uint32_t)ISA_FEATURE_FLAG(id, st)                                \
		   : 0u)
_Static_assert((0u ISA_FEATURES(NEXT_ROW_)) == AMX_NEXT_FEATURES, "leaf 1EH.1 rows and AMX_NEXT_FEATURES");

/* Read only when a caller asks for one of these flags, so the classic path keeps its CPUID count.
 * Leaf 1EH.1 exists when the max basic leaf >= 1EH and 1EH.0:EAX (the highest subleaf) >= 1 (Intel's
 * amx_detection sample; KVM reads 1EH.1 only then; stricter than LLVM's Host.cpp, which checks the max
 * leaf alone). AMX-AVX512 also needs AVX10 version >= 2 (7.1:EDX[19], then 24H.0:EBX[7:0]): clang-22
 * and GCC tie -mamx-avx512 to AVX10.2 and Bochs refuses the one without the other. */
void amx_probe_next(struct amxshim_state *st)
{
	struct amxshim_cpuid r, v;

	read_leaf(st, AMXSHIM_LEAF_0, 0, 0);
	uint32_t max = st->cpuid[AMXSHIM_LEAF_0].eax;
	if (max < 0x1e)
		return;
	read_leaf(st, AMXSHIM_LEAF_1E_0, 0x1e, 0);
	if (st->cpuid[AMXSHIM_LEAF_1E_0].eax < 1)
		return;
	amx_platform_cpuid(0x1e, 1, &r);
	st->leaf_read |= AMX_READ_1E_1;
	uint32_t have = 0u ISA_FEATURES(NEXT_BIT_);
	if (have & AMXSHIM_AVX512) {
		int avx10_2 = 0;
		read_leaf(st, AMXSHIM_LEAF_7_0, 7, 0);
		if (st->cpuid[AMXSHIM_LEAF_7_0].eax >= 1)
			read_leaf(st, AMXSHIM_LEAF_7_1, 7, 1);
		if (AMX_CPUID_BIT(st, AMXSHIM_LEAF_7_1, edx, 19) && max >= ISA_AVX10_LEAF) {
			amx_platform_cpuid(ISA_AVX10_LEAF, 0, &v);
			st->leaf_read |= AMX_READ_24_0;
			avx10_2 = (v.ebx & 0xff) >= ISA_AVX10_MIN_VERSION_AMX_AVX512;
		}
		if (!avx10_2) {
			have &= ~AMXSHIM_AVX512;
			st->leaf_read |= AMX_AVX512_NO_AVX10_2;
		}
	}
	st->cpu_features |= have;
}

static int get_mask(int code, uint64_t *mask)
{
	uint64_t value = 0;
	long ret = amx_platform_arch_prctl(code, (unsigned long)&value);
	*mask = ret == 0 ? value : 0;
	return ret == 0 ? AMX_CALL_OK : (int)-ret;
}

void amx_probe_kernel(struct amxshim_state *st)
{
	st->supp_err = get_mask(AMX_ARCH_GET_XCOMP_SUPP, &st->supp);
	st->perm_err = get_mask(AMX_ARCH_GET_XCOMP_PERM, &st->perm);
}

/* The cheap path, in the order that keeps every earlier rule: CPUID.(7,0) AMX-TILE, then OSXSAVE (XGETBV
 * would #UD without it), then XCR0 bits 17+18 (XGETBV is not among the instructions that exit to a VMX
 * hypervisor: SDM vol. 3C, "Instructions That Cause VM Exits"); only then the kernel's GET masks. With ARCH_GET_XCOMP_SUPP
 * holding 17+18 the leaves below are vouched for instead of read (sources: arch/x86/kernel/fpu/xstate.c as
 * of 5.16 and of mainline 6.17+; ARCH_GET_XCOMP_SUPP itself exists only since 5.16, EINVAL before):
 *  - 0xD.0 EAX[17,18] and leaf 0: fpu__init_system_xstate() takes max_features from CPUID.(0xD,0) and
 *    fpu__init_cpu_xstate() loads XCR0 with fpu_user_cfg.max_features (XSETBV #GPs on bits that leaf
 *    lacks), so XCR0 bits 17+18 imply them; leaf 0xD is read only when cpuid_level >= 0xD, so leaf 7 is
 *    in range and genuine.
 *  - 0xD.1 EAX[4] (XFD): fpu__init_system_xstate() drops XFEATURE_MASK_USER_DYNAMIC (XTILEDATA) unless
 *    X86_FEATURE_XFD, and SUPP reports fpu_user_cfg.max_features. 0xD.18 ECX[2] is read by no kernel
 *    (xstate_flags keeps ECX bits 0-1); the kernel arms IA32_XFD bit 18 on every CPU regardless.
 *  - 0x1D.1 and 0x1E.0 (palette 1 geometry, TMUL K/N): NOT vouched: check_xtile_data_against_struct()
 *    compares bytes per tile and tile count with the xstate size but its result is ignored (5.16 through
 *    mainline). Skipped because every AMX CPU recorded and QEMU's table report the same values, KVM
 *    passes the host's through, and a VMM that invents others is what amxinfo --verify catches by
 *    executing tiles of that geometry; amxshim_probe() still checks them.
 *  - 0x1D.0 (the highest palette) IS read: VMs with zero palettes exist (oneDNN #5689) and Linux accepts
 *    them, since the same ignored check is the only one.
 * Anything unexpected (a bit clear, SUPP lacking 17+18, an errno) reads every leaf, so a "no" names the
 * first disagreeing layer exactly as amxshim_probe() would. */
void amx_probe_minimal(struct amxshim_state *st)
{
	read_leaf(st, AMXSHIM_LEAF_7_0, 7, 0);
	if (!AMX_CPUID_BIT(st, AMXSHIM_LEAF_7_0, edx, 24))
		goto full; /* no AMX-TILE: leaf 0 names why, nothing else is read (two CPUIDs) */
	read_leaf(st, AMXSHIM_LEAF_1, 1, 0);
	if (!AMX_CPUID_BIT(st, AMXSHIM_LEAF_1, ecx, 27))
		goto full;
	st->xcr0 = amx_platform_xgetbv0();
	st->xcr0_read = 1;
	if ((st->xcr0 & AMX_XTILE_MASK) != AMX_XTILE_MASK)
		goto full;
	amx_probe_kernel(st);
	if (st->supp_err || (st->supp & AMX_XTILE_MASK) != AMX_XTILE_MASK)
		goto full;
	if (st->cpuid[AMXSHIM_LEAF_7_0].eax >= 1) /* max subleaf of leaf 7 */
		read_leaf(st, AMXSHIM_LEAF_7_1, 7, 1);
	read_leaf(st, AMXSHIM_LEAF_1D_0, 0x1d, 0);
	/* Accepted only in its architectural form (reserved EBX..EDX zero): a leaf above the max basic leaf
	 * returns another leaf's data on Intel, and none of leaves 0xD..0x1C looks like this. */
	const struct amxshim_cpuid *p = &st->cpuid[AMXSHIM_LEAF_1D_0];
	if (p->eax < 1 || p->ebx || p->ecx || p->edx)
		goto full;
	st->leaf_read |= AMX_LEAF_VOUCHED(AMXSHIM_LEAF_0) | AMX_LEAF_VOUCHED(AMXSHIM_LEAF_D_0) |
			 AMX_LEAF_VOUCHED(AMXSHIM_LEAF_D_1) | AMX_LEAF_VOUCHED(AMXSHIM_LEAF_D_18) |
			 AMX_LEAF_VOUCHED(AMXSHIM_LEAF_1D_1) | AMX_LEAF_VOUCHED(AMXSHIM_LEAF_1E_0);
	st->cpu_features = amx_cpu_features(st);
	return;
full:
	amx_probe_cpu(st, 0);
	/* The kernel is read (if not yet) only when the CPU layers agree: sandboxes that kill on arch_prctl
	 * and non-AMX machines stay untouched. */
	if (st->supp_err == AMX_CALL_NOT_MADE && amx_first_disagreement(st, AMXSHIM_TILE) == AMXSHIM_NOT_REQUESTED)
		amx_probe_kernel(st);
}

/* GET was done by amx_probe_kernel(); this is REQ, then GET again to see what the kernel granted. */
void amx_request_permission(struct amxshim_state *st)
{
	long ret = amx_platform_arch_prctl(AMX_ARCH_REQ_XCOMP_PERM, AMX_XTILEDATA);
	st->req_err = ret == 0 ? AMX_CALL_OK : (int)-ret;
	if (ret == 0)
		st->perm_after_err = get_mask(AMX_ARCH_GET_XCOMP_PERM, &st->perm_after);
}
