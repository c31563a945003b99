// SPDX-License-Identifier: MIT
/* ctorthreads: its DT_NEEDED library started threads in a constructor; main joins them. */
#include <stdio.h>

int ctorthreads_join(unsigned long *out, int max);

int main(void)
{
	unsigned long r[8];
	int n = ctorthreads_join(r, 8);
	for (int i = 0; i < n; i++)
		printf("ctor thread %d: %lu\n", i, r[i]);
	fprintf(stderr, "ctorthreads: %d threads from the constructor\n", n);
	return n == 4 ? 0 : 1;
}
