// SPDX-License-Identifier: MIT
/* Every AMXSHIM_* variable the shim acts on, read together on first use and never again: sigaltstack() may
 * ask from a signal handler while the program calls setenv(), and every answer must agree with the report.
 * AMXSHIM_DISABLE itself is decided by the resolver (api.c, also without the shim); it is read here for the
 * report only. Secure-execution (AT_SECURE) processes honour only AMXSHIM_DISABLE: no output, no forced
 * exit, the sigaltstack guard on. Called from constructors and sigaltstack(), never from a resolver. */
#include <stdint.h>
#include <sys/auxv.h>
#include "../resolver/internal.h"
#include "settings.h"

/* In enum shim_var order. */
static const char *const var_names[SHIM_VAR_COUNT] = {
	[SHIM_DISABLE] = "AMXSHIM_DISABLE",
	[SHIM_DEBUG] = "AMXSHIM_DEBUG",
	[SHIM_STRICT] = "AMXSHIM_STRICT",
	[SHIM_ALTSTACK] = "AMXSHIM_ALTSTACK",
};

/* Published once with a release store of `ready`; two first callers racing store the same values. The
 * answers are kept, not just the strings: a program may later overwrite the start-up stack the strings
 * live on (its process title), and the sigaltstack guard asks long after. */
static const char *values[SHIM_VAR_COUNT];  /* for the constructor's report only */
static unsigned char flags[SHIM_VAR_COUNT]; /* enum amx_flag */
static unsigned char altstack_off;
static int ready;

static void read_all(void)
{
	if (__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		return;
	int secure = getauxval(AT_SECURE) != 0;
	for (int i = 0; i < SHIM_VAR_COUNT; i++) {
		const char *v = secure && i != SHIM_DISABLE ? 0 : amx_startenv_get(var_names[i]);
		__atomic_store_n(&values[i], v, __ATOMIC_RELAXED);
		__atomic_store_n(&flags[i], (unsigned char)amx_flag_value(v), __ATOMIC_RELAXED);
		/* The guard is on by default: off only when set to off/0/false/no (an empty value keeps it). */
		if (i == SHIM_ALTSTACK)
			__atomic_store_n(&altstack_off, v && *v && amx_flag_value(v) == AMX_FLAG_UNSET,
					 __ATOMIC_RELAXED);
	}
	__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
}

static enum amx_flag flag(enum shim_var var)
{
	read_all();
	return (enum amx_flag)__atomic_load_n(&flags[var], __ATOMIC_RELAXED);
}

const char *shim_var_name(enum shim_var var)
{
	return (unsigned)var < SHIM_VAR_COUNT ? var_names[var] : "?";
}

const char *shim_var_value(enum shim_var var)
{
	read_all();
	return (unsigned)var < SHIM_VAR_COUNT ? __atomic_load_n(&values[var], __ATOMIC_RELAXED) : 0;
}

int shim_debug_enabled(void)
{
	return flag(SHIM_DEBUG) != AMX_FLAG_UNSET;
}

int shim_strict_enabled(void)
{
	return flag(SHIM_STRICT) != AMX_FLAG_UNSET;
}

int shim_altstack_enabled(void)
{
	read_all();
	return !__atomic_load_n(&altstack_off, __ATOMIC_RELAXED);
}
