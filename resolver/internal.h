/* SPDX-License-Identifier: MIT */
/* Private to the resolver, the shim and the tests. Everything here is hidden and safe in an IFUNC resolver.
 * The project's other programs use tool.h, the part of this interface declared for them. */
#ifndef AMXSHIM_INTERNAL_H
#define AMXSHIM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <amxshim/resolver.h>
#include "freestanding.h"
#include "tool.h"
#include "../isa/amx.h" /* the one description of AMX: features, palette 1, XSAVE numbers */

#define AMX_ARCH_GET_XCOMP_SUPP ISA_ARCH_GET_XCOMP_SUPP
#define AMX_ARCH_GET_XCOMP_PERM ISA_ARCH_GET_XCOMP_PERM
#define AMX_ARCH_REQ_XCOMP_PERM ISA_ARCH_REQ_XCOMP_PERM
#define AMX_XTILECFG ISA_XFEATURE_XTILECFG
#define AMX_XTILEDATA ISA_XFEATURE_XTILEDATA
#define AMX_XTILE_MASK ISA_XFEATURE_MASK_XTILE

/* platform.c: the only code that reads CPUID and XGETBV or asks the kernel about AMX. Tests link a fake. */
void amx_platform_cpuid(uint32_t leaf, uint32_t subleaf, struct amxshim_cpuid *out);
uint64_t amx_platform_xgetbv0(void);
long amx_platform_arch_prctl(int code, unsigned long arg); /* 0 or -errno */
/* The registers glibc's loader read for its CPUID_INDEX_* `index` (<sys/platform/x86.h>, glibc >= 2.33),
 * or 0 where that copy cannot be had safely (docs/AMX-FACTS.md "glibc's CPUID leaves"). */
int amx_platform_glibc_leaf(unsigned index, struct amxshim_cpuid *out);
/* glibc's CPUID_INDEX_* numbers (an ABI: new ones are appended). */
#define AMX_GLIBC_INDEX_1 0
#define AMX_GLIBC_INDEX_7 1
#define AMX_GLIBC_INDEX_D_1 3
#define AMX_GLIBC_INDEX_7_1 6

/* leaves.c: each CPUID leaf and XCR0 read at most once per copy of the resolver, glibc's copy first. The
 * public slots (enum amxshim_leaf) and two the leaf-1EH.1 features need. amx_leaf() returns 1 when glibc
 * answered. amx_caches_reset() is for the fake platform's tests only (fake_reset). */
enum { AMX_SLOT_1E_1 = AMXSHIM_LEAF_COUNT, AMX_SLOT_24_0, AMX_SLOT_COUNT };
int amx_leaf(unsigned slot, struct amxshim_cpuid *out);
uint64_t amx_xcr0(void);
void amx_leaves_forget(void);
void amx_caches_reset(void);

/* leaf_read: bit i, cpuid[i] was read; bit 16+i, it was not read because XCR0 and the kernel's
 * ARCH_GET_XCOMP_SUPP vouch for it (the cheap path, probe.c). */
#define AMX_LEAF_BIT(slot) (1u << (slot))
#define AMX_LEAF_VOUCHED(slot) (1u << (16 + (slot)))
#define AMX_LEAF_VOUCHED_ALL (0xffffu << 16)

/* probe.c: amx_next_input() names the next input the decision needs (pure); amx_gather() reads until
 * none is missing. `how`: AMX_GATHER_ALL reads every CPU input (amxshim_probe), EXPLAIN what the detail line
 * needs too, KERNEL the GET masks even when the CPU disagrees, REQUEST asks for permission when every other
 * layer agrees. */
enum amx_input_kind {
	AMX_IN_DONE,
	AMX_IN_LEAF,    /* the CPUID leaf in .slot */
	AMX_IN_FORGET,  /* drop leaves the max basic leaf disowns (read above it: another leaf's data) */
	AMX_IN_XCR0,    /* XGETBV(0) */
	AMX_IN_KERNEL,  /* ARCH_GET_XCOMP_SUPP and ARCH_GET_XCOMP_PERM */
	AMX_IN_VOUCH,   /* no read: XCR0 and SUPP vouch for the leaves the cheap path skips */
	AMX_IN_NEXT,    /* the leaf-1EH.1 features (leaves 1EH.1, 24H) */
	AMX_IN_REQUEST, /* ARCH_REQ_XCOMP_PERM, then GET_PERM */
};
struct amx_input {
	enum amx_input_kind kind;
	unsigned slot;
};
#define AMX_GATHER_ALL 0x1u
#define AMX_GATHER_EXPLAIN 0x2u
#define AMX_GATHER_KERNEL 0x4u
#define AMX_GATHER_REQUEST 0x8u
struct amx_input amx_next_input(const struct amxshim_state *st, unsigned features, unsigned how);
void amx_gather(struct amxshim_state *st, unsigned features, unsigned how);

/* The leaf-1EH.1 features. Their leaves have no slot in the state (its layout is ABI): only the
 * features land in cpu_features, and leaf_read bits past the slots say what was read or found. */
#define AMX_READ_1E_1 (1u << AMXSHIM_LEAF_COUNT)               /* CPUID.(1EH,1) was read */
#define AMX_READ_24_0 (1u << (AMXSHIM_LEAF_COUNT + 1))         /* CPUID.(24H,0) was read */
#define AMX_AVX512_NO_AVX10_2 (1u << (AMXSHIM_LEAF_COUNT + 2)) /* 1EH.1:EAX[7] set, AVX10 version < 2 */
#define AMX_READ_NEXT (1u << (AMXSHIM_LEAF_COUNT + 3))         /* the leaf-1EH.1 features were read */
#define AMX_XCR0_AVX512 ISA_XFEATURE_MASK_AVX512               /* what AMX-AVX512's ZMM results need */

/* decide.c: pure functions of the inputs (amx_decide and amx_first_disagreement: tool.h). */
unsigned amx_cpu_features(const struct amxshim_state *st);
const char *amx_feature_name(unsigned flag); /* "AMX-TILE" for AMXSHIM_TILE, ... */

/* detail.c: the line that explains `reason` (err: the failed call's errno, else 0). */
void amx_describe(struct amx_line *l, const struct amxshim_state *st, unsigned features, enum amxshim_reason reason,
		  int err);

/* startenv.c (amx_startenv_get and amx_flag_value: tool.h). Whether libc's initialisation (which sets
 * environ) has run: false while ld.so starts the program. */
int amx_libc_started(void);

#define AMX_CPUID_BIT(st, leaf, reg, bit) (((st)->cpuid[leaf].reg >> (bit)) & 1u)

/* Not read by the minimal path because XCR0 and ARCH_GET_XCOMP_SUPP vouch for it (probe.c). */
static inline int amx_vouched(const struct amxshim_state *st, enum amxshim_leaf slot)
{
	return (st->leaf_read & AMX_LEAF_VOUCHED(slot)) != 0;
}

static inline int amx_has_bit(uint64_t mask, unsigned bit)
{
	return (int)((mask >> bit) & 1u);
}

#endif
