// SPDX-License-Identifier: MIT
/* Every AMXSHIM_* variable the shim acts on, read together on first use and never again: sigaltstack() may
 * ask from a signal handler while the program calls setenv(), and every answer must agree with the report.
 * AMXSHIM_DISABLE itself is decided by the resolver (api.c, also without the shim); it is read here for the
 * report only. Secure-execution (AT_SECURE) processes honour only AMXSHIM_DISABLE: no output, no forced
 * exit, the sigaltstack guard on. Called from constructors and sigaltstack(), never from a resolver; the
 * constructor reads them first unless another library's constructor calls sigaltstack() before it. */
#include <stdint.h>
#include <sys/auxv.h>
#include "../resolver/internal.h"
#include "libc.h"
#include "settings.h"

/* In enum shim_var order. */
static const char *const var_names[SHIM_VAR_COUNT] = {
	[SHIM_DISABLE] = "AMXSHIM_DISABLE",
	[SHIM_DEBUG] = "AMXSHIM_DEBUG",
	[SHIM_STRICT] = "AMXSHIM_STRICT",
	[SHIM_ALTSTACK] = "AMXSHIM_ALTSTACK",
};
#define PREFIX "AMXSHIM_"
#define PREFIX_LEN (sizeof PREFIX - 1)
#define CHILD_PRELOAD PREFIX "CHILD_PRELOAD"

/* Published once with a release store of `ready`; two first callers racing store the same values. The
 * answers are kept, not just the strings: a program may later overwrite the start-up stack the strings
 * live on (its process title), and the sigaltstack guard asks long after. */
static const char *values[SHIM_VAR_COUNT];  /* for the constructor's report only */
static unsigned char flags[SHIM_VAR_COUNT]; /* enum amx_flag */
static unsigned char altstack_off;
static const char *child_preload; /* amxrun's AMXSHIM_CHILD_PRELOAD, honoured in any process */
static int ready;

/* libc's environ, as amx_startenv_get() reads it once libc has set it (the same GOT slot). */
extern char **__environ __attribute__((weak));

/* `entry` is NAME=value with this name: its value, else NULL. */
static const char *value_of(const char *entry, const char *name)
{
	while (*name && *entry == *name) {
		entry++;
		name++;
	}
	return !*name && *entry == '=' ? entry + 1 : 0;
}

/* Every variable in one pass over environ, the first of each name as getenv() finds it: a process pays
 * for one walk of its environment, not one per variable. Before libc has set environ (or after
 * clearenv()) amx_startenv_get() knows where to look. */
static void read_environment(const char *found[SHIM_VAR_COUNT], const char **child)
{
	char **env = &__environ ? __environ : 0;
	if (!env) {
		for (int i = 0; i < SHIM_VAR_COUNT; i++)
			found[i] = amx_startenv_get(var_names[i]);
		*child = amx_startenv_get(CHILD_PRELOAD);
		return;
	}
	for (; *env; env++) {
		const char *e = *env, *v;
		if (*e != 'A') /* most entries: one comparison */
			continue;
		size_t n = 1;
		while (n < PREFIX_LEN && e[n] == PREFIX[n])
			n++;
		if (n < PREFIX_LEN)
			continue;
		for (int i = 0; i < SHIM_VAR_COUNT; i++)
			if (!found[i] && (v = value_of(e, var_names[i])))
				found[i] = v;
		if (!*child && (v = value_of(e, CHILD_PRELOAD)))
			*child = v;
	}
}

/* AT_SECURE, asked only when a variable that secure-execution processes ignore is set: getauxval is a
 * rare path's import (libc.h). Not found: secure, the safe answer. */
int shim_secure(void)
{
	static int secure; /* 0 not asked yet, 1 no, 2 yes */
	int s = __atomic_load_n(&secure, __ATOMIC_RELAXED);
	if (!s) {
		__typeof__(&getauxval) auxval = SHIM_LIBC(getauxval);
		s = auxval && !auxval(AT_SECURE) ? 1 : 2;
		__atomic_store_n(&secure, s, __ATOMIC_RELAXED);
	}
	return s == 2;
}

static void read_all(void)
{
	if (__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		return;
	const char *found[SHIM_VAR_COUNT] = { 0 }, *child = 0;
	read_environment(found, &child);
	int honoured = 1; /* all but AMXSHIM_DISABLE are ignored in secure-execution processes */
	for (int i = 0; i < SHIM_VAR_COUNT; i++)
		if (i != SHIM_DISABLE && found[i])
			honoured = !shim_secure();
	for (int i = 0; i < SHIM_VAR_COUNT; i++) {
		const char *v = honoured || i == SHIM_DISABLE ? found[i] : 0;
		__atomic_store_n(&values[i], v, __ATOMIC_RELAXED);
		__atomic_store_n(&flags[i], (unsigned char)amx_flag_value(v), __ATOMIC_RELAXED);
		/* The guard is on by default: off only when set to off/0/false/no (an empty value keeps it). */
		if (i == SHIM_ALTSTACK)
			__atomic_store_n(&altstack_off, v && *v && amx_flag_value(v) == AMX_FLAG_UNSET,
					 __ATOMIC_RELAXED);
	}
	__atomic_store_n(&child_preload, child, __ATOMIC_RELAXED);
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

const char *shim_child_preload(void)
{
	read_all();
	return __atomic_load_n(&child_preload, __ATOMIC_RELAXED);
}
