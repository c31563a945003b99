// SPDX-License-Identifier: MIT
/* The inputs of a state, gathered in one direction: amx_next_input() is a pure function of the state that
 * names the next input the decision needs, amx_gather() reads it and asks again, until nothing is missing.
 * Nothing here decides; decide.c judges the state when the loop is done.
 *
 * What is read, in order (docs/AMX-FACTS.md "The cheap path" has the kernel sources behind each step):
 *  - the cheap path, which every process under the shim takes: CPUID.(7,0) AMX-TILE, leaf 1 OSXSAVE, XCR0
 *    bits 17+18, the kernel's GET masks, leaf 7.1 and the palette leaf 0x1D.0; then XCR0 and
 *    ARCH_GET_XCOMP_SUPP vouch for the leaves it skipped (AMX_IN_VOUCH);
 *  - the full read, every CPU input with the max basic leaf first, when the caller wants all (amxshim_probe)
 *    or when any step of the cheap path disagrees, so a "no" names the first disagreeing layer exactly as
 *    amxshim_probe() would. Deciding alone (amxshim_usable) stops at a clear AMX-TILE bit: "cpu" needs no
 *    more; the detail line also needs leaf 0 (AMX_GATHER_EXPLAIN);
 *  - then the leaf-1EH.1 features when asked for, then the request when asked for and every layer agrees. */
#include "internal.h"

static int has_leaf(const struct amxshim_state *st, unsigned slot)
{
	return (st->leaf_read & AMX_LEAF_BIT(slot)) != 0;
}

static struct amx_input leaf(unsigned slot)
{
	return (struct amx_input){ AMX_IN_LEAF, slot };
}

static struct amx_input step(enum amx_input_kind kind)
{
	return (struct amx_input){ kind, 0 };
}

/* 0x1D.0 in its architectural form (reserved EBX..EDX zero): above the max basic leaf Intel CPUs return
 * another leaf's data, and none of leaves 0xD..0x1C looks like this. */
static int palette_leaf_sane(const struct amxshim_state *st)
{
	const struct amxshim_cpuid *p = &st->cpuid[AMXSHIM_LEAF_1D_0];
	return p->eax >= 1 && !p->ebx && !p->ecx && !p->edx;
}

/* A step of the cheap path has disagreed (or the full read has begun: only it reads leaf 0 before the
 * cheap path has vouched for the rest). */
static int cheap_path_failed(const struct amxshim_state *st)
{
	if (st->leaf_read & AMX_LEAF_VOUCHED_ALL)
		return 0;
	return has_leaf(st, AMXSHIM_LEAF_0) ||
	       (has_leaf(st, AMXSHIM_LEAF_7_0) && !AMX_CPUID_BIT(st, AMXSHIM_LEAF_7_0, edx, 24)) ||
	       (has_leaf(st, AMXSHIM_LEAF_1) && !AMX_CPUID_BIT(st, AMXSHIM_LEAF_1, ecx, 27)) ||
	       (st->xcr0_read && (st->xcr0 & AMX_XTILE_MASK) != AMX_XTILE_MASK) ||
	       (st->supp_err != AMX_CALL_NOT_MADE &&
		(st->supp_err != AMX_CALL_OK || (st->supp & AMX_XTILE_MASK) != AMX_XTILE_MASK)) ||
	       (has_leaf(st, AMXSHIM_LEAF_1D_0) && !palette_leaf_sane(st));
}

static struct amx_input cheap_path(const struct amxshim_state *st)
{
	if (!has_leaf(st, AMXSHIM_LEAF_7_0))
		return leaf(AMXSHIM_LEAF_7_0);
	if (!has_leaf(st, AMXSHIM_LEAF_1))
		return leaf(AMXSHIM_LEAF_1);
	if (!st->xcr0_read)
		return step(AMX_IN_XCR0);
	if (st->supp_err == AMX_CALL_NOT_MADE)
		return step(AMX_IN_KERNEL);
	if (st->cpuid[AMXSHIM_LEAF_7_0].eax >= 1 && !has_leaf(st, AMXSHIM_LEAF_7_1)) /* max subleaf of leaf 7 */
		return leaf(AMXSHIM_LEAF_7_1);
	if (!has_leaf(st, AMXSHIM_LEAF_1D_0))
		return leaf(AMXSHIM_LEAF_1D_0);
	if (!(st->leaf_read & AMX_LEAF_VOUCHED_ALL))
		return step(AMX_IN_VOUCH);
	return step(AMX_IN_DONE);
}

