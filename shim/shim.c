// SPDX-License-Identifier: MIT
/* libamxshim.so: requests AMX permission at relocation time, before any constructor and any thread.
 *
 * The request runs in the resolver of a local IFUNC that the shim references from data: ld.so applies
 * that IRELATIVE relocation while relocating the shim, and all IRELATIVE relocations of every object run
 * before the first constructor. The constructor only reports (AMXSHIM_DEBUG) or enforces (AMXSHIM_STRICT).
 */
#include <dlfcn.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gnu/lib-names.h>
#include <sys/auxv.h>
#include "../resolver/internal.h"
#include "report.h"
#include "settings.h"

#define STRICT_EXIT_STATUS 125

/* Whether the early hook ran while ld.so started the program (libc not initialised yet), rather than in a
 * dlopen() later: AMXSHIM_STRICT means "before main" and must not exit a program that is already running.
 * The hook sees only its own namespace's libc, which a dlmopen() namespace initialises after relocation:
 * the constructor corrects it there (program_started()). */
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

/* ld.so's list of namespaces (glibc 2.35 and later: r_version 2 adds r_next). ld.so's data, so the one
 * process-wide view every copy of the shim shares; the constructor reads it under ld.so's load lock. */
struct debug_ns {
	struct r_debug base;
	struct debug_ns *next;
};

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : 0;
	return slash ? slash + 1 : path ? path : "";
}

static int in_list(const struct link_map *head, const struct link_map *self)
{
	for (const struct link_map *l = head; l; l = l->l_next)
		if (l == self)
			return 1;
	return 0;
}

/* Has the program started, seen from a copy in a namespace of its own? Its libc is its namespace's, so ask
 * the main namespace's libc, as amx_libc_started() does for its own: environ set, or program_invocation_name
 * set (to argv[0], which the kernel's stack holds). An LD_AUDIT module is loaded before the main namespace
 * has a libc at all: that is start-up. */
static int program_started(void)
{
	int loaded = 0;
	for (struct link_map *l = _r_debug.r_map; l && !loaded; l = l->l_next)
		loaded = !strcmp(base_name(l->l_name), LIBC_SO);
	/* (dlsym needs a handle: a start-up object's link map has no search list of its own) */
	void *libc = loaded ? dlmopen(LM_ID_BASE, LIBC_SO, RTLD_LAZY | RTLD_NOLOAD) : 0;
	if (!libc)
		return 0;
	char ***env = (char ***)dlsym(libc, "environ");
	char **name = (char **)dlsym(libc, "program_invocation_name");
	dlclose(libc);
	extern void *__libc_stack_end;
	char **argv = (char **)((long *)__libc_stack_end + 1);
	return (env && *env) || (name && *name && (**name || *name == argv[0]));
}

/* Another copy of the shim (an object named libamxshim*) loaded in another namespace: the process has its
 * report from that one. Copies that reported after start-up stay loaded (stay_loaded()), so this record of
 * who reported first lasts as long as the process. */
static int other_copy(const struct link_map *self)
{
	for (struct debug_ns *ns = (struct debug_ns *)&_r_debug; ns; ns = ns->base.r_version >= 2 ? ns->next : 0) {
		if (in_list(ns->base.r_map, self))
			continue;
		for (const struct link_map *l = ns->base.r_map; l; l = l->l_next)
			if (!strncmp(base_name(l->l_name), "libamxshim", 10))
				return 1;
	}
	return 0;
}

/* Loaded by dlopen() into the main namespace: stay loaded (RTLD_NODELETE). Threads may still hold the
 * sigaltstack guard's thread-exit destructor (a pthread key) and the kernel may still run handlers on its
 * substitute stacks; an unload would leak the key into code that is gone. Not `-z nodelete`: ld.so asserts
 * when it unloads an LD_AUDIT module (it rejects the shim there, having no la_version) that stays loaded.
 * A copy in another namespace that reported stays too (any_namespace): it is the process's record of it. */
static void stay_loaded(const struct link_map *self, int in_base, int any_namespace)
{
	if (!self || !self->l_name || !*self->l_name || (!in_base && !any_namespace))
		return;
	/* dlopen() looks in its caller's namespace: this copy's. */
	void *pin = dlopen(self->l_name, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
	if (pin)
		dlclose(pin);
}

/* amxrun put an AddressSanitizer runtime first in LD_PRELOAD for this program alone; its children get what
 * they would under a plain LD_PRELOAD with the shim: AMXSHIM_CHILD_PRELOAD, which amxrun set ("" for
 * none). Done here, not in the hook: environ is libc's, and before main no thread of the program's own
 * reads it yet. Not in secure-execution processes: ld.so has cleared LD_PRELOAD there, and a variable must
 * not bring it back. */
static void restore_child_preload(void)
{
	const char *child = getenv("AMXSHIM_CHILD_PRELOAD");
	if (!child)
		return;
	if (!getauxval(AT_SECURE)) {
		if (*child)
			setenv("LD_PRELOAD", child, 1);
		else
			unsetenv("LD_PRELOAD");
	}
	unsetenv("AMXSHIM_CHILD_PRELOAD");
}

__attribute__((constructor)) static void shim_report(void)
{
	struct link_map *self = 0;
	Dl_info info;
	if (!dladdr1((void *)shim_report, &info, (void **)&self, RTLD_DL_LINKMAP))
		self = 0;
	int in_base = self && in_list(_r_debug.r_map, self);
	/* A copy in a namespace of its own was relocated before its libc was initialised. */
	if (self && !in_base && loaded_at_startup)
		loaded_at_startup = !program_started();
	/* Only now, with libc: a copy loaded after start-up never learnt which file the process's stderr was. */
	if (!loaded_at_startup)
		shim_stderr_loaded_late();
	/* A preloaded shim is never unloaded: only a dlopen()ed one needs pinning. */
	if (!loaded_at_startup)
		stay_loaded(self, in_base, 0);
	else if (in_base)
		restore_child_preload();
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
	/* One line per process: a copy in another namespace already had its say (or exited). */
	if ((debug || strict_fails) && !(self && other_copy(self))) {
		report(&st, !strict_fails ? ""
			    : strict_exit ? " (AMXSHIM_STRICT: exit 125)"
					  : " (AMXSHIM_STRICT: loaded after start-up by dlopen, not exiting)");
		if (!loaded_at_startup)
			stay_loaded(self, in_base, 1);
	}
	if (strict_exit)
		_exit(STRICT_EXIT_STATUS);
}
