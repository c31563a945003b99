// SPDX-License-Identifier: MIT
/* compile-fail.sh: each BAD case must not compile; BAD=0 (a correct registry) must, with -Werror. */
#include <amxshim/resolver.h>

int f(int x);
/* clang-format off */
static int f_a(int x) { return x; }
static int f_b(int x) { return x + 1; }
static long f_wrong(long x) { return x; }
/* clang-format on */

#if BAD == 0
static const struct amxshim_variant v[] = { AMXSHIM_VARIANT_OF(f, f_a, AMXSHIM_TILE, 0),
					    AMXSHIM_VARIANT_OF(f, f_b, 0, 0) };
AMXSHIM_IFUNC(f, v)
#elif BAD == 1 /* a variant of another type */
static const struct amxshim_variant v[] = { AMXSHIM_VARIANT_OF(f, f_wrong, AMXSHIM_TILE, 0),
					    AMXSHIM_VARIANT_OF(f, f_b, 0, 0) };
AMXSHIM_IFUNC(f, v)
#elif BAD == 2 /* an empty registry */
static const struct amxshim_variant v[] = {};
AMXSHIM_IFUNC(f, v)
#elif BAD == 3 /* a pointer instead of the array */
static const struct amxshim_variant va[] = { AMXSHIM_VARIANT_OF(f, f_a, AMXSHIM_TILE, 0),
					     AMXSHIM_VARIANT_OF(f, f_b, 0, 0) };
static const struct amxshim_variant *const v = va;
AMXSHIM_IFUNC(f, v)
#elif BAD == 4 /* an array of something else */
static void (*const v[])(void) = { 0, 0, 0, 0, 0, 0, 0, 0 };
AMXSHIM_IFUNC(f, v)
#endif

#if BAD != 1
static long (*const keep)(long) = f_wrong;
long g(long x);
/* clang-format off */
long g(long x) { return keep(x); }
/* clang-format on */
#endif
