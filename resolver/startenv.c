// SPDX-License-Identifier: MIT
/* The environment, readable before libc is initialised. While ld.so relocates a dynamic program, environ
 * is still NULL and getenv() sees nothing, but ld.so's __libc_stack_end already points at the stack the
 * kernel built: argc, argv[], NULL, envp[], NULL. Once environ is set (libc initialised, or a static
 * program, whose IRELATIVE relocations run after environ is set and whose __libc_stack_end does not point
 * at argc) it is the better source: programs that rewrite the stack area for their process title would
 * otherwise hide the variables from libraries loaded later. */
#include "internal.h"

extern void *__libc_stack_end;
extern char **__environ;

/* A sane bound: the kernel limits argv+envp to far fewer strings than this. */
#define MAX_STRINGS (1ul << 24)

/* Set once environ has been seen: after that a NULL environ means clearenv(), not "too early". */
static int environ_seen;

static char **environment(void)
{
	char **env = __environ;
	if (env) {
		__atomic_store_n(&environ_seen, 1, __ATOMIC_RELAXED);
		return env;
	}
	if (__atomic_load_n(&environ_seen, __ATOMIC_RELAXED))
		return 0;
	const unsigned long *sp = __libc_stack_end;
	if (!sp || sp[0] > MAX_STRINGS)
		return 0;
	char **argv = (char **)(sp + 1);
	/* Trust the layout only where argv ends where argc says. */
	return argv[sp[0]] ? 0 : argv + sp[0] + 1;
}

static int name_matches(const char *entry, const char *name)
{
	while (*name && *entry == *name) {
		entry++;
		name++;
	}
	return !*name && *entry == '=';
}

const char *amx_startenv_get(const char *name)
{
	char **envp = environment();
	size_t len = 0;
	while (name[len])
		len++;
	for (unsigned long i = 0; envp && envp[i] && i < MAX_STRINGS; i++) {
		if (name_matches(envp[i], name))
			return envp[i] + len + 1;
	}
	return 0;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int word_is(const char *value, const char *word)
{
	while (*word && lower(*value) == *word) {
		value++;
		word++;
	}
	return !*word && !*value;
}

int amx_flag_value(const char *value)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "", "0", "false", "no", "off" };
	if (!value)
		return 0;
	for (unsigned i = 0; i < sizeof no / sizeof no[0]; i++)
		if (word_is(value, no[i]))
			return 0;
	for (unsigned i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (word_is(value, yes[i]))
			return 1;
	return 2;
}
