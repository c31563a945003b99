// SPDX-License-Identifier: MIT
/* The public entry points and the cache. The cache is filled by whichever caller wins a compare-and-swap;
 * a caller that finds it busy probes privately into its own stack copy, so two first callers racing
 * after dlopen both get a correct answer and nobody waits or writes shared memory unsynchronised. */
#include <errno.h>
#include "internal.h"

/* `minimal`: read only what the decision needs (the cache, which every process under the shim fills;
 * CPUID traps to the hypervisor in VMs, about 6 us each on the Firecracker VM we measured): at most four
 * CPUIDs on an AMX machine (amx_probe_minimal). Otherwise read every CPU input (amxshim_probe, whose
 * callers want to see them). */
static void fill(struct amxshim_state *st, unsigned features, unsigned flags, int minimal)
{
	amx_memzero(st, sizeof *st);
	st->supp_err = st->perm_err = st->req_err = st->perm_after_err = -1;
	st->disabled = amx_flag_value(amx_startenv_get("AMXSHIM_DISABLE"));
	/* "disabled" is the first layer: nothing else needs reading. */
	if (st->disabled && minimal)
		return;
	int err;
	if (minimal) {
		amx_probe_minimal(st); /* reads the kernel's GET masks itself when the CPU layers agree */
		if ((flags & AMXSHIM_PROBE_REQUEST) && amx_first_disagreement(st, features, &err) == AMXSHIM_NOT_REQUESTED)
			amx_request_permission(st);
		return;
	}
	amx_probe_cpu(st, 1);
	/* With the kernel not yet read, "not-requested" means every CPU layer agrees. Disabled, or a CPU
	 * without usable AMX, means no arch_prctl at all unless a diagnostic tool asks to read. */
	int cpu_agrees = amx_first_disagreement(st, AMXSHIM_TILE, &err) == AMXSHIM_NOT_REQUESTED;
	if (!cpu_agrees && !(flags & AMXSHIM_PROBE_READ_KERNEL))
		return;
	amx_probe_kernel(st);
	if ((flags & AMXSHIM_PROBE_REQUEST) && amx_first_disagreement(st, features, &err) == AMXSHIM_NOT_REQUESTED)
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
	int err;
	return amx_first_disagreement(st, features, &err) == AMXSHIM_NOT_REQUESTED;
}

static int claim(int from)
{
	return __atomic_compare_exchange_n(&cache_stage, &from, CACHE_BUSY, 0, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static void publish(int stage)
{
	__atomic_store_n(&cache_stage, stage, __ATOMIC_RELEASE);
}

static void copy_state(struct amxshim_state *dst, const struct amxshim_state *src)
{
	/* volatile: a struct assignment would become a memcpy call, which resolvers may not make. */
	const unsigned char *s = (const unsigned char *)src;
	volatile unsigned char *d = (unsigned char *)dst;
	for (size_t i = 0; i < sizeof *dst; i++)
		d[i] = s[i];
}

/* Returns the state to decide from: a published snapshot, or `scratch` when another caller is busy. */
static const struct amxshim_state *cached_state(unsigned features, struct amxshim_state *scratch)
{
	int stage = __atomic_load_n(&cache_stage, __ATOMIC_ACQUIRE);
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
	int err;
	return amx_first_disagreement(cached_state(features, &scratch), features, &err) == AMXSHIM_OK;
}

int amxshim_state(struct amxshim_state *state, unsigned features)
{
	const struct amxshim_state *src = cached_state(features, state);
	if (src != state)
		copy_state(state, src);
	amx_decide(state, features);
	return state->usable;
}

int amxshim_probe(struct amxshim_state *state, unsigned features, unsigned flags)
{
	fill(state, features, flags, 0);
	amx_decide(state, features);
	return state->usable;
}
