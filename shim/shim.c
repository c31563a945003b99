// SPDX-License-Identifier: MIT
/* libamxshim.so: requests AMX permission at relocation time, before any constructor and any thread.
 *
 * The request runs in the resolver of a hidden IFUNC that the shim references from data: ld.so applies
 * that IRELATIVE relocation while relocating the shim, and all IRELATIVE relocations of every object run
 * before the first constructor. The constructor only reports (AMXSHIM_DEBUG) or enforces (AMXSHIM_STRICT).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include "../resolver/internal.h"
#include "report.h"

#define STRICT_EXIT_STATUS 125

/* Runs inside the IRELATIVE resolver: only resolver code, which calls no libc. */
static void request_early(void)
{
	amx_stderr_remember();
	(void)amxshim_usable(AMXSHIM_TILE);
}

static void early_noop(void)
{
}

typedef void early_fn(void);

__attribute__((used)) static early_fn *early_resolve(void)
{
	request_early();
	return early_noop;
}

static void early_hook(void) __attribute__((ifunc("early_resolve")));

/* The data reference is what makes the linker emit the IRELATIVE relocation. */
__attribute__((used)) static early_fn *const early_hook_ref = early_hook;

static void report(const struct amxshim_state *st, int strict_exit)
{
	char line[320];
	int n = snprintf(line, sizeof line, "amxshim[%ld]: AMX %s: %s: %s%s\n", (long)getpid(),
			 st->usable ? "usable" : "not usable", amxshim_reason_name((int)st->reason), st->detail,
			 strict_exit ? " (AMXSHIM_STRICT: exit 125)" : "");
	if (n > (int)sizeof line - 1)
		n = (int)sizeof line - 1;
	if (n > 0)
		amx_stderr_write(line, (size_t)n);
}

__attribute__((constructor)) static void shim_report(void)
{
	/* In setuid/setgid processes only AMXSHIM_DISABLE is honoured: no output, no forced exit. */
	if (getauxval(AT_SECURE))
		return;
	int debug = amx_debug_enabled();
	int strict = amx_flag_value(amx_startenv_get("AMXSHIM_STRICT")) != 0;
	if (!debug && !strict)
		return;
	struct amxshim_state st;
	amxshim_state(&st, AMXSHIM_TILE);
	int strict_exit = strict && !st.usable;
	if (debug || strict_exit)
		report(&st, strict_exit);
	if (strict_exit)
		_exit(STRICT_EXIT_STATUS);
}
