// SPDX-License-Identifier: MIT
/* A static executable with an IFUNC bound through the static resolver: in static glibc programs the
 * IRELATIVE relocations run inside __libc_start_main, where __libc_stack_end does not point at argc. */
#include <stdio.h>
#include <amxshim/resolver.h>

int pick(void);

static int pick_amx(void)
{
	return 1;
}

static int pick_portable(void)
{
	return 0;
}

static const struct amxshim_variant pick_variants[] = {
	AMXSHIM_VARIANT(pick_amx, AMXSHIM_TILE, 0),
	AMXSHIM_VARIANT(pick_portable, 0, 0),
};
AMXSHIM_IFUNC(pick, pick_variants)

int main(void)
{
	struct amxshim_state st;
	amxshim_state(&st, AMXSHIM_TILE);
	printf("bound=%s reason=%s\n", pick() ? "amx" : "portable", amxshim_reason_name((int)st.reason));
	return 0;
}
