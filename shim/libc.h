/* SPDX-License-Identifier: MIT */
/* The libc functions that only the shim's rare paths need (a report, a dlopen()ed copy, amxrun's child
 * preload, the sigaltstack guard once AMX is granted), looked up when such a path runs. Under BIND_NOW
 * every import costs each process a symbol lookup at load, called or not; dlsym is the one they share. */
#ifndef AMXSHIM_LIBC_H
#define AMXSHIM_LIBC_H
#include <dlfcn.h>

/* `fn` as the shim's own relocation would bind it: RTLD_DEFAULT searches the calling object's scope
 * (glibc elf/dl-sym.c), typed as libc declares it; NULL if not found. Takes ld.so's lock: not from a
 * signal handler. */
#define SHIM_LIBC(fn) ((__typeof__(&fn))dlsym(RTLD_DEFAULT, #fn))

#endif
