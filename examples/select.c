// SPDX-License-Identifier: MIT
/* The registry and the IFUNC resolvers (compiled with RESOLVER_CFLAGS: this code runs inside ld.so's
 * relocation, so no libc, no PLT, no stack protector). */
#include "internal.h"

/* AVX2+FMA usable: CPUID says so and the OS saves YMM state (XCR0 bits 1-2). The resolver's cached reads
 * (one CPUID per leaf per library, not a probe per predicate call), through the platform seam, so that a
 * build against the fake platform sees the fixture CPU. Never requests AMX permission. */
AMXSHIM_RESOLVER_CONTEXT static int have_avx2_fma(void)
{
	return amxshim_isa_usable(AMXSHIM_ISA_AVX2);
}

static const struct amxshim_variant bf16_variants[] = {
	AMXSHIM_VARIANT_OF(amxk_gemm_bf16, gemm_bf16_amx, AMXSHIM_TILE | AMXSHIM_BF16, 0),
	AMXSHIM_VARIANT_OF(amxk_gemm_bf16, gemm_bf16_avx2, 0, have_avx2_fma),
	AMXSHIM_VARIANT_OF(amxk_gemm_bf16, gemm_bf16_c, 0, 0),
};
static const struct amxshim_variant u8s8_variants[] = {
	AMXSHIM_VARIANT_OF(amxk_gemm_u8s8, gemm_u8s8_amx, AMXSHIM_TILE | AMXSHIM_INT8, 0),
	AMXSHIM_VARIANT_OF(amxk_gemm_u8s8, gemm_u8s8_avx2, 0, have_avx2_fma),
	AMXSHIM_VARIANT_OF(amxk_gemm_u8s8, gemm_u8s8_c, 0, 0),
};
static const struct amxshim_variant s8s8_variants[] = {
	AMXSHIM_VARIANT_OF(amxk_gemm_s8s8, gemm_s8s8_amx, AMXSHIM_TILE | AMXSHIM_INT8, 0),
	AMXSHIM_VARIANT_OF(amxk_gemm_s8s8, gemm_s8s8_avx2, 0, have_avx2_fma),
	AMXSHIM_VARIANT_OF(amxk_gemm_s8s8, gemm_s8s8_c, 0, 0),
};

/* AMX-FP8 has no AVX2 counterpart here: the portable variant has the same semantics bit for bit. */
static const struct amxshim_variant hf8_variants[] = {
	AMXSHIM_VARIANT_OF(amxk_gemm_hf8, gemm_hf8_amx, AMXSHIM_TILE | AMXSHIM_FP8, 0),
	AMXSHIM_VARIANT_OF(amxk_gemm_hf8, gemm_hf8_c, 0, 0),
};

AMXSHIM_IFUNC(amxk_gemm_bf16, bf16_variants)
AMXSHIM_IFUNC(amxk_gemm_u8s8, u8s8_variants)
AMXSHIM_IFUNC(amxk_gemm_s8s8, s8s8_variants)
AMXSHIM_IFUNC(amxk_gemm_hf8, hf8_variants)

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	const struct amxshim_variant *variants;
	size_t count;
} kernels[AMXK_KERNEL_COUNT] = {
	[AMXK_GEMM_BF16] = { "gemm_bf16", bf16_variants, COUNT(bf16_variants) },
	[AMXK_GEMM_U8S8] = { "gemm_u8s8", u8s8_variants, COUNT(u8s8_variants) },
	[AMXK_GEMM_S8S8] = { "gemm_s8s8", s8s8_variants, COUNT(s8s8_variants) },
	[AMXK_GEMM_HF8] = { "gemm_hf8", hf8_variants, COUNT(hf8_variants) },
};

const char *amxk_kernel_name(enum amxk_kernel k)
{
	return (unsigned)k < AMXK_KERNEL_COUNT ? kernels[k].name : NULL;
}

const struct amxshim_variant *amxk_variants(enum amxk_kernel k, size_t *count)
{
	if ((unsigned)k >= AMXK_KERNEL_COUNT) {
		*count = 0;
		return NULL;
	}
	*count = kernels[k].count;
	return kernels[k].variants;
}

int amxk_variant_usable(enum amxk_kernel k, size_t i)
{
	if ((unsigned)k >= AMXK_KERNEL_COUNT || i >= kernels[k].count)
		return 0;
	return amxshim_variant_usable(&kernels[k].variants[i]);
}

/* What the resolver recorded (AMXSHIM_BOUND), not &amxk_gemm_*: an IFUNC's address compared with the
 * registry is folded away at -O2, is a PLT stub in static executables and is rejected with -mcmodel=large. */
const char *amxk_bound(enum amxk_kernel k)
{
	switch (k) {
	case AMXK_GEMM_BF16: return AMXSHIM_BOUND(amxk_gemm_bf16)->name;
	case AMXK_GEMM_U8S8: return AMXSHIM_BOUND(amxk_gemm_u8s8)->name;
	case AMXK_GEMM_S8S8: return AMXSHIM_BOUND(amxk_gemm_s8s8)->name;
	case AMXK_GEMM_HF8: return AMXSHIM_BOUND(amxk_gemm_hf8)->name;
	default: return NULL;
	}
}

int amxk_why(enum amxk_kernel k, struct amxshim_state *state)
{
	if ((unsigned)k >= AMXK_KERNEL_COUNT)
		return 0;
	return amxshim_state(state, kernels[k].variants[0].amx);
}
