// SPDX-License-Identifier: MIT
/* Prints "NAME INDEX CALLED": the entry AMXSHIM_BOUND names, its index in the registry, and the index the
 * bound function itself returns (they must agree). Linked with use.c, as a program or against a library. */
#include <stdio.h>

int which(int x);
const char *which_bound(void);
int which_bound_index(void);

int main(void)
{
	const char *name = which_bound();
	int index = which_bound_index();
	printf("%s %d %d\n", name, index, which(0));
	return 0;
}
