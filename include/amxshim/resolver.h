/* SPDX-License-Identifier: MIT */
/* <amxshim/resolver.h> — is Intel AMX usable in this process, and if not, why not.
 *
 * Link statically: `pkg-config --cflags --libs --static amxresolver`. Every function here is safe to call
 * from a GNU IFUNC resolver of a library linked with -z lazy: it calls no libc function, goes through no
 * PLT, touches no TLS or errno, and reads the AMXSHIM_DISABLE opt-out from the stack while environ is NULL.
 * The first call probes CPUID, XCR0 and the kernel once and caches the result; later calls are a load
 * and a few bit tests. libamxshim.so exports the same functions at version AMXSHIM_1.0.
 */
#ifndef AMXSHIM_RESOLVER_H
#define AMXSHIM_RESOLVER_H

#include <stdint.h>

/* The release, defined here once: the build reads it for the tools' --version, amxresolver.pc, the man
 * pages and the Debian package. */
#define AMXSHIM_VERSION_MAJOR 1
#define AMXSHIM_VERSION_MINOR 0
#define AMXSHIM_VERSION_PATCH 0
#define AMXSHIM_VERSION_STRING "1.0.0"

#ifdef __cplusplus
extern "C" {
#endif

/* Code that runs inside an IFUNC resolver runs before TLS (the stack canary), before any sanitizer or
 * profiling runtime is set up: no consumer flag may instrument it. Every function the header generates or
 * inlines into a resolver carries this; put it on your own variant predicates too. */
#if defined(__has_attribute)
#if __has_attribute(no_stack_protector)
#define AMXSHIM_NO_SSP_ __attribute__((no_stack_protector))
#endif
#if __has_attribute(disable_sanitizer_instrumentation) /* clang 14+: also TSan's function entry/exit hooks */
#define AMXSHIM_NO_TSAN_HOOKS_ __attribute__((disable_sanitizer_instrumentation))
#endif
#if __has_attribute(no_profile_instrument_function)
#define AMXSHIM_NO_PROFILE_ __attribute__((no_profile_instrument_function))
#endif
#endif
#ifndef AMXSHIM_NO_SSP_
#define AMXSHIM_NO_SSP_
#endif
#ifndef AMXSHIM_NO_PROFILE_
#define AMXSHIM_NO_PROFILE_
#endif
#ifndef AMXSHIM_NO_TSAN_HOOKS_
#define AMXSHIM_NO_TSAN_HOOKS_
#endif
#if defined(__clang__)
#define AMXSHIM_NO_SANITIZE_ __attribute__((no_sanitize("address", "hwaddress", "thread", "memory", "undefined")))
#else
#define AMXSHIM_NO_SANITIZE_ __attribute__((no_sanitize("address", "thread", "undefined")))
#endif
#define AMXSHIM_RESOLVER_CONTEXT \
	AMXSHIM_NO_SSP_ AMXSHIM_NO_PROFILE_ AMXSHIM_NO_SANITIZE_ AMXSHIM_NO_TSAN_HOOKS_ __attribute__((no_instrument_function))

/* Empty for the static library (hidden in the library that links it); libamxshim.so defines it to export
 * these functions at version AMXSHIM_1.0. */
#ifndef AMXSHIM_API
#define AMXSHIM_API
#endif

/* Sub-features; every one implies AMXSHIM_TILE. */
#define AMXSHIM_TILE    0x01u /* CPUID.(7,0):EDX[24] */
#define AMXSHIM_INT8    0x02u /* CPUID.(7,0):EDX[25] */
#define AMXSHIM_BF16    0x04u /* CPUID.(7,0):EDX[22] */
#define AMXSHIM_FP16    0x08u /* CPUID.(7,1):EAX[21] */
#define AMXSHIM_COMPLEX 0x10u /* CPUID.(7,1):EDX[8]  */
#define AMXSHIM_ALL_FEATURES 0x1fu

/* The first layer that disagrees, in the order they are checked. Stable: the numbers and the names
 * returned by amxshim_reason_name() never change meaning. */
enum amxshim_reason {
	AMXSHIM_OK = 0,             /* "ok" */
	AMXSHIM_DISABLED,           /* "disabled": AMXSHIM_DISABLE is set */
	AMXSHIM_CPU,                /* "cpu": CPUID lacks a requested feature or XSAVE support for tiles */
	AMXSHIM_OSXSAVE,            /* "osxsave": CPUID.1:ECX.OSXSAVE clear, XGETBV not allowed */
	AMXSHIM_XCR0,               /* "xcr0": the OS did not enable XTILECFG/XTILEDATA in XCR0 */
	AMXSHIM_XFD,                /* "xfd": no XFD, or XTILEDATA cannot be XFD-armed */
	AMXSHIM_PALETTE,            /* "palette": no palette 1 or unexpected tile/TMUL geometry */
	AMXSHIM_KERNEL_OLD,         /* "kernel-old": arch_prctl answered EINVAL (Linux < 5.16) */
	AMXSHIM_KERNEL_UNSUPPORTED, /* "kernel-unsupported": SUPP lacks bits 17+18, or EOPNOTSUPP */
	AMXSHIM_DENIED,             /* "denied": EPERM, ENOSYS or another refusal (see .err) */
	AMXSHIM_ALTSTACK,           /* "altstack": ENOSPC, a thread's sigaltstack is too small */
	AMXSHIM_NOT_REQUESTED,      /* "not-requested": all agree, but this process has not asked (only from
	                               amxshim_probe() without AMXSHIM_PROBE_REQUEST) */
	AMXSHIM_REASON_COUNT
};

/* Everything the decision was made from. Fields a layer could not read are left zero and flagged. */
struct amxshim_cpuid {
	uint32_t eax, ebx, ecx, edx;
};

enum amxshim_leaf {
	AMXSHIM_LEAF_0, AMXSHIM_LEAF_1, AMXSHIM_LEAF_7_0, AMXSHIM_LEAF_7_1,
	AMXSHIM_LEAF_D_0, AMXSHIM_LEAF_D_1, AMXSHIM_LEAF_D_18,
	AMXSHIM_LEAF_1D_0, AMXSHIM_LEAF_1D_1, AMXSHIM_LEAF_1E_0,
	AMXSHIM_LEAF_COUNT
};

struct amxshim_state {
	/* Inputs. */
	struct amxshim_cpuid cpuid[AMXSHIM_LEAF_COUNT];
	uint32_t leaf_read;      /* bit i set: cpuid[i] was read (within the max leaf/subleaf); bit 16+i set:
	                            not read, XCR0 and ARCH_GET_XCOMP_SUPP vouch for it (cached path) */
	uint64_t xcr0;
	int xcr0_read;           /* 0 when OSXSAVE is clear (XGETBV would fault) */
	uint64_t supp;           /* ARCH_GET_XCOMP_SUPP */
	int supp_err;            /* 0 ok, else the errno; -1 not asked */
	uint64_t perm;           /* ARCH_GET_XCOMP_PERM before any request */
	int perm_err;
	int req_err;             /* ARCH_REQ_XCOMP_PERM: 0 ok, else errno; -1 not made */
	uint64_t perm_after;     /* ARCH_GET_XCOMP_PERM after the request */
	int perm_after_err;      /* -1 when not asked */
	int disabled;            /* AMXSHIM_DISABLE: 0 unset, 1 set, 2 set to an unrecognised value */
	unsigned cpu_features;   /* AMXSHIM_* flags CPUID reports (before any other layer) */
	/* The decision for .features. */
	unsigned features;       /* what was asked for */
	int usable;
	enum amxshim_reason reason;
	int err;                 /* the errno behind kernel-old/kernel-unsupported/denied/altstack, else 0 */
	char detail[160];        /* one human line, never empty */
};

/* Nonzero only when every requested feature is usable now (permission is requested when needed). */
AMXSHIM_API int amxshim_usable(unsigned features);

/* The cached state with the decision for `features`; returns state->usable. */
AMXSHIM_API int amxshim_state(struct amxshim_state *state, unsigned features);

/* A fresh, uncached probe of every CPU input. Requests permission only with AMXSHIM_PROBE_REQUEST (and
 * only when every other layer agrees). The kernel is read only when AMXSHIM_DISABLE is unset and the CPU
 * layers agree, so that non-AMX machines and sandboxes that kill on arch_prctl are never touched;
 * AMXSHIM_PROBE_READ_KERNEL reads its GET masks regardless (diagnostics such as amxinfo), never requesting.
 * (amxshim_usable() and amxshim_state() read less: nothing when disabled, two CPUID leaves without
 * AMX-TILE, four with it.) */
#define AMXSHIM_PROBE_REQUEST     0x1u
#define AMXSHIM_PROBE_READ_KERNEL 0x2u
AMXSHIM_API int amxshim_probe(struct amxshim_state *state, unsigned features, unsigned flags);

/* "ok", "disabled", "cpu", ...; "unknown" for a number out of range. */
AMXSHIM_API const char *amxshim_reason_name(int reason);

/* ---- IFUNC helper and variant registry ------------------------------------------------------------
 * A function with an AMX variant and fallbacks, bound once by the dynamic loader:
 *
 *   void gemm(const float *a, ...);                        // the public declaration
 *   static void gemm_amx(const float *a, ...);             // same signature each
 *   static void gemm_avx2(const float *a, ...);
 *   static void gemm_c(const float *a, ...);
 *   static int have_avx2(void) { __builtin_cpu_init(); return __builtin_cpu_supports("avx2"); }
 *   static const struct amxshim_variant gemm_variants[] = {  // best first; the last must always work
 *       AMXSHIM_VARIANT(gemm_amx, AMXSHIM_TILE | AMXSHIM_BF16, 0),
 *       AMXSHIM_VARIANT(gemm_avx2, 0, have_avx2),
 *       AMXSHIM_VARIANT(gemm_c, 0, 0),
 *   };
 *   AMXSHIM_IFUNC(gemm, gemm_variants)
 *
 * The registry is plain data, so tests and benchmarks can walk it and call every usable variant (as glibc's
 * ifunc-impl-list). Predicates run inside the resolver: they must not call libc through the PLT. To export
 * the function from a shared library, put the visibility attribute on its declaration. Compile the file
 * with -fno-stack-protector: in static executables resolvers run before TLS, which holds the canary. */
typedef void (*amxshim_fn)(void);

struct amxshim_variant {
	const char *name;
	amxshim_fn fn;        /* cast back to the function's own type before calling */
	unsigned amx;         /* AMXSHIM_* features the variant needs; 0 for none */
	int (*usable)(void);  /* any other requirement (e.g. AVX2); NULL for none */
};

#define AMXSHIM_VARIANT(fn, amx_features, predicate) { #fn, (amxshim_fn)(fn), (amx_features), (predicate) }

AMXSHIM_RESOLVER_CONTEXT static inline int amxshim_variant_usable(const struct amxshim_variant *v)
{
	return (!v->amx || amxshim_usable(v->amx)) && (!v->usable || v->usable());
}

/* The first usable variant; the last one when none is (it is the portable fallback). */
AMXSHIM_RESOLVER_CONTEXT static inline const struct amxshim_variant *amxshim_select(const struct amxshim_variant *v, unsigned long n)
{
	for (unsigned long i = 0; i + 1 < n; i++)
		if (amxshim_variant_usable(&v[i]))
			return &v[i];
	return &v[n - 1];
}

/* The resolver gets an assembler name so that the ifunc attribute finds it in C++ too (no mangling). */
#define AMXSHIM_IFUNC(name, variants)                                                                        \
	__attribute__((used)) static __typeof__(name) *name##_amxshim_resolve(void)                          \
		__asm__(#name "_amxshim_resolve");                                                           \
	AMXSHIM_RESOLVER_CONTEXT __attribute__((used)) static __typeof__(name) *name##_amxshim_resolve(void) \
	{                                                                                                    \
		return (__typeof__(name) *)amxshim_select(variants, sizeof(variants) / sizeof((variants)[0]))->fn; \
	}                                                                                                    \
	__typeof__(name) name __attribute__((ifunc(#name "_amxshim_resolve")));

#ifdef __cplusplus
}
#endif
#endif
