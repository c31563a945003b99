// SPDX-License-Identifier: MIT
/* One row of the decision table, in a fresh process (the cache cannot be reset): the recorded CPU and kernel
 * come from AMXSHIM_FAKE_CPU/AMXSHIM_FAKE_KERNEL, the features from argv[1] (hex). Prints what a caller of
 * each entry point sees: amxshim_peek (never requests), amxshim_state (the cache; may request), then a fresh
 * amxshim_probe with AMXSHIM_PROBE_REQUEST. Read by decisions.sh, which keeps the table in the repo. */
#include <stdio.h>
#include <stdlib.h>
#include <amxshim/resolver.h>

static void show(const char *what, const struct amxshim_state *st)
{
	printf(" %s=%d/%s/%d \"%s\"", what, st->usable, amxshim_reason_name(st->reason), st->err, st->detail);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	unsigned features = (unsigned)strtoul(argv[1], NULL, 16);
	struct amxshim_state st;
	amxshim_peek(&st, features);
	show("peek", &st);
	amxshim_state(&st, features);
	show("state", &st);
	amxshim_probe(&st, features, AMXSHIM_PROBE_REQUEST);
	show("probe", &st);
	putchar('\n');
	return 0;
}
