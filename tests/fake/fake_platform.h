/* SPDX-License-Identifier: MIT */
/* The fake platform: the link-time seam for resolver/platform.c. libamxresolver-fake.a holds the resolver
 * without platform.o plus this fake, which answers CPUID, XGETBV and arch_prctl from a scripted state:
 *
 *   - a CPUID table keyed by (leaf, subleaf), loaded from a tests/fixtures/cpuid file or set entry by
 *     entry. Unlisted leaves read as zeros. Above the max basic leaf (CPUID.0:EAX) a GenuineIntel table
 *     answers with the highest basic leaf's data, as Intel CPUs do; any other vendor answers zeros (AMD).
 *   - XCR0, and a kernel model: ARCH_GET_XCOMP_SUPP/PERM results or errors, ARCH_REQ_XCOMP_PERM outcome
 *     (from the environment: masked as Linux would on that CPU, see fake_kernel_follow_cpu()).
 *   - a log of every arch_prctl call (code, arg) and counters for CPUID/XGETBV calls;
 *   - glibc's copy of leaves 1, 7.0, 7.1 and 0xD.1 (amx_platform_glibc_leaf), from the same table.
 *
 * A test program scripts it with fake_reset() and the setters. A program that scripts nothing (an example
 * library tested through the real dynamic loader) gets its state lazily, at the first platform call, from
 * the initial environment: AMXSHIM_FAKE_CPU=<fixture path>, AMXSHIM_FAKE_KERNEL=<outcome name> (default
 * "granted"), AMXSHIM_FAKE_XCR0=<hex> (default: the fixture's xcr0 line, else CPUID.(0xD,0) EDX:EAX, i.e.
 * "the OS enabled everything the CPU supports"). That path calls no libc function: raw system calls, own
 * parser, static buffers; it is safe inside an IFUNC resolver.
 */
#ifndef AMXSHIM_FAKE_PLATFORM_H
#define AMXSHIM_FAKE_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include "../../resolver/internal.h"

#define FAKE_MAX_CPUID 64
#define FAKE_MAX_CALLS 64

/* Kernel outcomes. The masks are those of a Sapphire Rapids host: SUPP 0x602e7 (x87 SSE AVX opmask ZMM
 * PKRU XTILECFG XTILEDATA), PERM before any request = SUPP without the dynamic bit 18. */
enum fake_kernel_outcome {
	FAKE_KERNEL_GRANTED,    /* "granted": REQ(18) returns 0 and ORs bit 18 into PERM */
	FAKE_KERNEL_ALREADY,    /* "already": PERM has bit 18 from the start (REQ would return 0) */
	FAKE_KERNEL_EINVAL,     /* "einval": Linux < 5.16, every ARCH_*_XCOMP_* code is unknown: EINVAL */
	FAKE_KERNEL_EOPNOTSUPP, /* "eopnotsupp": the kernel did not enable AMX: SUPP/PERM 0x2e7, REQ EOPNOTSUPP */
	FAKE_KERNEL_ENOSPC,     /* "enospc": REQ fails with ENOSPC (a thread's sigaltstack is too small) */
	FAKE_KERNEL_EPERM,      /* "eperm": a seccomp policy answers EPERM to REQ */
	FAKE_KERNEL_ENOSYS,     /* "enosys": a seccomp policy answers ENOSYS to REQ */
	FAKE_KERNEL_OVERWRITE,  /* "overwrite": 5.16/5.17 bug: REQ returns 0, PERM becomes exactly 1<<18 */
	FAKE_KERNEL_COUNT
};

#define FAKE_SUPP_AMX 0x602e7ull
#define FAKE_SUPP_NO_AMX 0x2e7ull

enum fake_req_effect {
	FAKE_REQ_OR,        /* correct kernels: perm |= 1 << arg */
	FAKE_REQ_OVERWRITE, /* 5.16/5.17 before 063452fd94d1: perm = 1 << arg */
	FAKE_REQ_NOOP       /* returns 0 but grants nothing (a broken kernel or seccomp "allow + lie") */
};

