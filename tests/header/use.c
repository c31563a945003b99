// SPDX-License-Identifier: MIT
/* Every macro and function of <amxshim/resolver.h> in one translation unit, compiled as C and as C++ under
 * each standard and warning set (hygiene.sh), and linked into libraries and executables (bound.sh,
 * instrumented.sh). Each variant returns its own index, so a caller can check that the function the
 * loader bound is the entry AMXSHIM_BOUND names. Link it with the resolver (or its fake). */
#include <amxshim/resolver.h>

#define API __attribute__((visibility("default")))

#ifdef __cplusplus
extern "C" {
#endif
API int which(int x);
API const char *which_bound(void);
API int which_bound_index(void);
#ifdef __cplusplus
}
#endif

/* clang-format off */
static int which_amx(int x) { return x + 0; }
static int which_avx2(int x) { return x + 1; }
static int which_c(int x) { return x + 2; }
/* clang-format on */

/* Runs inside the resolver: the header's context, and only resolver calls. */
AMXSHIM_RESOLVER_CONTEXT static int have_avx2(void)
{
	return amxshim_isa_usable(AMXSHIM_ISA_AVX2);
}

static const struct amxshim_variant which_variants[] = {
	AMXSHIM_VARIANT_OF(which, which_amx, AMXSHIM_TILE, 0),
	AMXSHIM_VARIANT_OF(which, which_avx2, 0, have_avx2),
	AMXSHIM_VARIANT(which_c, 0, 0),
};
AMXSHIM_IFUNC(which, which_variants)

const char *which_bound(void)
{
	return AMXSHIM_BOUND(which)->name;
}

int which_bound_index(void)
{
	return (int)(AMXSHIM_BOUND(which) - which_variants);
}
