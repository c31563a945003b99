// SPDX-License-Identifier: MIT
/* libamxshim.so: requests AMX permission at relocation time, before any constructor and any thread.
 *
 * The request runs in the resolver of a local IFUNC that the shim references from data: ld.so applies
 * that IRELATIVE relocation while relocating the shim, and all IRELATIVE relocations of every object run
 * before the first constructor. The constructor only reports (AMXSHIM_DEBUG) or enforces (AMXSHIM_STRICT).
 *
 * Loading the shim should cost a process no more than loading an empty object: what only the rare paths
 * need (a report, a copy loaded by dlopen() or in a namespace of its own, amxrun's child preload) is
 * looked up when they run (libc.h), and the rest are system calls (sys.h).
 */
#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include <gnu/lib-names.h>
#include "../resolver/internal.h"
#include "libc.h"
#include "report.h"
#include "settings.h"
#include "sys.h"

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
	struct amx_line l;
};

static void put_char(struct line *r, char c)
{
	char s[2] = { c, 0 };
	amx_line_put(&r->l, s);
}

static int contains(const char *s, const char *part)
{
	for (; *s; s++) {
		size_t i = 0;
		while (part[i] && s[i] == part[i])
			i++;
		if (!part[i])
			return 1;
	}
	return !*part;
}

/* An unrecognised value of `name` (not one of the documented words): named, quoted, escaped, truncated. */
static void note_unrecognised(struct line *r, enum shim_var var, const char *detail)
{
	static const char hex[] = "0123456789abcdef";
	const char *name = shim_var_name(var);
	const char *v = shim_var_value(var);
	if (amx_flag_value(v) != AMX_FLAG_UNRECOGNISED)
		return;
	amx_line_put(&r->l, "; ");
	amx_line_put(&r->l, name);
	amx_line_put(&r->l, "=\"");
	size_t i;
	for (i = 0; v[i] && i < 40; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			put_char(r, (char)c);
		} else {
			amx_line_put(&r->l, "\\x");
			put_char(r, hex[c >> 4]);
			put_char(r, hex[c & 15]);
		}
	}
	/* The decision's detail already says so for AMXSHIM_DISABLE: then only the value is added. */
	amx_line_put(&r->l, v[i] ? "...\"" : "\"");
	if (!contains(detail, name))
		amx_line_put(&r->l, " is not a recognised value, treated as set");
}

static void report(const struct amxshim_state *st, const char *strict_note)
{
	struct line r;
	amx_line_init(&r.l, r.text, sizeof r.text);
	amx_line_put(&r.l, "amxshim[");
	amx_line_dec(&r.l, (uint64_t)shim_getpid());
	amx_line_put(&r.l, "]: AMX ");
	amx_line_put(&r.l, st->usable ? "usable" : "not usable");
	amx_line_put(&r.l, ": ");
	amx_line_put(&r.l, amxshim_reason_name((int)st->reason));
	amx_line_put(&r.l, ": ");
	amx_line_put(&r.l, st->detail);
	for (int var = 0; var < SHIM_VAR_COUNT; var++)
		note_unrecognised(&r, (enum shim_var)var, st->detail);
	amx_line_put(&r.l, strict_note);
	r.text[r.l.len++] = '\n';
	shim_stderr_write(r.text, r.l.len);
}

/* ld.so's list of namespaces (glibc 2.35 and later: r_version 2 adds r_next). ld.so's data, so the one
 * process-wide view every copy of the shim shares; the constructor reads it under ld.so's load lock. */
struct debug_ns {
	struct r_debug base;
	struct debug_ns *next;
};

/* What the constructor's rare paths need from ld.so and libc, looked up when one runs (libc.h). */
struct rare {
	struct debug_ns *r_debug;
	__typeof__(&dladdr1) dladdr1;
	__typeof__(&dlopen) dlopen;
	__typeof__(&dlmopen) dlmopen;
	__typeof__(&dlclose) dlclose;
};

static void look_up(struct rare *dl)
{
	dl->r_debug = (struct debug_ns *)dlsym(RTLD_DEFAULT, "_r_debug");
	dl->dladdr1 = SHIM_LIBC(dladdr1);
	dl->dlopen = SHIM_LIBC(dlopen);
	dl->dlmopen = SHIM_LIBC(dlmopen);
	dl->dlclose = SHIM_LIBC(dlclose);
}

static int same_string(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix) {
		s++;
		prefix++;
	}
	return !*prefix;
}

static const char *base_name(const char *path)
{
	const char *base = path ? path : "";
	for (const char *p = base; *p; p++)
		if (*p == '/')
			base = p + 1;
	return base;
}

static int in_list(const struct link_map *head, const struct link_map *self)
{
	for (const struct link_map *l = head; l; l = l->l_next)
		if (l == self)
			return 1;
	return 0;
}

/* Weak, as the resolver's reference to it (startenv.c): no DT_NEEDED on ld.so for it. */
extern void *__libc_stack_end __attribute__((weak));

/* Has the program started, seen from a copy in a namespace of its own? Its libc is its namespace's, so ask
 * the main namespace's libc, as amx_libc_started() does for its own: environ set, or program_invocation_name
 * set (to argv[0], which the kernel's stack holds). An LD_AUDIT module is loaded before the main namespace
 * has a libc at all: that is start-up. */
