// SPDX-License-Identifier: MIT
/* asan-prog: built with -fsanitize=address (dynamic runtime, gcc's default). Prints a line from a heap
 * buffer; with an argument it writes out of bounds there, which ASan must still catch under amxrun. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char *p = malloc(8);
	if (!p)
		return 2;
	strcpy(p, "asan ok");
	if (argc > 1)
		p[atoi(argv[1])] = 'x';
	puts(p);
	free(p);
	return 0;
}
