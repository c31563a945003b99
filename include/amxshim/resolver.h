/* SPDX-License-Identifier: MIT */
/* <amxshim/resolver.h> — is Intel AMX usable in this process, and if not, why not.
 *
 * Link statically: `pkg-config --cflags --libs --static amxresolver`. Every function here is safe to call
 * from a GNU IFUNC resolver of a library linked with -z lazy: it calls no libc function, goes through no
 * PLT, touches no TLS or errno, and reads the AMXSHIM_DISABLE opt-out from the stack while environ is NULL.
 * The first call probes CPUID, XCR0 and the kernel once and caches the result; later calls are a load
 * and a few bit tests. libamxshim.so exports the same functions: those of 1.0 at version AMXSHIM_1.0,
 * those marked "since 1.1" at AMXSHIM_1.1.
 */
#ifndef AMXSHIM_RESOLVER_H
#define AMXSHIM_RESOLVER_H

#include <stdint.h>

/* The release, defined here once: the build reads it for the tools' --version, amxresolver.pc, the man
 * pages and the Debian package. */
#define AMXSHIM_VERSION_MAJOR 1
#define AMXSHIM_VERSION_MINOR 1
#define AMXSHIM_VERSION_PATCH 0
#define AMXSHIM_VERSION_STRING "1.1.0"
/* One integer for #if tests (since 1.1): MAJOR * 10000 + MINOR * 100 + PATCH, 10100 for 1.1.0. */
#define AMXSHIM_VERSION_NUMBER (AMXSHIM_VERSION_MAJOR * 10000 + AMXSHIM_VERSION_MINOR * 100 + AMXSHIM_VERSION_PATCH)

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
#define AMXSHIM_RESOLVER_CONTEXT                                                        \
	AMXSHIM_NO_SSP_ AMXSHIM_NO_PROFILE_ AMXSHIM_NO_SANITIZE_ AMXSHIM_NO_TSAN_HOOKS_ \
		__attribute__((no_instrument_function))

/* Empty for the static library (hidden in the library that links it); libamxshim.so defines it to export
 * these functions at version AMXSHIM_1.0, or AMXSHIM_1.1 for those added in 1.1 (amxshim.map). */
#ifndef AMXSHIM_API
#define AMXSHIM_API
#endif

/* Sub-features; every one implies AMXSHIM_TILE. */
/* clang-format off */
#define AMXSHIM_TILE    0x01u /* CPUID.(7,0):EDX[24] */
#define AMXSHIM_INT8    0x02u /* CPUID.(7,0):EDX[25] */
#define AMXSHIM_BF16    0x04u /* CPUID.(7,0):EDX[22] */
#define AMXSHIM_FP16    0x08u /* CPUID.(7,1):EAX[21] */
#define AMXSHIM_COMPLEX 0x10u /* CPUID.(7,1):EDX[8]  */
#define AMXSHIM_FP8     0x20u /* CPUID.(1EH,1):EAX[4] */
#define AMXSHIM_AVX512  0x40u /* CPUID.(1EH,1):EAX[7], AVX-512 state in XCR0 and AVX10.2 */
#define AMXSHIM_MOVRS   0x80u /* CPUID.(1EH,1):EAX[8] */
/* clang-format on */
#define AMXSHIM_ALL_FEATURES 0xffu

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
	/* clang-format off */
	AMXSHIM_LEAF_0, AMXSHIM_LEAF_1, AMXSHIM_LEAF_7_0, AMXSHIM_LEAF_7_1,
	AMXSHIM_LEAF_D_0, AMXSHIM_LEAF_D_1, AMXSHIM_LEAF_D_18,
	AMXSHIM_LEAF_1D_0, AMXSHIM_LEAF_1D_1, AMXSHIM_LEAF_1E_0,
	/* clang-format on */
	AMXSHIM_LEAF_COUNT
};

