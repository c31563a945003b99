// SPDX-License-Identifier: MIT
/* libamxshim.so: requests AMX permission at relocation time, before any constructor and any thread.
 *
 * The request runs in the resolver of a local IFUNC that the shim references from data: ld.so applies
 * that IRELATIVE relocation while relocating the shim, and all IRELATIVE relocations of every object run
 * before the first constructor. The constructor only reports (AMXSHIM_DEBUG) or enforces (AMXSHIM_STRICT).
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../resolver/internal.h"
#include "report.h"
#include "settings.h"

#define STRICT_EXIT_STATUS 125

/* Whether the early hook ran while ld.so started the program (libc not initialised yet), rather than in a
 * dlopen() later: AMXSHIM_STRICT means "before main" and must not exit a program that is already running. */
static int loaded_at_startup;

/* Runs inside the IRELATIVE resolver: only resolver code, which calls no libc. */
static void request_early(void)
{
	loaded_at_startup = !amx_libc_started();
	shim_stderr_remember();
	(void)amxshim_usable(AMXSHIM_TILE);
}

static void early_noop(void)
{
}

typedef void early_fn(void);

/* The early hook is the IFUNC symbol early_resolve itself, made an IFUNC by the .type directive below:
 * a local symbol, so no other object can interpose it and the data reference becomes an IRELATIVE
 * relocation. (__attribute__((ifunc)) on a static function gives a GLOBAL, DEFAULT IFUNC with clang 14,
 * which a program exporting the same name captures, and then the early request never runs.) */
__attribute__((used)) static early_fn *early_resolve(void) __asm__("early_resolve");
__attribute__((used)) static early_fn *early_resolve(void)
{
	request_early();
	return early_noop;
}
__asm__(".type early_resolve, @gnu_indirect_function");

/* The data reference is what makes the linker emit the IRELATIVE relocation. */
__attribute__((used)) static early_fn *(*const early_hook_ref)(void) = early_resolve;

/* The report line, built without overflowing: text past the end is dropped, the newline kept. */
struct line {
	char text[1024];
	size_t len;
};

__attribute__((format(printf, 2, 3))) static void put(struct line *l, const char *fmt, ...)
{
	size_t room = sizeof l->text - 1 - l->len; /* one byte kept for the newline */
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(l->text + l->len, room + 1, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->len += (size_t)n < room ? (size_t)n : room;
}

/* An unrecognised value of `name` (not one of the documented words): named, quoted, escaped, truncated. */
static void note_unrecognised(struct line *l, enum shim_var var, const char *detail)
{
	const char *name = shim_var_name(var);
	const char *v = shim_var_value(var);
	if (amx_flag_value(v) != AMX_FLAG_UNRECOGNISED)
		return;
	put(l, "; %s=\"", name);
	size_t i;
	for (i = 0; v[i] && i < 40; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			put(l, "%c", c);
		else
			put(l, "\\x%02x", c);
	}
	/* The decision's detail already says so for AMXSHIM_DISABLE: then only the value is added. */
	put(l, "%s\"%s", v[i] ? "..." : "", strstr(detail, name) ? "" : " is not a recognised value, treated as set");
}

static void report(const struct amxshim_state *st, const char *strict_note)
{
	struct line l = { .len = 0 };
	put(&l, "amxshim[%ld]: AMX %s: %s: %s", (long)getpid(), st->usable ? "usable" : "not usable",
	    amxshim_reason_name((int)st->reason), st->detail);
	for (int var = 0; var < SHIM_VAR_COUNT; var++)
		note_unrecognised(&l, (enum shim_var)var, st->detail);
	put(&l, "%s", strict_note);
	l.text[l.len++] = '\n';
	shim_stderr_write(l.text, l.len);
}

/* Loaded by dlopen() into the main namespace: stay loaded (RTLD_NODELETE). Threads may still hold the
 * sigaltstack guard's thread-exit destructor (a pthread key) and the kernel may still run handlers on its
 * substitute stacks; an unload would leak the key into code that is gone. Not `-z nodelete`: ld.so asserts
 * when it unloads an LD_AUDIT module (it rejects the shim there, having no la_version) that stays loaded. */
static void stay_loaded(void)
{
	Dl_info self;
	Lmid_t lmid;
	if (!dladdr((void *)stay_loaded, &self) || !self.dli_fname)
		return;
	void *h = dlopen(self.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
	if (!h)
		return;
	if (dlinfo(h, RTLD_DI_LMID, &lmid) == 0 && lmid == LM_ID_BASE) {
		void *pin = dlopen(self.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
		if (pin)
			dlclose(pin);
	}
	dlclose(h);
}

__attribute__((constructor)) static void shim_report(void)
{
	/* A preloaded shim is never unloaded: only a dlopen()ed one needs pinning. */
	if (!loaded_at_startup)
		stay_loaded();
	/* Both off in secure-execution processes (settings.c). */
	int debug = shim_debug_enabled();
	int strict = shim_strict_enabled();
	if (!debug && !strict)
		return;
	struct amxshim_state st;
	amxshim_state(&st, AMXSHIM_TILE);
	int strict_fails = strict && !st.usable;
	/* Loaded by dlopen() into a running program: exiting would lose its unflushed output and its work. */
	int strict_exit = strict_fails && loaded_at_startup;
	if (debug || strict_fails)
		report(&st, !strict_fails ? ""
			    : strict_exit ? " (AMXSHIM_STRICT: exit 125)"
					  : " (AMXSHIM_STRICT: loaded after start-up by dlopen, not exiting)");
	if (strict_exit)
		_exit(STRICT_EXIT_STATUS);
}
