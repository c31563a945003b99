/* SPDX-License-Identifier: MIT */
/* Printing from the shim: only to the stderr the process started with (a terminal, when loaded after
 * start-up), and only when asked. */
#ifndef AMXSHIM_REPORT_H
#define AMXSHIM_REPORT_H
#include <stddef.h>

void shim_stderr_remember(void); /* in the early hook: safe inside an IFUNC resolver */
/* From the constructor of a copy loaded after start-up: from then on it writes only to a terminal. */
void shim_stderr_loaded_late(void);
void shim_stderr_write(const char *line, size_t len);

#endif
