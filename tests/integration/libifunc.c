// SPDX-License-Identifier: MIT
/* libifunc: a library that picks its kernel with an IFUNC resolver asking <amxshim/resolver.h>, linked
 * with the static libamxresolver.a. Built twice: -z lazy and -z now.
 *   amxsel()     exported IFUNC: bound through the caller's PLT (or dlsym)
 *   amxsel_ptr() calls a hidden IFUNC through a data pointer: an IRELATIVE relocation, so its resolver
 *                runs while ld.so relocates this library, before any constructor and before the shim's
 * The AMX variant executes a tile instruction, so choosing it without permission dies with SIGILL. */
#include <amxshim/resolver.h>
#include "tileop.h"

#define PICK_AMX 1
#define PICK_FALLBACK 2
#define PICK_BROKEN 3

typedef int kernel_fn(void);

static int kernel_amx(void)
{
	return tileop_zero_store() ? PICK_AMX : PICK_BROKEN;
}

static int kernel_fallback(void)
{
	return PICK_FALLBACK;
}

/* Runs inside ld.so's relocation: amxshim_usable() is hidden in this library, so the call is direct. */
/* (used: clang 14 does not count an ifunc attribute as a use.) */
__attribute__((used)) static kernel_fn *select_kernel(void)
{
	return amxshim_usable(AMXSHIM_TILE | AMXSHIM_INT8) ? kernel_amx : kernel_fallback;
}

__attribute__((visibility("default"))) int amxsel(void) __attribute__((ifunc("select_kernel")));
/* The hidden IFUNC is its resolver's own symbol, typed by .type: clang 14 makes a static
 * __attribute__((ifunc)) an exported GLOBAL IFUNC without an IRELATIVE relocation (as shim/shim.c). */
__attribute__((used)) static kernel_fn *amxsel_hidden(void) __asm__("amxsel_hidden");
static kernel_fn *amxsel_hidden(void)
{
	return select_kernel();
}
__asm__(".type amxsel_hidden, @gnu_indirect_function");

/* Not const, so the compiler cannot turn the indirect call back into a direct one. */
static kernel_fn *volatile amxsel_hidden_ptr = (kernel_fn *)(void (*)(void))amxsel_hidden;

__attribute__((visibility("default"))) int amxsel_ptr(void);
int amxsel_ptr(void)
{
	return amxsel_hidden_ptr();
}
