// SPDX-License-Identifier: MIT
/* librelinkb: uses librelinka's IFUNC without linking librelinka (no DT_NEEDED): see librelinka.c. The
 * data pointer makes ld.so resolve the IFUNC while it relocates this library. */
#define EXPORT __attribute__((visibility("default")))

int relink_pick(void);

int (*const relink_pick_ptr)(void) = relink_pick;

EXPORT int relink_b(void);
int relink_b(void)
{
	return relink_pick_ptr();
}
