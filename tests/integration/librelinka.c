// SPDX-License-Identifier: MIT
/* librelinka: preloaded, exports an IFUNC whose resolver asks amxshim_usable() (glibc's "Relink ... for IFUNC symbol" case).
 * librelinkb.so calls it without listing this library in DT_NEEDED, so glibc relocates librelinkb first,
 * prints "Relink ... for IFUNC symbol", and runs this resolver before this library's own relocations:
 * its GOT (environ, __libc_stack_end) and its pointers in data are not usable yet. The variants are
 * returned by address (PC-relative), never from a table, for the same reason. */
#include <amxshim/resolver.h>

#define EXPORT __attribute__((visibility("default")))
#define PICK_AMX 1
#define PICK_FALLBACK 2

typedef int pick_fn(void);

static int pick_amx(void)
{
	return PICK_AMX;
}

static int pick_fallback(void)
{
	return PICK_FALLBACK;
}

__attribute__((used)) static pick_fn *relink_resolve(void)
{
	return amxshim_usable(AMXSHIM_TILE) ? pick_amx : pick_fallback;
}

EXPORT int relink_pick(void) __attribute__((ifunc("relink_resolve")));

/* After start-up: the reason the cached state (filled inside that early resolver) holds. */
EXPORT const char *relink_reason(void);
const char *relink_reason(void)
{
	struct amxshim_state st;
	amxshim_state(&st, AMXSHIM_TILE);
	return amxshim_reason_name((int)st.reason);
}
