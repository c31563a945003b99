// SPDX-License-Identifier: MIT
/* The public entry points and the cache. The cache is filled by whichever caller wins a compare-and-swap;
 * a caller that finds it busy probes privately into its own stack copy, so two first callers racing
 * after dlopen both get a correct answer and nobody waits or writes shared memory unsynchronised. */
#include <errno.h>
#include "internal.h"

static void add_next(struct amxshim_state *st);

/* `minimal`: read only what the decision needs (the cache, which every process under the shim fills;
 * CPUID traps to the hypervisor in VMs; docs/BENCHMARKS.md has its cost): at most four
 * CPUIDs on an AMX machine (amx_probe_minimal). Otherwise read every CPU input (amxshim_probe, whose
 * callers want to see them). */
static void fill(struct amxshim_state *st, unsigned features, unsigned flags, int minimal)
{
	amx_memzero(st, sizeof *st);
	st->supp_err = st->perm_err = st->req_err = st->perm_after_err = AMX_CALL_NOT_MADE;
	st->disabled = (int)amx_flag_value(amx_startenv_get("AMXSHIM_DISABLE")); /* an enum amx_flag */
	/* "disabled" is the first layer: nothing else needs reading. */
	if (st->disabled && minimal)
		return;
	if (minimal) {
		amx_probe_minimal(st); /* reads the kernel's GET masks itself when the CPU layers agree */
		if (features & AMX_NEXT_FEATURES)
			add_next(st);
		if ((flags & AMXSHIM_PROBE_REQUEST) && amx_first_disagreement(st, features) == AMXSHIM_NOT_REQUESTED)
			amx_request_permission(st);
		return;
	}
	amx_probe_cpu(st, 1);
	if (features & AMX_NEXT_FEATURES)
		amx_probe_next(st);
	/* With the kernel not yet read, "not-requested" means every CPU layer agrees. Disabled, or a CPU
	 * without usable AMX, means no arch_prctl at all unless a diagnostic tool asks to read. */
	int cpu_agrees = amx_first_disagreement(st, AMXSHIM_TILE) == AMXSHIM_NOT_REQUESTED;
	if (!cpu_agrees && !(flags & AMXSHIM_PROBE_READ_KERNEL))
		return;
	amx_probe_kernel(st);
	if ((flags & AMXSHIM_PROBE_REQUEST) && amx_first_disagreement(st, features) == AMXSHIM_NOT_REQUESTED)
		amx_request_permission(st);
}

/* Two snapshots, each written once by the caller holding CACHE_BUSY and never again after it is published:
 * `probed` (no request made) and `requested` (a copy of it plus the request's lasting outcome). A reader that saw PROBED
 * may still be reading `probed` while another caller builds `requested`. No allocation: both are static. */
enum { CACHE_EMPTY, CACHE_BUSY, CACHE_PROBED, CACHE_FINAL };
static int cache_stage;
static struct amxshim_state probed, requested;

static int needs_request(const struct amxshim_state *st, unsigned features)
{
	return amx_first_disagreement(st, features) == AMXSHIM_NOT_REQUESTED;
}

