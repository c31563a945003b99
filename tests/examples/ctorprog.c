// SPDX-License-Identifier: MIT
/* Prints what libctorlib's constructor got from its tile operation (1: the stored tile read back as zeros). */
#include <stdio.h>

extern int ctorlib_result;

int main(void)
{
	printf("constructor tile operation: %d\n", ctorlib_result);
	return ctorlib_result == 1 ? 0 : 1;
}
