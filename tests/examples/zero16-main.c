// SPDX-License-Identifier: MIT
/* Drives the README's library example (zero16.c): prints "zeroed by VARIANT" and exits 0 when zero16x16()
 * cleared every element. Used by tests/examples/readme.sh and tests/build/consumers.sh. */
#include <stdio.h>

void zero16x16(float *c);
const char *zero16x16_impl(void);

int main(void)
{
	float c[16 * 16];
	for (int i = 0; i < 16 * 16; i++)
		c[i] = 1.0f;
	zero16x16(c);
	for (int i = 0; i < 16 * 16; i++)
		if (c[i] != 0.0f) {
			printf("c[%d] = %g, not zeroed\n", i, c[i]);
			return 1;
		}
	printf("zeroed by %s\n", zero16x16_impl());
	return 0;
}