struct amxshim_state {
	/* Inputs. */
	struct amxshim_cpuid cpuid[AMXSHIM_LEAF_COUNT];
	uint32_t leaf_read; /* bit i set: cpuid[i] was read (within the max leaf/subleaf); bit 16+i set:
	                            not read, XCR0 and ARCH_GET_XCOMP_SUPP vouch for it (cached path) */
	uint64_t xcr0;
	int xcr0_read; /* 0 when OSXSAVE is clear (XGETBV would fault) */
	uint64_t supp; /* ARCH_GET_XCOMP_SUPP */
	int supp_err;  /* 0 ok, else the errno; -1 not asked */
	uint64_t perm; /* ARCH_GET_XCOMP_PERM before any request */
	int perm_err;
	int req_err;           /* ARCH_REQ_XCOMP_PERM: 0 ok, else errno; -1 not made */
	uint64_t perm_after;   /* ARCH_GET_XCOMP_PERM after the request */
	int perm_after_err;    /* -1 when not asked */
	int disabled;          /* AMXSHIM_DISABLE: 0 unset, 1 set, 2 set to an unrecognised value */
	unsigned cpu_features; /* AMXSHIM_* flags CPUID reports (before any other layer) */
	/* The decision for .features. */
	unsigned features; /* what was asked for */
	int usable;
	enum amxshim_reason reason;
	int err;          /* the errno behind kernel-old/kernel-unsupported/denied/altstack, else 0 */
	char detail[160]; /* one human line, never empty */
};

/* Nonzero only when every requested feature is usable now (permission is requested when needed). */
AMXSHIM_API int amxshim_usable(unsigned features);

/* The cached state with the decision for `features`; returns state->usable. Like amxshim_usable(), it
 * REQUESTS permission when every other layer agrees and the process has not asked yet: a logging call
 * changes the process's permissions. To look without asking, use amxshim_peek(). (g++ -Wshadow calls this
 * function a shadow of the struct's constructor; both names are ABI since 1.0, so the warning is silenced
 * here. The pair is the only one: no other name may be both a tag and a function, tests/build/layering.sh.) */
#if defined(__cplusplus) && defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#endif
AMXSHIM_API int amxshim_state(struct amxshim_state *state, unsigned features);
#if defined(__cplusplus) && defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/* The cached state and decision for `features`, never requesting permission (since 1.1): reason
 * "not-requested" while this process has not asked; "ok" once anything in the process has (the shim, a
 * resolver, amxshim_usable()). Reads what amxshim_state() reads on first use; never calls ARCH_REQ_XCOMP_PERM. */
AMXSHIM_API int amxshim_peek(struct amxshim_state *state, unsigned features);

/* A fresh, uncached probe of every CPU input. Requests permission only with AMXSHIM_PROBE_REQUEST (and
 * only when every other layer agrees). The kernel is read only when AMXSHIM_DISABLE is unset and the CPU
 * layers agree, so that non-AMX machines and sandboxes that kill on arch_prctl are never touched;
 * AMXSHIM_PROBE_READ_KERNEL reads its GET masks regardless (diagnostics such as amxinfo), never requesting.
 * (amxshim_usable() and amxshim_state() read less: nothing when disabled, two CPUID leaves without
 * AMX-TILE, four with it.) Each call executes up to ten CPUIDs: in a predicate, use amxshim_cpuid_leaf() or
 * amxshim_isa_usable(). */
#define AMXSHIM_PROBE_REQUEST 0x1u
#define AMXSHIM_PROBE_READ_KERNEL 0x2u
AMXSHIM_API int amxshim_probe(struct amxshim_state *state, unsigned features, unsigned flags);

/* "ok", "disabled", "cpu", ...; "unknown" for a number out of range. */
AMXSHIM_API const char *amxshim_reason_name(int reason);

/* ---- Other instruction sets, for variant predicates (since 1.1) --------------------------------------
 * Each CPUID leaf and XCR0 is read once per copy of the resolver and cached; later calls are loads. Safe in
 * a resolver, never reads the kernel or requests anything, ignores AMXSHIM_DISABLE (it is about AMX only).
 *
 * amxshim_cpuid_leaf(): fills *out with the leaf (zeros when the CPU does not report it: above the max basic
 * leaf or subleaf) and returns 1 when it exists. amxshim_xcr0(): XCR0 in *xcr0, 1 when readable (CPUID
 * OSXSAVE), else 0 and *xcr0 = 0. amxshim_isa_usable(): nonzero when the CPU has every instruction set in
 * `isa` AND the OS saves the registers they use (XCR0), as the AVX and AVX-512 "usable" rules require. */