static int program_started(const struct rare *dl)
{
	int loaded = 0;
	for (struct link_map *l = dl->r_debug ? dl->r_debug->base.r_map : 0; l && !loaded; l = l->l_next)
		loaded = same_string(base_name(l->l_name), LIBC_SO);
	/* (dlsym needs a handle: a start-up object's link map has no search list of its own) */
	void *libc = loaded && dl->dlmopen ? dl->dlmopen(LM_ID_BASE, LIBC_SO, RTLD_LAZY | RTLD_NOLOAD) : 0;
	if (!libc)
		return 0;
	char ***env = (char ***)dlsym(libc, "environ");
	char **name = (char **)dlsym(libc, "program_invocation_name");
	if (dl->dlclose)
		dl->dlclose(libc);
	char **argv = &__libc_stack_end && __libc_stack_end ? (char **)((long *)__libc_stack_end + 1) : 0;
	return (env && *env) || (name && *name && (**name || (argv && *name == argv[0])));
}

/* Another copy of the shim (an object named libamxshim*) loaded in another namespace: the process has its
 * report from that one. Copies that reported after start-up stay loaded (stay_loaded()), so this record of
 * who reported first lasts as long as the process. */
static int other_copy(const struct rare *dl, const struct link_map *self)
{
	for (struct debug_ns *ns = dl->r_debug; ns; ns = ns->base.r_version >= 2 ? ns->next : 0) {
		if (in_list(ns->base.r_map, self))
			continue;
		for (const struct link_map *l = ns->base.r_map; l; l = l->l_next)
			if (starts_with(base_name(l->l_name), "libamxshim"))
				return 1;
	}
	return 0;
}

/* Loaded by dlopen() into the main namespace: stay loaded (RTLD_NODELETE). Threads may still hold the
 * sigaltstack guard's thread-exit destructor (a pthread key) and the kernel may still run handlers on its
 * substitute stacks; an unload would leak the key into code that is gone. Not `-z nodelete`: ld.so asserts
 * when it unloads an LD_AUDIT module (it rejects the shim there, having no la_version) that stays loaded.
 * A copy in another namespace that reported stays too (any_namespace): it is the process's record of it. */
static void stay_loaded(const struct rare *dl, const struct link_map *self, int in_base, int any_namespace)
{
	if (!self || !self->l_name || !*self->l_name || (!in_base && !any_namespace) || !dl->dlopen)
		return;
	/* dlopen() looks in its caller's namespace: this copy's. */
	void *pin = dl->dlopen(self->l_name, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
	if (pin && dl->dlclose)
		dl->dlclose(pin);
}

/* amxrun put an AddressSanitizer runtime first in LD_PRELOAD for this program alone; its children get what
 * they would under a plain LD_PRELOAD with the shim: AMXSHIM_CHILD_PRELOAD, which amxrun set ("" for
 * none). Done here, not in the hook: environ is libc's, and before main no thread of the program's own
 * reads it yet. Not in secure-execution processes: ld.so has cleared LD_PRELOAD there, and a variable must
 * not bring it back. */
static void restore_child_preload(const char *child)
{
	__typeof__(&setenv) set = SHIM_LIBC(setenv);
	__typeof__(&unsetenv) unset = SHIM_LIBC(unsetenv);
	if (!set || !unset)
		return;
	if (!shim_secure()) {
		if (*child)
			set("LD_PRELOAD", child, 1);
		else
			unset("LD_PRELOAD");
	}
	unset("AMXSHIM_CHILD_PRELOAD");
}

__attribute__((constructor)) static void shim_report(void)
{
	/* Both off in secure-execution processes (settings.c). */
	int debug = shim_debug_enabled();
	int strict = shim_strict_enabled();
	const char *child = shim_child_preload();
	/* Preloaded, nothing to print, enforce or restore: nothing to do. (A copy in a namespace of its own
	 * that believes it was loaded at start-up would be corrected below, but only to print, enforce or
	 * pin, and an uncorrected one pins only in the main namespace.) */
	if (loaded_at_startup && !debug && !strict && !child)
		return;
	struct rare dl;
	look_up(&dl);
	struct link_map *self = 0;
	Dl_info info;
	if (!dl.dladdr1 || !dl.dladdr1((void *)shim_report, &info, (void **)&self, RTLD_DL_LINKMAP))
		self = 0;
	int in_base = self && dl.r_debug && in_list(dl.r_debug->base.r_map, self);
	/* A copy in a namespace of its own was relocated before its libc was initialised. */
	if (self && !in_base && loaded_at_startup)
		loaded_at_startup = !program_started(&dl);
	/* Only now, with libc: a copy loaded after start-up never learnt which file the process's stderr was. */
	if (!loaded_at_startup)
		shim_stderr_loaded_late();
	/* A preloaded shim is never unloaded: only a dlopen()ed one needs pinning. */
	if (!loaded_at_startup)
		stay_loaded(&dl, self, in_base, 0);
	else if (in_base && child)
		restore_child_preload(child);
	if (!debug && !strict)
		return;
	struct amxshim_state st;
	amxshim_state(&st, AMXSHIM_TILE);
	int strict_fails = strict && !st.usable;
	/* Loaded by dlopen() into a running program: exiting would lose its unflushed output and its work. */
	int strict_exit = strict_fails && loaded_at_startup;
	/* One line per process: a copy in another namespace already had its say (or exited). */
	if ((debug || strict_fails) && !(self && other_copy(&dl, self))) {
		report(&st, !strict_fails ? ""
			    : strict_exit ? " (AMXSHIM_STRICT: exit 125)"
					  : " (AMXSHIM_STRICT: loaded after start-up by dlopen, not exiting)");
		if (!loaded_at_startup)
			stay_loaded(&dl, self, in_base, 1);
	}
	if (strict_exit)
		shim_exit_group(STRICT_EXIT_STATUS);
}
