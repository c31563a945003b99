/* The process's initial environment and auxiliary vector, read from the stack the kernel built. During
 * relocation environ is still NULL and getenv() sees nothing, but ld.so's __libc_stack_end already points
 * at argc, followed by argv[], NULL, envp[], NULL, auxv pairs. */
#include "internal.h"

extern void *__libc_stack_end;

/* A sane bound: the kernel limits argv+envp to far fewer strings than this. */
#define MAX_STRINGS (1ul << 24)

static char **initial_envp(void)
{
	const unsigned long *sp = __libc_stack_end;
	if (!sp || sp[0] > MAX_STRINGS)
		return 0;
	return (char **)(sp + 1 + sp[0] + 1);
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
	char **envp = initial_envp();
	size_t len = 0;
	while (name[len])
		len++;
	for (unsigned long i = 0; envp && envp[i] && i < MAX_STRINGS; i++) {
		if (name_matches(envp[i], name))
			return envp[i] + len + 1;
	}
	return 0;
}

unsigned long amx_startauxv_get(unsigned long type, int *found)
{
	char **envp = initial_envp();
	*found = 0;
	if (!envp)
		return 0;
	unsigned long i = 0;
	while (envp[i] && i < MAX_STRINGS)
		i++;
	for (const unsigned long *av = (const unsigned long *)(envp + i + 1); av[0] != 0; av += 2) {
		if (av[0] == type) {
			*found = 1;
			return av[1];
		}
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
