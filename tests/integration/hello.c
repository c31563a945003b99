// SPDX-License-Identifier: MIT
/* hello: an ordinary program for the shim to be loaded into. Its output proves main ran. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	printf("hello: main ran (%d args)\n", argc);
	fflush(stdout);
	fprintf(stderr, "hello: a line on stderr\n");
	return argc > 1 ? atoi(argv[1]) : 3;
}