static int claim(int from)
{
	return __atomic_compare_exchange_n(&cache_stage, &from, CACHE_BUSY, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static void publish(int stage)
{
	__atomic_store_n(&cache_stage, stage, __ATOMIC_RELEASE);
}

/* Not a struct assignment: that would become a memcpy call, which resolvers may not make. */
static void copy_state(struct amxshim_state *dst, const struct amxshim_state *src)
{
	amx_copy(dst, src, sizeof *dst);
}

/* Leaves 1EH.1 and 24H (and what they need) never change: read once, by amx_probe_next() over an empty
 * state, then added to any snapshot here, so a leaf-1EH.1 flag costs its CPUIDs once per library and not
 * at every call. A caller that finds the read under way reads privately, as with the main cache. */
static int next_stage;
static struct amxshim_state next_leaves;

static void add_next(struct amxshim_state *st)
{
	struct amxshim_state own;
	const struct amxshim_state *src = &next_leaves;
	int from = CACHE_EMPTY;
	if (__atomic_load_n(&next_stage, __ATOMIC_ACQUIRE) != CACHE_FINAL) {
		if (__atomic_compare_exchange_n(&next_stage, &from, CACHE_BUSY, 0, __ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED)) {
			amx_memzero(&next_leaves, sizeof next_leaves);
			amx_probe_next(&next_leaves);
			__atomic_store_n(&next_stage, CACHE_FINAL, __ATOMIC_RELEASE);
		} else if (__atomic_load_n(&next_stage, __ATOMIC_ACQUIRE) != CACHE_FINAL) {
			amx_memzero(&own, sizeof own);
			amx_probe_next(&own);
			src = &own;
		}
	}
	for (unsigned slot = 0; slot < AMXSHIM_LEAF_COUNT; slot++)
		if ((src->leaf_read & AMX_LEAF_BIT(slot)) && !(st->leaf_read & AMX_LEAF_BIT(slot))) {
			amx_copy(&st->cpuid[slot], &src->cpuid[slot], sizeof st->cpuid[slot]);
			st->leaf_read |= AMX_LEAF_BIT(slot);
		}
	st->cpu_features |= src->cpu_features & AMX_NEXT_FEATURES;
	st->leaf_read |= src->leaf_read & (AMX_READ_1E_1 | AMX_READ_24_0 | AMX_AVX512_NO_AVX10_2);
}

/* The cache holds the classic inputs only. A leaf-1EH.1 flag takes the cached snapshot (filling it
 * without a request if empty), adds those leaves in `scratch`, and requests only if every layer agrees
 * for `features`; the request is not cached (rare: the next classic caller asks again, which is harmless). */
static const struct amxshim_state *next_state(unsigned features, struct amxshim_state *scratch, int stage)
{
	if (stage == CACHE_EMPTY && claim(CACHE_EMPTY)) {
		fill(&probed, AMXSHIM_TILE, 0, 1);
		publish(CACHE_PROBED);
		stage = CACHE_PROBED;
	}
	if (stage == CACHE_FINAL || stage == CACHE_PROBED) {
		copy_state(scratch, stage == CACHE_FINAL ? &requested : &probed);
		add_next(scratch);
		if (needs_request(scratch, features))
			amx_request_permission(scratch);
	} else {
		fill(scratch, features, AMXSHIM_PROBE_REQUEST, 1);
	}
	return scratch;
}

/* Returns the state to decide from: a published snapshot, or `scratch` when another caller is busy. */
static const struct amxshim_state *cached_state(unsigned features, struct amxshim_state *scratch)
{
	int stage = __atomic_load_n(&cache_stage, __ATOMIC_ACQUIRE);
	if (features & AMX_NEXT_FEATURES)
		return next_state(features, scratch, stage);
	if (stage == CACHE_FINAL)
		return &requested;
	if (stage == CACHE_PROBED && !needs_request(&probed, features))
		return &probed;
	if (stage == CACHE_EMPTY && claim(CACHE_EMPTY)) {
		fill(&probed, features, 0, 1);
	} else if (stage != CACHE_PROBED || !claim(CACHE_PROBED)) {
		fill(scratch, features, AMXSHIM_PROBE_REQUEST, 1);
		return scratch;
	}
	/* We hold CACHE_BUSY. Ask the kernel only if every other layer agrees for these features, so a
	 * caller asking for a feature this CPU lacks never changes the process's permissions. */
	if (!needs_request(&probed, features)) {
		publish(CACHE_PROBED);
		return &probed;
	}
	copy_state(scratch, &probed);
	amx_request_permission(scratch);
	/* ENOSPC passes once the thread with the small sigaltstack changes it: ask again next time. */
	if (scratch->req_err == ENOSPC) {
		publish(CACHE_PROBED);
		return scratch;
	}
	copy_state(&requested, scratch);
	publish(CACHE_FINAL);
	return &requested;
}

int amxshim_usable(unsigned features)
{
	struct amxshim_state scratch;
	return amx_first_disagreement(cached_state(features, &scratch), features) == AMXSHIM_OK;
}

/* The caller's copy of `src` (unless it is already theirs), decided for `features`. */
static int answer(struct amxshim_state *state, const struct amxshim_state *src, unsigned features)
{
	if (src != state)
		copy_state(state, src);
	amx_decide(state, features);
	return state->usable;
}

int amxshim_state(struct amxshim_state *state, unsigned features)
{
	return answer(state, cached_state(features, state), features);
}

int amxshim_probe(struct amxshim_state *state, unsigned features, unsigned flags)
{
	fill(state, features, flags, 0);
	amx_decide(state, features);
	return state->usable;
}

/* amxshim_peek(): the same cache, but a caller that finds it empty publishes the probe without a request,
 * and nobody here ever makes one. */
int amxshim_peek(struct amxshim_state *state, unsigned features)
{
	const struct amxshim_state *src = state;
	int stage = __atomic_load_n(&cache_stage, __ATOMIC_ACQUIRE);
	if (features & AMX_NEXT_FEATURES) { /* the snapshot plus leaf 1EH.1: see next_state() */
		if (stage == CACHE_FINAL || stage == CACHE_PROBED) {
			copy_state(state, stage == CACHE_FINAL ? &requested : &probed);
			add_next(state);
		} else {
			fill(state, features, 0, 1);
		}
		return answer(state, state, features);
	}
	if (stage == CACHE_FINAL) {
		src = &requested;
	} else if (stage == CACHE_PROBED) {
		src = &probed;
	} else if (stage == CACHE_EMPTY && claim(CACHE_EMPTY)) {
		fill(&probed, features, 0, 1);
		publish(CACHE_PROBED);
		src = &probed;
	} else {
		fill(state, features, 0, 1);
	}
	return answer(state, src, features);
}

/* The CPUID leaves and XCR0 for other instruction sets, each read once: a slot is written only by the
 * caller that moved it EMPTY -> BUSY; everyone else reads the hardware privately until it is READY. */
enum { SLOT_EMPTY, SLOT_BUSY, SLOT_READY };
static const struct {
	uint32_t leaf, sub;
} leaf_ids[AMXSHIM_LEAF_COUNT] = {
	/* clang-format off */
	[AMXSHIM_LEAF_0] = { 0, 0 },        [AMXSHIM_LEAF_1] = { 1, 0 },
	[AMXSHIM_LEAF_7_0] = { 7, 0 },      [AMXSHIM_LEAF_7_1] = { 7, 1 },
	[AMXSHIM_LEAF_D_0] = { 0xd, 0 },    [AMXSHIM_LEAF_D_1] = { 0xd, 1 },
	/* clang-format on */
	[AMXSHIM_LEAF_D_18] = { 0xd, AMX_XTILEDATA },
	[AMXSHIM_LEAF_1D_0] = { 0x1d, 0 },
	[AMXSHIM_LEAF_1D_1] = { 0x1d, 1 },
	[AMXSHIM_LEAF_1E_0] = { 0x1e, 0 },
};
static struct amxshim_cpuid leaf_cache[AMXSHIM_LEAF_COUNT];
static unsigned char leaf_stage[AMXSHIM_LEAF_COUNT];
static uint64_t xcr0_cache;
static unsigned char xcr0_stage;

static int claim_slot(unsigned char *stage)
{
	unsigned char from = SLOT_EMPTY;
	return __atomic_compare_exchange_n(stage, &from, SLOT_BUSY, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static void cached_leaf(enum amxshim_leaf slot, struct amxshim_cpuid *out)
{
	if (__atomic_load_n(&leaf_stage[slot], __ATOMIC_ACQUIRE) == SLOT_READY) {
		const struct amxshim_cpuid *c = &leaf_cache[slot];
		out->eax = c->eax, out->ebx = c->ebx, out->ecx = c->ecx, out->edx = c->edx;
		return;
	}
	amx_platform_cpuid(leaf_ids[slot].leaf, leaf_ids[slot].sub, out);
	if (claim_slot(&leaf_stage[slot])) {
		leaf_cache[slot] = *out;
		__atomic_store_n(&leaf_stage[slot], SLOT_READY, __ATOMIC_RELEASE);
	}
}

int amxshim_cpuid_leaf(enum amxshim_leaf leaf, struct amxshim_cpuid *out)
{
	out->eax = out->ebx = out->ecx = out->edx = 0;
	if ((unsigned)leaf >= AMXSHIM_LEAF_COUNT)
		return 0;
	/* Above the max basic leaf Intel CPUs answer with the highest leaf's data: never read there. */
	struct amxshim_cpuid top;
	cached_leaf(AMXSHIM_LEAF_0, &top);
	if (leaf_ids[leaf].leaf > top.eax)
		return 0;
	if (leaf == AMXSHIM_LEAF_7_1 || leaf == AMXSHIM_LEAF_1D_1) {
		cached_leaf(leaf == AMXSHIM_LEAF_7_1 ? AMXSHIM_LEAF_7_0 : AMXSHIM_LEAF_1D_0, &top);
		if (top.eax < 1) /* the max subleaf */
			return 0;
	}
	cached_leaf(leaf, out);
	return 1;
}

int amxshim_xcr0(uint64_t *xcr0)
{
	struct amxshim_cpuid l1;
	*xcr0 = 0;
	if (__atomic_load_n(&xcr0_stage, __ATOMIC_ACQUIRE) == SLOT_READY) {
		*xcr0 = xcr0_cache;
		return 1;
	}
	/* XGETBV faults unless the OS set CR4.OSXSAVE, which CPUID.1:ECX[27] mirrors. */
	if (!amxshim_cpuid_leaf(AMXSHIM_LEAF_1, &l1) || !((l1.ecx >> 27) & 1))
		return 0;
	*xcr0 = amx_platform_xgetbv0();
	if (claim_slot(&xcr0_stage)) {
		xcr0_cache = *xcr0;
		__atomic_store_n(&xcr0_stage, SLOT_READY, __ATOMIC_RELEASE);
	}
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
