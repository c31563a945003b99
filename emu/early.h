/* SPDX-License-Identifier: MIT */
/* libamxemu.so's relocation-time install (ctor.c -> handler.c), safe inside an IFUNC resolver. */
#ifndef AMXEMU_EARLY_H
#define AMXEMU_EARLY_H

#include <stdint.h>

/* Installs the SIGILL handler with a raw rt_sigaction. 0, or -errno. */
int emu_install_early(void);
/* The AMX sets to emulate, bit i for ISA feature i (isa/amx.h); all by default. */
void emu_allow_sets(uint32_t mask);

#endif
