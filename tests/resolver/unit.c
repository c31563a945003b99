// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"

extern char **environ;

const char *unit_fixture_dir(void)
{
	const char *dir = getenv("AMXSHIM_FIXTURE_DIR");
	return dir && *dir ? dir : "tests/fixtures/cpuid";
}

void unit_load(const char *file)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", unit_fixture_dir(), file);
	fake_reset();
	int n = fake_load_fixture(path);
	if (n <= 0)
		fail_msg("cannot load fixture %s: %d", path, n);
}

void unit_clean_initial_env(char **argv)
{
	int dirty = 0;
	for (char **e = environ; *e; e++)
		dirty |= strncmp(*e, "AMXSHIM_", 8) == 0 && strncmp(*e, "AMXSHIM_FIXTURE_DIR=", 20) != 0;
	if (!dirty)
		return;
	static char *clean[512];
	size_t n = 0;
	for (char **e = environ; *e && n + 1 < sizeof clean / sizeof clean[0]; e++)
		if (strncmp(*e, "AMXSHIM_", 8) != 0 || strncmp(*e, "AMXSHIM_FIXTURE_DIR=", 20) == 0)
			clean[n++] = *e;
	clean[n] = NULL;
	execve("/proc/self/exe", argv, clean);
	perror("execve /proc/self/exe");
	exit(1);
}

static const char *code_name(int code)
{
	switch (code) {
	case GET_SUPP: return "GET_XCOMP_SUPP";
	case GET_PERM: return "GET_XCOMP_PERM";
	case REQ: return "REQ_XCOMP_PERM";
	default: return "?";
	}
}

void unit_assert_calls(unsigned from, ...)
{
	va_list ap;
	va_start(ap, from);
	unsigned i = from;
	for (;; i++) {
		int code = va_arg(ap, int);
		if (!code)
			break;
		unsigned long arg = code == REQ ? va_arg(ap, unsigned long) : 0;
		const struct fake_call *c = fake_call(i);
		if (!c)
			fail_msg("call %u: expected %s, but only %u arch_prctl calls were made", i, code_name(code),
				 fake_call_count());
		if (c->code != code)
			fail_msg("call %u: expected %s, got %s (0x%x)", i, code_name(code), code_name(c->code),
				 c->code);
		if (code == REQ && c->arg != arg)
			fail_msg("call %u: REQ_XCOMP_PERM(%lu), expected (%lu)", i, c->arg, arg);
		if (code != REQ && c->arg == 0)
			fail_msg("call %u: %s with a NULL pointer", i, code_name(code));
	}
	va_end(ap);
	if (fake_call_count() != i) {
		const struct fake_call *c = fake_call(i);
		fail_msg("%u arch_prctl calls, expected %u; the first unexpected is %s", fake_call_count(), i,
			 c ? code_name(c->code) : "?");
	}
}

void unit_assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}
