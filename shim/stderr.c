// SPDX-License-Identifier: MIT
/* The shim's only way to print. fd 2 may be closed when the program starts, and a file the program opens
 * later then gets fd 2: writing there would corrupt it. So the early hook remembers which file fd 2 was
 * (device and inode), and a report is written only while fd 2 is still that same file. A copy loaded after
 * start-up (dlopen, dlmopen) remembers a fd 2 that the program may have reopened on a data file since, and
 * nothing tells the two apart: it writes only while fd 2 is also a terminal, which is never a data file.
 * Whether to print at all is settings.c's. */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "../resolver/internal.h"
#include "report.h"
#include "sys.h"

static int stderr_known;
static dev_t stderr_dev;
static ino_t stderr_ino;
static int terminal_only;

/* Raw fstat: this runs inside the IFUNC resolver, where libc may not be called. */
static long raw_fstat(int fd, struct stat *st)
{
	return amx_raw_syscall2(SYS_fstat, fd, (long)st);
}

void shim_stderr_remember(void)
{
	struct stat st;
	if (raw_fstat(STDERR_FILENO, &st) == 0) {
		stderr_dev = st.st_dev;
		stderr_ino = st.st_ino;
		stderr_known = 1;
	}
}

void shim_stderr_loaded_late(void)
{
	__atomic_store_n(&terminal_only, 1, __ATOMIC_RELAXED);
}

/* isatty() through the system call alone. */
static int is_terminal(int fd)
{
	struct termios t;
	return amx_raw_syscall3(SYS_ioctl, fd, TCGETS, (long)&t) == 0;
}

/* The program must not notice a report: a reader that has gone would raise SIGPIPE (killing it before
 * main), and a failing write or fstat must not change errno (system calls made directly never do). So
 * SIGPIPE is blocked in this thread for the write and a SIGPIPE the write raised is consumed (only if none
 * was pending before: that one is the program's). Async-signal-safe: sigaltstack() reports from handlers
 * too. */
void shim_stderr_write(const char *line, size_t len)
{
	struct stat st;
	if (!stderr_known || raw_fstat(STDERR_FILENO, &st) != 0 || st.st_dev != stderr_dev ||
	    st.st_ino != stderr_ino || (__atomic_load_n(&terminal_only, __ATOMIC_RELAXED) && !is_terminal(STDERR_FILENO)))
		return;
	shim_sigset pipe_set = SHIM_SIGBIT(SIGPIPE), pending = 0, saved;
	int was_pending = amx_raw_syscall2(SYS_rt_sigpending, (long)&pending, sizeof pending) == 0 &&
			  (pending & pipe_set);
	if (shim_sigprocmask(SIG_BLOCK, &pipe_set, &saved) != 0)
		return;
	/* A failing write (a closed pipe, a full disk) is the program's business, not ours. */
	if (amx_raw_syscall3(SYS_write, STDERR_FILENO, (long)line, (long)len) == -EPIPE && !was_pending) {
		static const struct timespec no_wait = { 0, 0 };
		while (amx_raw_syscall4(SYS_rt_sigtimedwait, (long)&pipe_set, 0, (long)&no_wait, sizeof pipe_set) ==
		       -EINTR)
			;
	}
	(void)shim_sigprocmask(SIG_SETMASK, &saved, NULL);
}