/* Each *_err is 0 (the call succeeds) or a positive errno the call returns. */
struct fake_kernel {
	int supp_err;
	uint64_t supp;
	int perm_err;       /* ARCH_GET_XCOMP_PERM before any successful request */
	int perm_after_err; /* ARCH_GET_XCOMP_PERM once a request succeeded */
	uint64_t perm;      /* current permission; REQ changes it */
	int req_err;
	enum fake_req_effect req_effect;
};

struct fake_call {
	int code;          /* AMX_ARCH_* or whatever the resolver passed */
	unsigned long arg; /* for REQ the feature index; for GET the pointer */
};

/* Scripting. fake_reset() empties the CPUID table, sets XCR0 0 and the "granted" kernel, clears the log
 * and marks the state as scripted (the environment is then never read). */
void fake_reset(void);
/* Parses fixture text into the CPUID table (replacing it) and, when the text has an `xcr0:` line, XCR0.
 * Returns the number of CPUID lines, or -(line number) of the first line it cannot parse. */
int fake_parse_fixture(const char *text, size_t len);
/* Reads a fixture file with raw system calls. Returns as fake_parse_fixture, or -1000 - errno when the file
 * cannot be read (too big counts as EFBIG). */
int fake_load_fixture(const char *path);
int fake_fixture_has_xcr0(void); /* the last parsed fixture had an xcr0 line */
void fake_set_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx);
/* Pointer to the table entry (created as zeros when absent), to perturb one register of a fixture. */
struct amxshim_cpuid *fake_cpuid_entry(uint32_t leaf, uint32_t subleaf);
void fake_set_xcr0(uint64_t xcr0);
void fake_set_kernel(enum fake_kernel_outcome outcome);
struct fake_kernel *fake_kernel(void); /* the live model, to script anything the presets do not */
/* Makes the model's SUPP/PERM what Linux >= 5.16 reports on the loaded CPU table: without AMX-TILE
 * (7.0:EDX[24]) bits 17+18 dropped, without XFD (0xD.1:EAX[4]) bit 18 dropped (fpu__init_system_xstate).
 * The environment path does this after loading; scripted tests call it when they want a real kernel. */
void fake_kernel_follow_cpu(void);
const char *fake_kernel_name(enum fake_kernel_outcome outcome);
int fake_kernel_from_name(const char *name); /* -1 when unknown */

/* What the resolver did. */
void fake_clear_log(void);
unsigned fake_call_count(void); /* arch_prctl calls (the log keeps the first FAKE_MAX_CALLS) */
const struct fake_call *fake_call(unsigned i);
unsigned fake_count_code(int code); /* arch_prctl calls with this code */
unsigned fake_cpuid_calls(void);
unsigned fake_cpuid_above_max(void); /* CPUID calls for a basic leaf above CPUID.0:EAX */
unsigned fake_xgetbv_calls(void);
unsigned fake_xgetbv_faults(void); /* XGETBV while CPUID.1:ECX.OSXSAVE is clear (#UD on hardware) */
unsigned fake_glibc_calls(void);   /* leaves taken from the stand-in for glibc's copy (no CPUID) */
/* Whether glibc keeps its leaves (default yes, as glibc >= 2.33 in a dynamic program); fake_reset() keeps
 * the setting. The environment path: AMXSHIM_FAKE_GLIBC=0 for no. */
void fake_set_glibc(int has_leaves);

/* The environment path: 0 when it was not used or loaded fine, else the fake_load_fixture error, or -2000
 * for an unknown AMXSHIM_FAKE_KERNEL, -2001 for a bad AMXSHIM_FAKE_XCR0, -2002 when AMXSHIM_FAKE_CPU is
 * unset, FAKE_ENV_SECURE in a secure-execution process (settings ignored). The table stays empty (all
 * zeros) on a fixture error. */
#define FAKE_ENV_SECURE (-2003)
int fake_env_status(void);
int fake_env_loaded(void); /* the state came from the environment */

/* The installed test kit (testkit/testkit.c, built into libamxresolver-test.a with FAKE_TESTKIT): told once
 * when a process's settings reached the fake (fixture path or NULL, fake_env_status()). */
void testkit_settings_used(const char *fixture, int env_status);

#endif