#define AMXSHIM_ISA_AVX2 0x1u        /* AVX, AVX2 and FMA; XCR0 SSE+AVX state */
#define AMXSHIM_ISA_AVX512 0x2u      /* AVX-512 F, CD, BW, DQ, VL (x86-64-v4); XCR0 SSE+AVX+opmask+ZMM */
#define AMXSHIM_ISA_AVX512_VNNI 0x4u /* AMXSHIM_ISA_AVX512 and CPUID.(7,0):ECX[11] */
#define AMXSHIM_ISA_AVX512_BF16 0x8u /* AMXSHIM_ISA_AVX512 and CPUID.(7,1):EAX[5] */
AMXSHIM_API int amxshim_cpuid_leaf(enum amxshim_leaf leaf, struct amxshim_cpuid *out);
AMXSHIM_API int amxshim_xcr0(uint64_t *xcr0);
AMXSHIM_API int amxshim_isa_usable(unsigned isa);

/* ---- IFUNC helper and variant registry ------------------------------------------------------------
 * A function with an AMX variant and fallbacks, bound once by the dynamic loader:
 *
 *   void gemm(const float *a, ...);                        // the public declaration, before the registry
 *   static void gemm_amx(const float *a, ...);             // same signature each
 *   static void gemm_avx2(const float *a, ...);
 *   static void gemm_c(const float *a, ...);
 *   AMXSHIM_RESOLVER_CONTEXT static int have_avx2(void) { return amxshim_isa_usable(AMXSHIM_ISA_AVX2); }
 *   static const struct amxshim_variant gemm_variants[] = {  // best first; the last must always work
 *       AMXSHIM_VARIANT_OF(gemm, gemm_amx, AMXSHIM_TILE | AMXSHIM_BF16, 0),
 *       AMXSHIM_VARIANT_OF(gemm, gemm_avx2, 0, have_avx2),
 *       AMXSHIM_VARIANT_OF(gemm, gemm_c, 0, 0),
 *   };
 *   AMXSHIM_IFUNC(gemm, gemm_variants)
 *   ...
 *   printf("gemm: using %s\n", AMXSHIM_BOUND(gemm)->name);   // "gemm_amx"
 *
 * The registry is plain data, so tests and benchmarks can walk it and call every usable variant (as glibc's
 * ifunc-impl-list). Predicates run inside the resolver: they must not call libc or go through the PLT, and
 * they should carry AMXSHIM_RESOLVER_CONTEXT (no stack protector, sanitizer or profiling instrumentation:
 * none of those runtimes exists yet). To export the function from a shared library, put the visibility
 * attribute on its declaration.
 *
 * Checked at compile time: AMXSHIM_VARIANT_OF() rejects a function whose type differs from the IFUNC's (in
 * C++ it also picks the right overload of an overloaded variant); AMXSHIM_IFUNC() rejects an empty array, a
 * pointer instead of an array, and an array of anything but struct amxshim_variant. AMXSHIM_VARIANT()
 * (1.0, kept) cannot see the IFUNC and checks nothing.
 *
 * Language: C99 or later, C++11 or later, GNU C extensions (__typeof__, attributes) as gcc and clang have
 * them; clean under -Wall -Wextra -Wpedantic -Wshadow -Wcast-function-type. C++ limits: AMXSHIM_IFUNC
 * works at namespace scope on a function that is not a class member and not overloaded (it takes the
 * function's type with __typeof__); the resolver's symbol is `<name>_amxshim_resolve` unmangled, so two
 * IFUNCs with the same unqualified name in one object clash even in different namespaces. */
typedef void (*amxshim_fn)(void);

struct amxshim_variant {
	const char *name;
	amxshim_fn fn;       /* cast back to the function's own type before calling */
	unsigned amx;        /* AMXSHIM_* features the variant needs; 0 for none */
	int (*usable)(void); /* any other requirement (e.g. AVX2); NULL for none */
};