/* Every CPU input (a CPU without AMX-TILE stops after two leaves unless `all`), then the kernel's GET masks
 * when the CPU layers agree or the caller asks to read them. */
static struct amx_input full_read(const struct amxshim_state *st, unsigned how)
{
	if (!has_leaf(st, AMXSHIM_LEAF_0))
		return leaf(AMXSHIM_LEAF_0);
	uint32_t max = st->cpuid[AMXSHIM_LEAF_0].eax;
	if (max >= 7 && !has_leaf(st, AMXSHIM_LEAF_7_0))
		return leaf(AMXSHIM_LEAF_7_0);
	if (max < 7 && (has_leaf(st, AMXSHIM_LEAF_7_0) || has_leaf(st, AMXSHIM_LEAF_7_1)))
		return step(AMX_IN_FORGET); /* read by the cheap path above the max leaf: another leaf's data */
	if (!(how & AMX_GATHER_ALL) && !AMX_CPUID_BIT(st, AMXSHIM_LEAF_7_0, edx, 24))
		return step(AMX_IN_DONE);
	if (max >= 1 && !has_leaf(st, AMXSHIM_LEAF_1))
		return leaf(AMXSHIM_LEAF_1);
	if (max >= 7 && st->cpuid[AMXSHIM_LEAF_7_0].eax >= 1 && !has_leaf(st, AMXSHIM_LEAF_7_1))
		return leaf(AMXSHIM_LEAF_7_1);
	static const unsigned char xsave_leaves[] = { AMXSHIM_LEAF_D_0, AMXSHIM_LEAF_D_1, AMXSHIM_LEAF_D_18 };
	for (unsigned i = 0; max >= 0xd && i < sizeof xsave_leaves; i++)
		if (!has_leaf(st, xsave_leaves[i]))
			return leaf(xsave_leaves[i]);
	if (max >= 0x1d && !has_leaf(st, AMXSHIM_LEAF_1D_0))
		return leaf(AMXSHIM_LEAF_1D_0);
	if (max < 0x1d && has_leaf(st, AMXSHIM_LEAF_1D_0))
		return step(AMX_IN_FORGET); /* likewise: not a palette */
	if (max >= 0x1d && st->cpuid[AMXSHIM_LEAF_1D_0].eax >= 1 && !has_leaf(st, AMXSHIM_LEAF_1D_1))
		return leaf(AMXSHIM_LEAF_1D_1); /* the highest palette is 1 or more */
	if (max >= 0x1e && !has_leaf(st, AMXSHIM_LEAF_1E_0))
		return leaf(AMXSHIM_LEAF_1E_0);
	/* XGETBV faults unless the OS set CR4.OSXSAVE, which CPUID.1:ECX[27] mirrors. */
	if (!st->xcr0_read && AMX_CPUID_BIT(st, AMXSHIM_LEAF_1, ecx, 27))
		return step(AMX_IN_XCR0);
	/* The kernel only when the CPU layers agree: sandboxes that kill on arch_prctl and machines without
	 * AMX stay untouched, unless a diagnostic tool asks to read it. */
	if (st->supp_err == AMX_CALL_NOT_MADE &&
	    ((how & AMX_GATHER_KERNEL) || amx_first_disagreement(st, AMXSHIM_TILE) == AMXSHIM_NOT_REQUESTED))
		return step(AMX_IN_KERNEL);
	return step(AMX_IN_DONE);
}

