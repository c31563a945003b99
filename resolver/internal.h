/* SPDX-License-Identifier: MIT */
/* Private to the resolver and the shim. Everything here is hidden and safe in an IFUNC resolver. */
#ifndef AMXSHIM_INTERNAL_H
#define AMXSHIM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <amxshim/resolver.h>
#include "freestanding.h"

#define AMX_ARCH_GET_XCOMP_SUPP 0x1021
#define AMX_ARCH_GET_XCOMP_PERM 0x1022
#define AMX_ARCH_REQ_XCOMP_PERM 0x1023
#define AMX_XTILECFG  17
#define AMX_XTILEDATA 18
#define AMX_XTILE_MASK ((1ull << AMX_XTILECFG) | (1ull << AMX_XTILEDATA))

/* platform.c: the only code that reads CPUID and XGETBV or asks the kernel about AMX. Tests link a fake. */
void amx_platform_cpuid(uint32_t leaf, uint32_t subleaf, struct amxshim_cpuid *out);
uint64_t amx_platform_xgetbv0(void);
long amx_platform_arch_prctl(int code, unsigned long arg); /* 0 or -errno */

/* leaf_read: bit i, cpuid[i] was read; bit 16+i, it was not read because XCR0 and the kernel's
 * ARCH_GET_XCOMP_SUPP vouch for it (amx_probe_minimal, see there). */
#define AMX_LEAF_BIT(slot) (1u << (slot))
#define AMX_LEAF_VOUCHED(slot) (1u << (16 + (slot)))
#define AMX_LEAF_VOUCHED_ALL (0xffffu << 16)

/* probe.c: fill the input fields of a state. */
void amx_probe_cpu(struct amxshim_state *st, int all);
void amx_probe_minimal(struct amxshim_state *st);
void amx_probe_kernel(struct amxshim_state *st);
void amx_request_permission(struct amxshim_state *st);

/* decide.c: pure functions of the inputs. */
enum amxshim_reason amx_first_disagreement(const struct amxshim_state *st, unsigned features, int *err);
void amx_decide(struct amxshim_state *st, unsigned features);
unsigned amx_cpu_features(const struct amxshim_state *st);

/* startenv.c: getenv() that also works during relocation, when environ is still NULL. */
const char *amx_startenv_get(const char *name);
/* A boolean variable's value: unset (also empty, 0, false, no, off), set (1, true, yes, on) or another
 * value, which callers treat as set and may report. */
enum amx_flag { AMX_FLAG_UNSET, AMX_FLAG_SET, AMX_FLAG_UNRECOGNISED };
enum amx_flag amx_flag_value(const char *value);
/* Whether libc's initialisation (which sets environ) has run: false while ld.so starts the program. */
int amx_libc_started(void);

#define AMX_CPUID_BIT(st, leaf, reg, bit) (((st)->cpuid[leaf].reg >> (bit)) & 1u)

#endif
