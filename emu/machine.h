/* SPDX-License-Identifier: MIT */
/* The emulator's own reads of the machine: the only emulator code that executes CPUID, XGETBV or
 * arch_prctl. They must read the real machine (the signal frame they describe is the real kernel's),
 * so they are not the resolver's fake platform; tests/emu/fake_machine.c replaces emu/machine.o at
 * link time, so the tests can drive the paths of a CPU without AVX-512 or APX state on any machine. */
#ifndef AMXEMU_MACHINE_H
#define AMXEMU_MACHINE_H

#include <stdint.h>

/* CPUID leaf/subleaf: r[0..3] = EAX, EBX, ECX, EDX. Also runs at relocation time (resolver context). */
void emu_machine_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4]);
/* XGETBV of register xcr (the caller checked CPUID.1:ECX.OSXSAVE). Resolver context too. */
uint64_t emu_machine_xgetbv(uint32_t xcr);
/* The thread's FS and GS base (arch_prctl ARCH_GET_FS/ARCH_GET_GS), for segment-prefixed addresses;
 * 0 when the call fails. Async-signal-safe. */
uint64_t emu_machine_fs_base(void);
uint64_t emu_machine_gs_base(void);

#endif
