// SPDX-License-Identifier: MIT
/* The dispatch benchmark's library: the same trivial function reached four ways. */
#include <amxshim/resolver.h>

/* The declaration carries the export: AMXSHIM_IFUNC defines the symbol with this type. */
__attribute__((visibility("default"))) int bench_ifunc(int x);
int bench_direct(int x);
int bench_checked(int x);
int (*bench_pointer(void))(int);

static int add_amx(int x)
{
	return x + 1;
}

static int add_portable(int x)
{
	return x + 1;
}

static const struct amxshim_variant add_variants[] = {
	AMXSHIM_VARIANT(add_amx, AMXSHIM_TILE, 0),
	AMXSHIM_VARIANT(add_portable, 0, 0),
};
AMXSHIM_IFUNC(bench_ifunc, add_variants)

__attribute__((visibility("default"), noinline)) int bench_direct(int x)
{
	return x + 1;
}

/* What a library without IFUNC does: a (cached) feature check on every call. */
__attribute__((visibility("default"), noinline)) int bench_checked(int x)
{
	return amxshim_usable(AMXSHIM_TILE) ? add_amx(x) : add_portable(x);
}

__attribute__((visibility("default"))) int (*bench_pointer(void))(int)
{
	return amxshim_usable(AMXSHIM_TILE) ? add_amx : add_portable;
}
