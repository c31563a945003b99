// SPDX-License-Identifier: MIT
/* libfd2: a DT_NEEDED library of sigprog whose constructor opens a log file when STRESS_FD2_LIB_FILE is
 * set. Started with fd 2 closed, that file gets fd 2. Constructors of the program's DT_NEEDED libraries
 * run before a preloaded object's constructor, so this happens before the shim's AMXSHIM_DEBUG report. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int log_fd = -1;

__attribute__((constructor)) static void open_log(void)
{
	const char *path = getenv("STRESS_FD2_LIB_FILE");
	if (!path)
		return;
	log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	static const char line[] = "lib: constructor\n";
	if (log_fd >= 0 && write(log_fd, line, sizeof line - 1) < 0)
		log_fd = -1;
}

__attribute__((visibility("default"))) int libfd2_fd(void);
int libfd2_fd(void)
{
	return log_fd;
}
