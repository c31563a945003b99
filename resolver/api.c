// SPDX-License-Identifier: MIT
/* The public entry points and the process-wide snapshot of the AMX inputs. Every state is filled by the
 * same loop (probe.c: amx_gather), from leaves read at most once (leaves.c); this file only chooses how much
 * to gather and which snapshot to start from. */
#include <errno.h>
#include "internal.h"

/* A fresh state gathered `how` (see internal.h): nothing read, no kernel call made. */
static void fill(struct amxshim_state *st, unsigned features, unsigned how)
{
	amx_memzero(st, sizeof *st);
	st->supp_err = st->perm_err = st->req_err = st->perm_after_err = AMX_CALL_NOT_MADE;
	st->disabled = (int)amx_flag_value(amx_startenv_get("AMXSHIM_DISABLE")); /* an enum amx_flag */
	amx_gather(st, features, how);
}

/* The snapshot: one state machine, checkable in one sitting (the leaves' own is simpler: leaves.c).
 *   EMPTY --claim--> BUSY --publish--> PROBED --claim--> BUSY --publish--> FINAL
 *                                         ^---------- ENOSPC: publish ---------'
 * `probed` (the classic inputs, no request made) and `requested` (a copy plus the request's lasting outcome)
 * are each written only by the caller holding BUSY, before it publishes, and never after: a reader that saw
 * PROBED may still be reading `probed` while another caller builds `requested`. A caller that finds BUSY
 * gathers privately into its own state: nobody waits. No allocation: both are static. */
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

void amx_caches_reset(void)
{
	cache_stage = CACHE_EMPTY;
	amx_leaves_forget();
}

/* Not a struct assignment: that would become a memcpy call, which resolvers may not make. */
static void copy_state(struct amxshim_state *dst, const struct amxshim_state *src)
{
	amx_copy(dst, src, sizeof *dst);
}

/* A leaf-1EH.1 flag: the snapshot (filled without a request if empty) plus those leaves, gathered into
 * `scratch`, with a request when every layer agrees for `features`; that request is not cached (rare: the
 * next classic caller asks again, which is harmless). */
static const struct amxshim_state *next_state(unsigned features, struct amxshim_state *scratch, int stage)
{
	if (stage == CACHE_EMPTY && claim(CACHE_EMPTY)) {
		fill(&probed, AMXSHIM_TILE, 0);
		publish(CACHE_PROBED);
		stage = CACHE_PROBED;
	}
	if (stage == CACHE_FINAL || stage == CACHE_PROBED) {
		copy_state(scratch, stage == CACHE_FINAL ? &requested : &probed);
		amx_gather(scratch, features, AMX_GATHER_REQUEST);
	} else {
		fill(scratch, features, AMX_GATHER_REQUEST);
	}
	return scratch;
}

/* The state to decide `features` from, requesting permission when every other layer agrees: a published
 * snapshot, or `scratch` when another caller holds the snapshot. */
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
		fill(&probed, features, 0);
	} else if (stage != CACHE_PROBED || !claim(CACHE_PROBED)) {
		fill(scratch, features, AMX_GATHER_REQUEST);
		return scratch;
	}
	/* We hold BUSY. Ask the kernel only if every other layer agrees for these features, so a caller
	 * asking for a feature this CPU lacks never changes the process's permissions. */
	if (!needs_request(&probed, features)) {
		publish(CACHE_PROBED);
		return &probed;
	}
	copy_state(scratch, &probed);
	amx_gather(scratch, features, AMX_GATHER_REQUEST);
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

/* The caller's copy of `src` (unless it is already theirs), with what its detail line needs (a snapshot
 * gathered only to decide may lack leaf 0), decided for `features`. */
static int answer(struct amxshim_state *state, const struct amxshim_state *src, unsigned features)
{
	if (src != state)
		copy_state(state, src);
	amx_gather(state, features, AMX_GATHER_EXPLAIN);
	amx_decide(state, features);
	return state->usable;
}

int amxshim_state(struct amxshim_state *state, unsigned features)
{
	return answer(state, cached_state(features, state), features);
}

int amxshim_probe(struct amxshim_state *state, unsigned features, unsigned flags)
{
	unsigned how = AMX_GATHER_ALL | AMX_GATHER_EXPLAIN;
	if (flags & AMXSHIM_PROBE_REQUEST)
		how |= AMX_GATHER_REQUEST;
	if (flags & AMXSHIM_PROBE_READ_KERNEL)
		how |= AMX_GATHER_KERNEL;
	fill(state, features, how);
	amx_decide(state, features);
	return state->usable;
}

/* amxshim_peek(): the same snapshot, but a caller that finds it empty publishes it without a request, and
 * nobody here ever makes one. */
int amxshim_peek(struct amxshim_state *state, unsigned features)
{
	const struct amxshim_state *src = state;
	int stage = __atomic_load_n(&cache_stage, __ATOMIC_ACQUIRE);
	if (stage == CACHE_EMPTY && claim(CACHE_EMPTY)) {
		fill(&probed, AMXSHIM_TILE, 0);
		publish(CACHE_PROBED);
		stage = CACHE_PROBED;
	}
	if (stage == CACHE_FINAL)
		src = &requested;
	else if (stage == CACHE_PROBED)
		src = &probed;
	else
		fill(state, features, 0);
	return answer(state, src, features);
}
