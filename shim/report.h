/* SPDX-License-Identifier: MIT */
/* Printing from the shim: only to the stderr the process started with, and only when asked. */
#ifndef AMXSHIM_REPORT_H
#define AMXSHIM_REPORT_H
#include <stddef.h>

void shim_stderr_remember(void); /* in the early hook: safe inside an IFUNC resolver */
void shim_stderr_write(const char *line, size_t len);
/* A setting read once (sigaltstack() may ask from a handler while the program calls setenv()):
 * *setting is 0 until then, 1 for off, 2 for on. */
int shim_read_once(int *setting, int (*compute)(void));
int shim_debug_enabled(void); /* AMXSHIM_DEBUG; never in secure-execution processes */

#endif
