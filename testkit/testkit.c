// SPDX-License-Identifier: MIT
/* What only the installed test build of the resolver (libamxresolver-test.a: the resolver, the fake
 * platform and this file) does: record what each AMXSHIM_IFUNC bound for amxshim-test(1), say on stderr
 * that a process runs a test build, and mark the file for amxscan. Runs inside IFUNC resolvers: raw
 * system calls only, as the fake platform. */
#define AMXSHIM_TEST_KIT 1 /* the hook's declaration in resolver.h */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include "../tests/fake/fake_platform.h"

/* amxscan reports a file that has this section: a library shipped linked with the test build by mistake. */
__attribute__((used, section(".amxshim.test"))) static const char test_build_mark[] =
	"built with the amxshim test resolver (amxresolver-test): not for production";

static void write_all(long fd, const char *s, size_t n)
{
	while (n > 0) {
		long w = amx_raw_syscall3(SYS_write, fd, (long)s, (long)n);
		if (w == -EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static size_t length(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* Appends one line to $AMXSHIM_TEST_RECORD, if the kit set it (O_APPEND: several libraries, one file). */
static void record(const char *line)
{
	const char *path = amx_startenv_get("AMXSHIM_TEST_RECORD");
	if (!path || !*path)
		return;
	long fd = amx_raw_syscall4(SYS_openat, AT_FDCWD, (long)path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	write_all(fd, line, length(line));
	amx_raw_syscall3(SYS_close, fd, 0, 0);
}

void testkit_settings_used(const char *fixture, int env_status)
{
	char buf[600];
	struct amx_line l;
	amx_line_init(&l, buf, sizeof buf);
	if (env_status == FAKE_ENV_SECURE) {
		amx_line_put(&l, "amxshim: test resolver: AMXSHIM_FAKE_* ignored in a secure-execution (set-user-ID or "
				 "file-capability) process\n");
	} else {
		amx_line_put(&l, "amxshim: this process runs a library built with the amxshim test resolver "
				 "(amxresolver-test): CPUID and the kernel are answered from ");
		amx_line_put(&l, fixture ? fixture : "(no AMXSHIM_FAKE_CPU: a CPU without features)");
		if (env_status && env_status != -2002) {
			amx_line_put(&l, " (setting refused: ");
			amx_line_dec(&l, (uint64_t)-(int64_t)env_status);
			amx_line_put(&l, ")");
		}
		amx_line_put(&l, "; never ship it\n");
	}
	/* Under amxshim-test the kit itself says so, once for the run; elsewhere every process says it. */
	if (env_status == FAKE_ENV_SECURE || !amx_startenv_get("AMXSHIM_TEST_KIT"))
		write_all(2, buf, l.len);
	if (env_status && env_status != -2002) {
		amx_line_init(&l, buf, sizeof buf);
		amx_line_put(&l, "error settings ");
		amx_line_dec(&l, (uint64_t)-(int64_t)env_status);
		amx_line_put(&l, "\n");
		record(buf);
	}
}

/* Called by every AMXSHIM_IFUNC resolver of a library compiled with AMXSHIM_TEST_KIT (resolver.h):
 * "bound IFUNC VARIANT INDEX COUNT", and "last IFUNC VARIANT" when the registry's last entry, which is bound
 * whenever nothing else is usable, needs AMX or a predicate (it would run on a machine that lacks them). */
void amxshim_test_bound_(const char *ifunc, const struct amxshim_variant *variants, unsigned long n,
			 const struct amxshim_variant *chosen)
{
	char buf[400];
	struct amx_line l;
	amx_line_init(&l, buf, sizeof buf);
	amx_line_put(&l, "bound ");
	amx_line_put(&l, ifunc);
	amx_line_put(&l, " ");
	amx_line_put(&l, chosen->name);
	amx_line_put(&l, " ");
	amx_line_dec(&l, (uint64_t)(chosen - variants));
	amx_line_put(&l, " ");
	amx_line_dec(&l, n);
	amx_line_put(&l, "\n");
	const struct amxshim_variant *last = &variants[n - 1];
	if (last->amx || last->usable) {
		amx_line_put(&l, "last ");
		amx_line_put(&l, ifunc);
		amx_line_put(&l, " ");
		amx_line_put(&l, last->name);
		amx_line_put(&l, last->amx ? " needs AMX\n" : " has a predicate\n");
	}
	record(buf);
}