/* Casts between function pointer types are what a registry is; clang >= 16's -Wcast-function-type(-strict)
 * flags each one, so only these casts are exempt. */
/* clang-format off */
#if defined(__clang__)
#define AMXSHIM_FNCAST_(type, fn)                                                                          \
	_Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wunknown-warning-option\"")   \
	_Pragma("clang diagnostic ignored \"-Wcast-function-type\"")                                      \
	_Pragma("clang diagnostic ignored \"-Wcast-function-type-strict\"")((type)(fn))                   \
	_Pragma("clang diagnostic pop")
#else
#define AMXSHIM_FNCAST_(type, fn) ((type)(fn))
#endif

#define AMXSHIM_VARIANT(fn, amx_features, predicate)                                                       \
	{ #fn, AMXSHIM_FNCAST_(amxshim_fn, fn), (amx_features), (predicate) }

/* The same entry, checked against the IFUNC `ifunc` (declared before the registry). */
#ifdef __cplusplus
#define AMXSHIM_VARIANT_OF(ifunc, fn, amx_features, predicate)                                             \
	{ #fn, AMXSHIM_FNCAST_(amxshim_fn, static_cast<__typeof__(ifunc) *>(fn)), (amx_features), (predicate) }
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
/* A static assertion, so that gcc names the user's line ("in expansion of macro") and both names. */
#define AMXSHIM_VARIANT_OF(ifunc, fn, amx_features, predicate)                                             \
	{ #fn, AMXSHIM_FNCAST_(amxshim_fn, fn),                                                             \
	  (amx_features) + (unsigned)(0 * sizeof(struct {                                                   \
		  char amxshim_check_;                                                                      \
		  _Static_assert(__builtin_types_compatible_p(__typeof__(fn), __typeof__(ifunc)),           \
				 "AMXSHIM_VARIANT_OF(" #ifunc ", " #fn "): the variant type differs from " \
				 "the IFUNC type");                                                            \
	  })),                                                                                              \
	  (predicate) }
#else
#define AMXSHIM_VARIANT_OF(ifunc, fn, amx_features, predicate)                                             \
	{ #fn, AMXSHIM_FNCAST_(amxshim_fn, fn),                                                             \
	  (amx_features) + (unsigned)(0 * sizeof(struct {                                                   \
		  char amxshim_variant_type_differs_from_the_ifunc                                          \
			  [__builtin_types_compatible_p(__typeof__(fn), __typeof__(ifunc)) ? 1 : -1];       \
	  })),                                                                                              \
	  (predicate) }
#endif
/* clang-format on */

/* The variant's own predicate first (cheap, no side effect), then AMX, which may request permission: a
 * variant that cannot run anyway never asks the kernel for anything. */
AMXSHIM_RESOLVER_CONTEXT static inline int amxshim_variant_usable(const struct amxshim_variant *v)
{
	return (!v->usable || v->usable()) && (!v->amx || amxshim_usable(v->amx));
}

/* The first usable variant; the last one when none is (it is the portable fallback). */
AMXSHIM_RESOLVER_CONTEXT static inline const struct amxshim_variant *amxshim_select(const struct amxshim_variant *v,
										    unsigned long n)
{
	for (unsigned long i = 0; i + 1 < n; i++)
		if (amxshim_variant_usable(&v[i]))
			return &v[i];
	return &v[n - 1];
}

/* Compile-time checks of the registry AMXSHIM_IFUNC gets: a non-empty array (a pointer is smaller than
 * one entry) of struct amxshim_variant. */
/* clang-format off */
#if defined(__cplusplus)
#define AMXSHIM_CHECK_VARIANTS_(name, variants)                                                            \
	static_assert(sizeof(variants) >= sizeof((variants)[0]) &&                                         \
			      sizeof((variants)[0]) == sizeof(struct amxshim_variant),                     \
		      "AMXSHIM_IFUNC(" #name ", " #variants "): the variants must be a non-empty array of "        \
		      "struct amxshim_variant");
#else
#define AMXSHIM_VARIANTS_OK_(variants)                                                                     \
	(sizeof(variants) >= sizeof((variants)[0]) &&                                                      \
	 __builtin_types_compatible_p(__typeof__((variants)[0]), struct amxshim_variant))
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define AMXSHIM_CHECK_VARIANTS_(name, variants)                                                            \
	_Static_assert(AMXSHIM_VARIANTS_OK_(variants), "AMXSHIM_IFUNC(" #name ", " #variants                \
		       "): the variants must be a non-empty array of struct amxshim_variant");
#else
#define AMXSHIM_CHECK_VARIANTS_(name, variants)                                                            \
	typedef char name##_amxshim_variants_must_be_a_nonempty_array_of_struct_amxshim_variant               \
		[AMXSHIM_VARIANTS_OK_(variants) ? 1 : -1];
#endif
#endif

/* The test kit (pkg-config amxresolver-test, CMake amxresolver::test, amxshim-test(1)) defines
 * AMXSHIM_TEST_KIT: each resolver then tells libamxresolver-test.a what it bound, for the kit's table. A
 * production build never defines it, so its resolvers contain no such call. */
#ifdef AMXSHIM_TEST_KIT
__attribute__((visibility("hidden"))) void amxshim_test_bound_(const char *ifunc, const struct amxshim_variant *variants,
							       unsigned long n, const struct amxshim_variant *chosen);
#define AMXSHIM_TEST_BOUND_(name, variants, chosen)                                                        \
	amxshim_test_bound_(#name, variants, sizeof(variants) / sizeof((variants)[0]), chosen);
#else
#define AMXSHIM_TEST_BOUND_(name, variants, chosen)
#endif

/* The GNU IFUNC `name`, bound to the first usable entry of `variants`. The resolver records the entry it
 * chose, which AMXSHIM_BOUND(name) returns (in the same file): unlike comparing &name with the variants,
 * this survives -O2, static executables (where &name is a PLT stub) and -mcmodel=large. Before the loader
 * has run the resolver (lazy binding, no call yet), AMXSHIM_BOUND runs the same selection and returns the
 * entry it will choose. The resolver gets an assembler name so that the ifunc attribute finds it in C++
 * too (no mangling). */
#define AMXSHIM_IFUNC(name, variants)                                                                        \
	AMXSHIM_CHECK_VARIANTS_(name, variants)                                                              \
	static const struct amxshim_variant *name##_amxshim_chosen;                                          \
	__attribute__((used)) static __typeof__(name) *name##_amxshim_resolve(void)                          \
		__asm__(#name "_amxshim_resolve");                                                           \
	AMXSHIM_RESOLVER_CONTEXT __attribute__((used)) static __typeof__(name) *name##_amxshim_resolve(void) \
	{                                                                                                    \
		const struct amxshim_variant *amxshim_v_ =                                                   \
			amxshim_select(variants, sizeof(variants) / sizeof((variants)[0]));                 \
		__atomic_store_n(&name##_amxshim_chosen, amxshim_v_, __ATOMIC_RELAXED);                      \
		AMXSHIM_TEST_BOUND_(name, variants, amxshim_v_)                                              \
		return AMXSHIM_FNCAST_(__typeof__(name) *, amxshim_v_->fn);                                  \
	}                                                                                                    \
	__attribute__((unused)) static const struct amxshim_variant *name##_amxshim_bound(void)             \
	{                                                                                                    \
		const struct amxshim_variant *amxshim_v_ =                                                   \
			__atomic_load_n(&name##_amxshim_chosen, __ATOMIC_RELAXED);                           \
		return amxshim_v_ ? amxshim_v_                                                               \
				  : amxshim_select(variants, sizeof(variants) / sizeof((variants)[0]));      \
	}                                                                                                    \
	__typeof__(name) name __attribute__((ifunc(#name "_amxshim_resolve")));
/* clang-format on */

/* The registry entry (name, function, requirements) the IFUNC `name` is bound to; never NULL. */
#define AMXSHIM_BOUND(name) (name##_amxshim_bound())

#ifdef __cplusplus
}
#endif
#endif
