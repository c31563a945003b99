// SPDX-License-Identifier: MIT
/* Only in libamxemu.so: LD_PRELOAD=libamxemu.so installs the handler while ld.so relocates this object,
 * before any constructor of any object runs (a library constructor may execute AMX code before ours), the
 * way libamxshim.so requests AMX: the resolver of a hidden IFUNC referenced from data runs during
 * relocation. The constructor then completes the set-up. AMXEMU_DISABLE (1/true/yes/on, as the AMXSHIM_
 * variables) leaves the process alone, to compare with a run without the emulator. */
#include <stddef.h>
#include "../resolver/tool.h"
#include "amxemu.h"
#include "early.h"

static int disabled(void)
{
	/* environ is still NULL while objects are relocated: read the initial environment instead. */
	return amx_flag_value(amx_startenv_get("AMXEMU_DISABLE")) != 0;
}

AMXSHIM_RESOLVER_CONTEXT static int name_is(const char *s, size_t n, const char *name)
{
	size_t i = 0;
	for (; i < n && name[i]; i++) {
		char c = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
		if (c != name[i])
			return 0;
	}
	return i == n && !name[i];
}

/* AMXEMU_SETS: the sets to emulate by their ISA-table names, e.g. "AMX-TILE,AMX-INT8,AMX-BF16" (a Sapphire
 * Rapids); unknown names count for nothing. Unset: every set. */
AMXSHIM_RESOLVER_CONTEXT static void read_sets(void)
{
	const char *v = amx_startenv_get("AMXEMU_SETS");
	if (!v)
		return;
	uint32_t mask = 0;
	while (*v) {
		size_t n = 0;
		while (v[n] && v[n] != ',')
			n++;
		for (int f = 0; f < ISA_NFEATURES; f++)
			if (name_is(v, n, isa_feature_row(f)->name))
				mask |= 1u << f;
		v += n + (v[n] == ',');
	}
	emu_allow_sets(mask);
}

static void early_noop(void)
{
}

typedef void early_fn(void);

/* Runs inside the IRELATIVE resolver: no libc, only raw system calls. */
AMXSHIM_RESOLVER_CONTEXT __attribute__((used)) static early_fn *early_resolve(void)
{
	if (!disabled()) {
		read_sets();
		(void)emu_install_early();
	}
	return early_noop;
}

static void early_hook(void) __attribute__((ifunc("early_resolve")));

/* The data reference is what makes the linker emit the IRELATIVE relocation. */
__attribute__((used)) static early_fn *const early_hook_ref = early_hook;

__attribute__((constructor)) static void amxemu_ctor(void)
{
	if (!disabled()) {
		read_sets();
		amxemu_install();
	}
}
