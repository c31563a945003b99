// SPDX-License-Identifier: MIT
/* CPUIDs per library load: the example library's objects linked into this program with the fake
 * platform (AMXSHIM_FAKE_CPU etc. from the environment). The data references below make the loader run
 * all three resolvers before main, as it does for the library; main prints what they cost:
 * "cpuid=N xgetbv=N req=N" and the bound variant of each kernel, then the counts after every
 * variant's predicate was evaluated, and after a second round (which must read nothing: all cached). */
#include <stdio.h>
#include "amxkernels.h"
#include "fake_platform.h"

typedef void any_fn(void);
__attribute__((used)) static any_fn *const refs[] = {
	(any_fn *)amxk_gemm_bf16,
	(any_fn *)amxk_gemm_u8s8,
	(any_fn *)amxk_gemm_s8s8,
};

static void counts(void)
{
	printf("cpuid=%u xgetbv=%u req=%u", fake_cpuid_calls(), fake_xgetbv_calls(),
	       fake_count_code(AMX_ARCH_REQ_XCOMP_PERM));
}

int main(void)
{
	counts();
	for (int k = 0; k < AMXK_KERNEL_COUNT; k++)
		printf(" %s", amxk_bound((enum amxk_kernel)k));
	printf("\n");
	for (int round = 0; round < 2; round++) {
		for (int k = 0; k < AMXK_KERNEL_COUNT; k++) {
			size_t n;
			amxk_variants((enum amxk_kernel)k, &n);
			for (size_t i = 0; i < n; i++)
				(void)amxk_variant_usable((enum amxk_kernel)k, i);
		}
		counts();
		printf("\n");
	}
	return fake_env_status() != 0;
}
