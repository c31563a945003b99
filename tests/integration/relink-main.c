// SPDX-License-Identifier: MIT
/* relink-main: links librelinkb only; librelinka comes from LD_PRELOAD. Prints the pick made in the early
 * resolver and the reason librelinka's cached state holds. */
#include <dlfcn.h>
#include <stdio.h>

int relink_b(void);

int main(void)
{
	const char *(*reason)(void) = (const char *(*)(void))dlsym(RTLD_DEFAULT, "relink_reason");
	printf("pick=%d reason=%s\n", relink_b(), reason ? reason() : "(no librelinka)");
	return 0;
}
