/* SPDX-License-Identifier: MIT */
/* libamxemu: runs Intel AMX instructions in a SIGILL handler, so AMX code can be tested on CPUs
 * (or in processes) that cannot execute it. See emu/README.md. */
#ifndef AMXEMU_H
#define AMXEMU_H

#ifdef __cplusplus
extern "C" {
#endif

struct amxemu_stats {
	unsigned long long emulated;  /* AMX instructions executed by the emulator */
	unsigned long long passed_on; /* SIGILLs that were not (valid) AMX: handed to the previous handler */
	unsigned long long faults;    /* SIGSEGVs raised for bad configs or bad tile/config addresses */
};

/* Installs the SIGILL handler (idempotent, thread-safe). 0 on success, -1 with errno set. */
int amxemu_install(void);

/* Process-wide counters since the start of the process. */
void amxemu_stats(struct amxemu_stats *out);

/* 1 when the CPU runs LDTILECFG/STTILECFG/TILERELEASE itself (real AMX without tile-data
 * permission): the emulator then takes the tile configuration from the signal frame. */
int amxemu_native_tilecfg(void);

#ifdef __cplusplus
}
#endif
#endif
