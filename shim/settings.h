/* SPDX-License-Identifier: MIT */
/* The shim's AMXSHIM_* variables, read once (settings.c). */
#ifndef AMXSHIM_SETTINGS_H
#define AMXSHIM_SETTINGS_H

enum shim_var { SHIM_DISABLE, SHIM_DEBUG, SHIM_STRICT, SHIM_ALTSTACK, SHIM_VAR_COUNT };

const char *shim_var_name(enum shim_var var); /* "AMXSHIM_DEBUG", ... */
/* The value as the process started with it, or NULL when unset or, in a secure-execution process, when
 * the variable is not honoured there (all but AMXSHIM_DISABLE). For start-up reports: the string may live
 * on the start-up stack, which a program may overwrite later. */
const char *shim_var_value(enum shim_var var);
int shim_debug_enabled(void);    /* AMXSHIM_DEBUG set */
int shim_strict_enabled(void);   /* AMXSHIM_STRICT set */
int shim_altstack_enabled(void); /* AMXSHIM_ALTSTACK not set to a recognised "off" word: on by default */
/* AMXSHIM_CHILD_PRELOAD (amxrun's) as the process started with it, or NULL; in every process. */
const char *shim_child_preload(void);
int shim_secure(void); /* a secure-execution process (AT_SECURE) */

#endif
