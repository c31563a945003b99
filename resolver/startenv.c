// SPDX-License-Identifier: MIT
/* The environment, readable before libc is initialised. While ld.so relocates a dynamic program, environ
 * is still NULL and getenv() sees nothing, but ld.so's __libc_stack_end already points at the stack the
 * kernel built: argc, argv[], NULL, envp[], NULL. Once libc has set environ (its constructor _init_first;
 * a static program sets it before its IRELATIVE relocations) environ is the only source, even when
 * clearenv() has made it NULL again: the stack copy is then stale (and programs that rewrite the stack
 * area for their process title would hide the variables from libraries loaded later). */
#include <fcntl.h>
#include <sys/syscall.h>
#include "internal.h"

/* Weak, so that the compiler keeps the test of their addresses: in glibc's "Relink ... for IFUNC symbol"
 * case a resolver runs before its own object is relocated, and these GOT slots still hold zero. */
extern void *__libc_stack_end __attribute__((weak));
extern char **__environ __attribute__((weak));
extern char *program_invocation_name __attribute__((weak));

/* A sane bound: the kernel limits argv+envp to far fewer strings than this. */
#define MAX_STRINGS (1ul << 24)

/* Set once libc's initialisation has been seen: after that a NULL environ means clearenv(). */
static int environ_seen;

/* Every object read below lives in another object (libc, ld.so) and is reached through our GOT, which
 * holds zeros until relocated. environ exists in every glibc program; the other two are each tested where
 * used (a static link could leave a weak reference undefined). */
static int got_relocated(void)
{
	return &__environ != 0;
}

/* The stack's argv when its layout is the one the kernel built (argv ends where argc says), else 0. */
static char **stack_argv(unsigned long *argc)
{
	const unsigned long *sp = &__libc_stack_end ? __libc_stack_end : 0;
	if (!sp || sp[0] > MAX_STRINGS)
		return 0;
	char **argv = (char **)(sp + 1);
	*argc = sp[0];
	return argv[sp[0]] ? 0 : argv;
}

/* Has libc's initialisation run (in the namespace whose environ we read)? The same libc function that
 * sets environ sets program_invocation_name from "" to argv[0] (which Linux >= 5.18 makes non-NULL even
 * for an empty argv); a program may reassign it, but only after that. So: initialised when it is the
 * stack's argv[0] or a non-empty string. This is libc data shared by every object of the namespace, so it
 * is a process-wide answer where each object's own environ_seen flag is not. */
int amx_libc_started(void)
{
	if (!got_relocated())
		return 0;
	if (__environ)
		return 1;
	const char *name = &program_invocation_name ? program_invocation_name : 0;
	unsigned long argc = 0;
	char **argv = stack_argv(&argc);
	return name && (*name || (argv && argc && name == argv[0]));
}

static char **environment(void)
{
	char **env = __environ;
	if (env) {
		__atomic_store_n(&environ_seen, 1, __ATOMIC_RELAXED);
		return env;
	}
	if (__atomic_load_n(&environ_seen, __ATOMIC_RELAXED))
		return 0;
	if (amx_libc_started()) {
		__atomic_store_n(&environ_seen, 1, __ATOMIC_RELAXED);
		return 0;
	}
	unsigned long argc = 0;
	char **argv = stack_argv(&argc);
	return argv ? argv + argc + 1 : 0;
}

static int name_matches(const char *entry, const char *name)
{
	while (*name && *entry == *name) {
		entry++;
		name++;
	}
	return !*name && *entry == '=';
}

/* Before our own relocation nothing outside this object is reachable (no GOT, so no environ and no
 * __libc_stack_end), and that only happens while ld.so starts the program, when environ would not be set
 * anyway. The kernel still has the start-up environment: /proc/self/environ is the same strings the stack
 * copy points at. Read with raw system calls, the value copied (truncated) into a static buffer: only the
 * loader's thread runs code of an object that is not relocated yet. Without /proc: no variables. */
static char unrelocated_value[256];

static const char *proc_environ_get(const char *name)
{
	static const char path[] = "/proc/self/environ";
	long fd = amx_raw_syscall3(SYS_open, (long)path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	char buf[512];
	size_t matched = 0; /* bytes of the name matched at the start of the current entry */
	int state = 0;      /* 0 matching the name, 1 copying the value, 2 skipping to the next entry */
	size_t vlen = 0;
	const char *found = 0;
	long n;
	while (!found && (n = amx_raw_syscall3(SYS_read, fd, (long)buf, sizeof buf)) > 0) {
		for (long i = 0; i < n && !found; i++) {
			char c = buf[i];
			if (c == 0 && state != 1) {
				state = 0;
				matched = 0;
			} else if (state == 0) {
				if (name[matched])
					state = c == name[matched++] ? 0 : 2;
				else
					state = c == '=' ? 1 : 2;
			} else if (state == 1) {
				if (c == 0) {
					unrelocated_value[vlen] = 0;
					found = unrelocated_value;
				} else if (vlen + 1 < sizeof unrelocated_value) {
					unrelocated_value[vlen++] = c;
				}
			}
		}
	}
	(void)amx_raw_syscall2(SYS_close, fd, 0);
	return found;
}

const char *amx_startenv_get(const char *name)
{
	if (!got_relocated())
		return proc_environ_get(name);
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

/* Does `value` equal one of the NUL-separated words of `list` (ended by an empty word)? A string rather
 * than an array of pointers: pointers in data need relocating, and this runs before our relocation too. */
static int in_list(const char *value, const char *list)
{
	while (*list) {
		const char *v = value;
		while (*list && lower(*v) == *list) {
			v++;
			list++;
		}
		if (!*list && !*v)
			return 1;
		while (*list)
			list++;
		list++;
	}
	return 0;
}

enum amx_flag amx_flag_value(const char *value)
{
	if (!value || !*value || in_list(value, "0\0false\0no\0off\0"))
		return AMX_FLAG_UNSET;
	if (in_list(value, "1\0true\0yes\0on\0"))
		return AMX_FLAG_SET;
	return AMX_FLAG_UNRECOGNISED;
}
