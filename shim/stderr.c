// SPDX-License-Identifier: MIT
/* The shim's only way to print. fd 2 may be closed when the program starts, and a file the program opens
 * later then gets fd 2: writing there would corrupt it. So the early hook remembers which file fd 2 was
 * (device and inode), and a report is written only while fd 2 is still that same file. AMXSHIM_DEBUG,
 * which decides whether to print at all, is read here once for the constructor and the sigaltstack guard. */
#include <stddef.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "../resolver/internal.h"
#include "report.h"

static int stderr_known;
static dev_t stderr_dev;
static ino_t stderr_ino;

/* Raw fstat: this runs inside the IFUNC resolver, where libc may not be called. */
static long raw_fstat(int fd, struct stat *st)
{
	return amx_raw_syscall2(SYS_fstat, fd, (long)st);
}

void amx_stderr_remember(void)
{
	struct stat st;
	if (raw_fstat(STDERR_FILENO, &st) == 0) {
		stderr_dev = st.st_dev;
		stderr_ino = st.st_ino;
		stderr_known = 1;
	}
}

void amx_stderr_write(const char *line, size_t len)
{
	struct stat st;
	if (!stderr_known || fstat(STDERR_FILENO, &st) != 0 || st.st_dev != stderr_dev || st.st_ino != stderr_ino)
		return;
	/* A failing write (a closed pipe, a full disk) is the program's business, not ours. */
	if (write(STDERR_FILENO, line, len) < 0)
		return;
}

int amx_read_once(int *setting, int (*compute)(void))
{
	int v = __atomic_load_n(setting, __ATOMIC_RELAXED);
	if (!v) {
		v = compute() ? 2 : 1;
		__atomic_store_n(setting, v, __ATOMIC_RELAXED);
	}
	return v == 2;
}

static int compute_debug(void)
{
	/* Secure-execution processes honour only AMXSHIM_DISABLE. */
	return !getauxval(AT_SECURE) && amx_flag_value(amx_startenv_get("AMXSHIM_DEBUG")) != 0;
}

int amx_debug_enabled(void)
{
	static int setting;
	return amx_read_once(&setting, compute_debug);
}
