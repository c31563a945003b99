/* SPDX-License-Identifier: MIT */
/* Printing from the shim: only to the stderr the process started with, and only when asked. */
#ifndef AMXSHIM_REPORT_H
#define AMXSHIM_REPORT_H
#include <stddef.h>

void shim_stderr_remember(void); /* in the early hook: safe inside an IFUNC resolver */
void shim_stderr_write(const char *line, size_t len);

#endif
