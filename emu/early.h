/* SPDX-License-Identifier: MIT */
/* libamxemu.so's relocation-time install (ctor.c -> handler.c), safe inside an IFUNC resolver. */
#ifndef AMXEMU_EARLY_H
#define AMXEMU_EARLY_H

/* Installs the SIGILL handler with a raw rt_sigaction. 0, or -errno. */
int emu_install_early(void);

#endif
