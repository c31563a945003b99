// SPDX-License-Identifier: MIT
/* The registry and the IFUNC resolvers (compiled with RESOLVER_CFLAGS: this code runs inside ld.so's
 * relocation, so no libc, no PLT, no stack protector). */
#include "internal.h"

/* AVX2+FMA usable: CPUID says so and the OS saves YMM state (XCR0 bits 1-2). Read through the resolver's
 * probe, not CPUID directly, so that a build against the fake platform sees the fixture CPU. The probe
 * never requests AMX permission. */
static int have_avx2_fma(void)
{
	struct amxshim_state st;
	amxshim_probe(&st, AMXSHIM_TILE, 0);
	const uint32_t need = (1u << AMXSHIM_LEAF_1) | (1u << AMXSHIM_LEAF_7_0);
	if ((st.leaf_read & need) != need || !st.xcr0_read || (st.xcr0 & 6) != 6)
		return 0;
	uint32_t ecx1 = st.cpuid[AMXSHIM_LEAF_1].ecx, ebx7 = st.cpuid[AMXSHIM_LEAF_7_0].ebx;
	return (ecx1 >> 12 & 1) && (ecx1 >> 27 & 1) && (ecx1 >> 28 & 1) && (ebx7 >> 5 & 1);
}

static const struct amxshim_variant bf16_variants[] = {
	AMXSHIM_VARIANT(gemm_bf16_amx, AMXSHIM_TILE | AMXSHIM_BF16, 0),
	AMXSHIM_VARIANT(gemm_bf16_avx2, 0, have_avx2_fma),
	AMXSHIM_VARIANT(gemm_bf16_c, 0, 0),
};
static const struct amxshim_variant u8s8_variants[] = {
	AMXSHIM_VARIANT(gemm_u8s8_amx, AMXSHIM_TILE | AMXSHIM_INT8, 0),
	AMXSHIM_VARIANT(gemm_u8s8_avx2, 0, have_avx2_fma),
	AMXSHIM_VARIANT(gemm_u8s8_c, 0, 0),
};
static const struct amxshim_variant s8s8_variants[] = {
	AMXSHIM_VARIANT(gemm_s8s8_amx, AMXSHIM_TILE | AMXSHIM_INT8, 0),
	AMXSHIM_VARIANT(gemm_s8s8_avx2, 0, have_avx2_fma),
	AMXSHIM_VARIANT(gemm_s8s8_c, 0, 0),
};

AMXSHIM_IFUNC(amxk_gemm_bf16, bf16_variants)
AMXSHIM_IFUNC(amxk_gemm_u8s8, u8s8_variants)
AMXSHIM_IFUNC(amxk_gemm_s8s8, s8s8_variants)

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *name;
	const struct amxshim_variant *variants;
	size_t count;
} kernels[AMXK_KERNEL_COUNT] = {
	[AMXK_GEMM_BF16] = { "gemm_bf16", bf16_variants, COUNT(bf16_variants) },
	[AMXK_GEMM_U8S8] = { "gemm_u8s8", u8s8_variants, COUNT(u8s8_variants) },
	[AMXK_GEMM_S8S8] = { "gemm_s8s8", s8s8_variants, COUNT(s8s8_variants) },
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

/* The address of an IFUNC symbol is what the loader bound to it (its GOT entry), so comparing it with the
 * registry names the choice without the resolver having to record anything. */
const char *amxk_bound(enum amxk_kernel k)
{
	amxshim_fn bound;
	switch (k) {
	case AMXK_GEMM_BF16: bound = (amxshim_fn)amxk_gemm_bf16; break;
	case AMXK_GEMM_U8S8: bound = (amxshim_fn)amxk_gemm_u8s8; break;
	case AMXK_GEMM_S8S8: bound = (amxshim_fn)amxk_gemm_s8s8; break;
	default: return NULL;
	}
	for (size_t i = 0; i < kernels[k].count; i++)
		if (kernels[k].variants[i].fn == bound)
			return kernels[k].variants[i].name;
	return "unknown";
}

int amxk_why(enum amxk_kernel k, struct amxshim_state *state)
{
	if ((unsigned)k >= AMXK_KERNEL_COUNT)
		return 0;
	return amxshim_state(state, kernels[k].variants[0].amx);
}
