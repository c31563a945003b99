// SPDX-License-Identifier: MIT
/* amxshim-test's view of one recorded CPU and kernel outcome (AMXSHIM_FAKE_CPU, AMXSHIM_FAKE_KERNEL), through
 * the test build of the resolver, as a library linked with it sees them. One "key value..." line each:
 *   settings 0|ERROR   isa SET...   amx FEATURE...   decision REASON (for AMX-TILE)
 * Run by amxshim-test only (libexec). */
#include <stdio.h>
#include <amxshim/resolver.h>
#include "../tests/fake/fake_platform.h"

static const struct {
	unsigned flag;
	const char *name;
} isa_sets[] = {
	{ AMXSHIM_ISA_AVX2, "AVX2" },
	{ AMXSHIM_ISA_AVX512, "AVX512" },
	{ AMXSHIM_ISA_AVX512_VNNI, "AVX512_VNNI" },
	{ AMXSHIM_ISA_AVX512_BF16, "AVX512_BF16" },
};

int main(void)
{
	struct amxshim_state st;
	amxshim_state(&st, AMXSHIM_TILE);
	printf("settings %d\n", fake_env_status());
	fputs("isa", stdout);
	for (size_t i = 0; i < sizeof isa_sets / sizeof isa_sets[0]; i++)
		if (amxshim_isa_usable(isa_sets[i].flag))
			printf(" %s", isa_sets[i].name);
	fputs("\namx", stdout);
	for (unsigned f = 1; f & AMXSHIM_ALL_FEATURES; f <<= 1)
		if (st.cpu_features & f)
			printf(" %s", amx_feature_name(f));
	printf("\ndecision %s\n", amxshim_reason_name(st.reason));
	return ferror(stdout) ? 1 : 0;
}