struct amx_input amx_next_input(const struct amxshim_state *st, unsigned features, unsigned how)
{
	/* "disabled" is the first layer: the cache reads nothing else (amxshim_probe reads the CPU anyway). */
	if (st->disabled && !(how & AMX_GATHER_ALL))
		return step(AMX_IN_DONE);
	struct amx_input in;
	if (how & AMX_GATHER_ALL)
		in = full_read(st, how);
	else if (!cheap_path_failed(st))
		in = cheap_path(st);
	else if (!(how & AMX_GATHER_EXPLAIN) && has_leaf(st, AMXSHIM_LEAF_7_0) && !has_leaf(st, AMXSHIM_LEAF_0) &&
		 !AMX_CPUID_BIT(st, AMXSHIM_LEAF_7_0, edx, 24))
		in = step(AMX_IN_DONE); /* no AMX-TILE decides "cpu"; only the detail line needs leaf 0 */
	else
		in = full_read(st, how);
	if (in.kind != AMX_IN_DONE)
		return in;
	if ((features & AMX_NEXT_FEATURES) && !(st->leaf_read & AMX_READ_NEXT))
		return step(AMX_IN_NEXT);
	if ((how & AMX_GATHER_REQUEST) && st->req_err == AMX_CALL_NOT_MADE &&
	    amx_first_disagreement(st, features) == AMXSHIM_NOT_REQUESTED)
		return step(AMX_IN_REQUEST);
	return step(AMX_IN_DONE);
}

/* ---- the readers: each reads exactly what its input names ---- */

static void read_leaf(struct amxshim_state *st, unsigned slot)
{
	if (has_leaf(st, slot))
		return;
	amx_leaf(slot, &st->cpuid[slot]);
	st->leaf_read |= AMX_LEAF_BIT(slot);
}

static void forget_disowned(struct amxshim_state *st)
{
	uint32_t max = st->cpuid[AMXSHIM_LEAF_0].eax;
	for (unsigned slot = 0; slot < AMXSHIM_LEAF_COUNT; slot++) {
		int disowned = (max < 7 && (slot == AMXSHIM_LEAF_7_0 || slot == AMXSHIM_LEAF_7_1)) ||
			       (max < 0x1d && slot == AMXSHIM_LEAF_1D_0);
		if (disowned) {
			amx_memzero(&st->cpuid[slot], sizeof st->cpuid[slot]);
			st->leaf_read &= ~AMX_LEAF_BIT(slot);
		}
	}
}

static int get_mask(int code, uint64_t *mask)
{
	uint64_t value = 0;
	long ret = amx_platform_arch_prctl(code, (unsigned long)&value);
	*mask = ret == 0 ? value : 0;
	return ret == 0 ? AMX_CALL_OK : (int)-ret;
}

static void read_kernel(struct amxshim_state *st)
{
	st->supp_err = get_mask(AMX_ARCH_GET_XCOMP_SUPP, &st->supp);
	st->perm_err = get_mask(AMX_ARCH_GET_XCOMP_PERM, &st->perm);
}

/* GET was read before; this is REQ, then GET again to see what the kernel granted. */
static void request(struct amxshim_state *st)
{
	long ret = amx_platform_arch_prctl(AMX_ARCH_REQ_XCOMP_PERM, AMX_XTILEDATA);
	st->req_err = ret == 0 ? AMX_CALL_OK : (int)-ret;
	if (ret == 0)
		st->perm_after_err = get_mask(AMX_ARCH_GET_XCOMP_PERM, &st->perm_after);
}

/* The leaf-1EH.1 flags of the ISA table (AMX-FP8 EAX[4], AMX-AVX512 EAX[7], AMX-MOVRS EAX[8]). */
#define NEXT_ROW_(id, name, leaf, sub, reg, bit, st) \
	| (leaf == 0x1e && sub == 1 ? (uint32_t)ISA_FEATURE_FLAG(id, st) : 0u)
#define NEXT_BIT_(id, name, leaf, sub, reg, bit, st)                                   \
	| ((leaf == 0x1e && sub == 1 && ISA_##st == ISA_LIVE && ((r.eax >> bit) & 1u)) \
		   ? (uint32_t)ISA_FEATURE_FLAG(id, st)                                \
		   : 0u)
_Static_assert((0u ISA_FEATURES(NEXT_ROW_)) == AMX_NEXT_FEATURES, "leaf 1EH.1 rows and AMX_NEXT_FEATURES");

/* Leaf 1EH.1 exists when the max basic leaf >= 1EH and 1EH.0:EAX (the highest subleaf) >= 1 (Intel's
 * amx_detection sample; KVM reads 1EH.1 only then; stricter than LLVM's Host.cpp, which checks the max
 * leaf alone). AMX-AVX512 also needs AVX10 version >= 2 (7.1:EDX[19], then 24H.0:EBX[7:0]): clang-22
 * and GCC tie -mamx-avx512 to AVX10.2 and Bochs refuses the one without the other. */
static void read_next(struct amxshim_state *st)
{
	struct amxshim_cpuid r, v;
	st->leaf_read |= AMX_READ_NEXT;
	read_leaf(st, AMXSHIM_LEAF_0);
	uint32_t max = st->cpuid[AMXSHIM_LEAF_0].eax;
	if (max < 0x1e)
		return;
	read_leaf(st, AMXSHIM_LEAF_1E_0);
	if (st->cpuid[AMXSHIM_LEAF_1E_0].eax < 1)
		return;
	amx_leaf(AMX_SLOT_1E_1, &r);
	st->leaf_read |= AMX_READ_1E_1;
	uint32_t have = 0u ISA_FEATURES(NEXT_BIT_);
	if (have & AMXSHIM_AVX512) {
		int avx10_2 = 0;
		read_leaf(st, AMXSHIM_LEAF_7_0);
		if (st->cpuid[AMXSHIM_LEAF_7_0].eax >= 1)
			read_leaf(st, AMXSHIM_LEAF_7_1);
		if (AMX_CPUID_BIT(st, AMXSHIM_LEAF_7_1, edx, 19) && max >= ISA_AVX10_LEAF) {
			amx_leaf(AMX_SLOT_24_0, &v);
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

static void read_input(struct amxshim_state *st, struct amx_input in)
{
	switch (in.kind) {
	case AMX_IN_LEAF: read_leaf(st, in.slot); break;
	case AMX_IN_FORGET: forget_disowned(st); break;
	case AMX_IN_XCR0:
		st->xcr0 = amx_xcr0();
		st->xcr0_read = 1;
		break;
	case AMX_IN_KERNEL: read_kernel(st); break;
	case AMX_IN_VOUCH:
		/* XCR0 bits 17+18 and SUPP vouch for leaf 0, 0xD.0/1/18 and the palette geometry (AMX-FACTS.md). */
		st->leaf_read |= AMX_LEAF_VOUCHED(AMXSHIM_LEAF_0) | AMX_LEAF_VOUCHED(AMXSHIM_LEAF_D_0) |
				 AMX_LEAF_VOUCHED(AMXSHIM_LEAF_D_1) | AMX_LEAF_VOUCHED(AMXSHIM_LEAF_D_18) |
				 AMX_LEAF_VOUCHED(AMXSHIM_LEAF_1D_1) | AMX_LEAF_VOUCHED(AMXSHIM_LEAF_1E_0);
		break;
	case AMX_IN_NEXT: read_next(st); break;
	case AMX_IN_REQUEST: request(st); break;
	case AMX_IN_DONE: break;
	}
	/* The CPU's AMX flags follow the leaves read so far; the leaf-1EH.1 ones are read_next()'s. */
	st->cpu_features = amx_cpu_features(st) | (st->cpu_features & AMX_NEXT_FEATURES);
}

void amx_gather(struct amxshim_state *st, unsigned features, unsigned how)
{
	for (struct amx_input in; (in = amx_next_input(st, features, how)).kind != AMX_IN_DONE;)
		read_input(st, in);
}
