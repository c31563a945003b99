// SPDX-License-Identifier: MIT
/* What the API asks the kernel and the CPU, counted through the fake platform, each scenario in a fresh
 * child (the resolver's cache is per process): amxshim_state() requests, amxshim_peek() never does; a
 * variant whose own predicate fails never triggers a request; the ISA checks read each CPUID leaf and
 * XCR0 once, never above the max leaf and never XGETBV without OSXSAVE. argv[1]: the fixture directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fake_platform.h"

static const char *fixtures;
static int failures;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			printf("FAIL: %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);                                    \
			printf("\n");                                           \
			failures++;                                             \
		}                                                               \
	} while (0)

static void load(const char *fixture, enum fake_kernel_outcome kernel)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", fixtures, fixture);
	fake_reset();
	if (fake_load_fixture(path) <= 0) {
		printf("FAIL: cannot load %s\n", path);
		exit(1);
	}
	if (!fake_fixture_has_xcr0())
		fake_set_xcr0(((uint64_t)fake_cpuid_entry(0xd, 0)->edx << 32) | fake_cpuid_entry(0xd, 0)->eax);
	fake_set_kernel(kernel);
}

static unsigned requests(void)
{
	return fake_count_code(AMX_ARCH_REQ_XCOMP_PERM);
}

static void peek_never_requests(void)
{
	struct amxshim_state st;
	load("sapphire-rapids.txt", FAKE_KERNEL_GRANTED);
	CHECK(amxshim_peek(&st, AMXSHIM_TILE) == 0, "peek says usable before any request");
	CHECK(st.reason == AMXSHIM_NOT_REQUESTED, "reason %s", amxshim_reason_name((int)st.reason));
	CHECK(requests() == 0, "peek made %u requests", requests());
	/* The documented side effect: amxshim_state() asks, as amxshim_usable() does. */
	CHECK(amxshim_state(&st, AMXSHIM_TILE) == 1, "state: %s", st.detail);
	CHECK(requests() == 1, "amxshim_state made %u requests, want 1", requests());
	CHECK(amxshim_peek(&st, AMXSHIM_TILE) == 1 && st.reason == AMXSHIM_OK, "peek after the request: %s", st.detail);
	CHECK(requests() == 1, "%u requests after the second peek", requests());
}

static void peek_with_permission_from_elsewhere(void)
{
	struct amxshim_state st;
	load("sapphire-rapids.txt", FAKE_KERNEL_ALREADY);
	CHECK(amxshim_peek(&st, AMXSHIM_TILE) == 1 && st.reason == AMXSHIM_OK, "%s", st.detail);
	CHECK(requests() == 0, "%u requests", requests());
}

static int predicate_calls;
/* clang-format off */
static int never(void) { predicate_calls++; return 0; }
static int always(void) { predicate_calls++; return 1; }
/* clang-format on */
static void f_amx(void)
{
}
static void f_c(void)
{
}

static void predicate_before_request(void)
{
	const struct amxshim_variant gated[] = {
		AMXSHIM_VARIANT(f_amx, AMXSHIM_TILE, never),
		AMXSHIM_VARIANT(f_c, 0, 0),
	};
	load("sapphire-rapids.txt", FAKE_KERNEL_GRANTED);
	CHECK(amxshim_select(gated, 2) == &gated[1], "a variant whose predicate fails was chosen");
	CHECK(predicate_calls == 1, "predicate called %d times", predicate_calls);
	CHECK(requests() == 0, "a variant that cannot run made %u requests", requests());
}

static void predicate_then_request(void)
{
	const struct amxshim_variant gated[] = {
		AMXSHIM_VARIANT(f_amx, AMXSHIM_TILE, always),
		AMXSHIM_VARIANT(f_c, 0, 0),
	};
	load("sapphire-rapids.txt", FAKE_KERNEL_GRANTED);
	CHECK(amxshim_select(gated, 2) == &gated[0], "the usable AMX variant was not chosen");
	CHECK(requests() == 1, "%u requests, want 1", requests());
}

/* want: the AMXSHIM_ISA_* flags the fixture's CPU has. */
static void isa_cached(const char *fixture, unsigned want)
{
	static const unsigned all[] = { AMXSHIM_ISA_AVX2, AMXSHIM_ISA_AVX512, AMXSHIM_ISA_AVX512_VNNI,
					AMXSHIM_ISA_AVX512_BF16 };
	load(fixture, FAKE_KERNEL_GRANTED);
	for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
		CHECK(!!amxshim_isa_usable(all[i]) == !!(want & all[i]), "%s: isa 0x%x", fixture, all[i]);
	unsigned cpuid = fake_cpuid_calls(), xgetbv = fake_xgetbv_calls();
	for (int round = 0; round < 100; round++)
		for (unsigned i = 0; i < sizeof all / sizeof all[0]; i++)
			(void)amxshim_isa_usable(all[i]);
	CHECK(fake_cpuid_calls() == cpuid && fake_xgetbv_calls() == xgetbv, "%s: not cached: %u -> %u CPUIDs", fixture,
	      cpuid, fake_cpuid_calls());
	/* Leaves 0, 1, 7.0 and 7.1 (when the CPU has it), once each; one XGETBV. */
	CHECK(cpuid <= 4 && xgetbv == 1, "%s: %u CPUIDs, %u XGETBVs", fixture, cpuid, xgetbv);
	CHECK(fake_cpuid_above_max() == 0 && fake_xgetbv_faults() == 0, "%s: read past the CPU", fixture);
	CHECK(requests() == 0 && fake_call_count() == 0, "%s: the ISA checks called arch_prctl", fixture);
}

static void isa_without_osxsave(void)
{
	uint64_t xcr0 = 1;
	load("sapphire-rapids.txt", FAKE_KERNEL_GRANTED);
	fake_cpuid_entry(1, 0)->ecx &= ~(1u << 27);
	CHECK(amxshim_xcr0(&xcr0) == 0 && xcr0 == 0, "XCR0 read without OSXSAVE");
	CHECK(amxshim_isa_usable(AMXSHIM_ISA_AVX2) == 0, "AVX2 usable without OSXSAVE");
	CHECK(fake_xgetbv_calls() == 0, "XGETBV executed without OSXSAVE");
}

static void cpuid_above_max(void)
{
	struct amxshim_cpuid out = { 1, 1, 1, 1 };
	load("sapphire-rapids.txt", FAKE_KERNEL_GRANTED);
	fake_cpuid_entry(0, 0)->eax = 7;
	CHECK(amxshim_cpuid_leaf(AMXSHIM_LEAF_1D_0, &out) == 0 && out.eax == 0 && out.ebx == 0, "leaf 0x1d above max");
	CHECK(amxshim_cpuid_leaf(AMXSHIM_LEAF_7_0, &out) == 1 && out.edx != 0, "leaf 7 within max");
	CHECK(fake_cpuid_above_max() == 0, "%u CPUIDs above the max leaf", fake_cpuid_above_max());
	CHECK(amxshim_cpuid_leaf(AMXSHIM_LEAF_COUNT, &out) == 0, "out-of-range slot");
}

static void run(const char *name, void (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		failures = 0; /* the child's own count */
		fn();
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("ok: %s\n", name);
	} else {
		printf("FAIL: %s (status 0x%x)\n", name, status);
		failures++;
	}
}

/* clang-format off */
static void isa_spr(void) { isa_cached("sapphire-rapids.txt", 0xf); }
static void isa_zen3(void) { isa_cached("zen3-epyc-milan.txt", AMXSHIM_ISA_AVX2); }
static void isa_zen4(void) { isa_cached("zen4-genoa.txt", 0xf); }
/* clang-format on */

int main(int argc, char **argv)
{
	fixtures = argc > 1 ? argv[1] : "tests/fixtures/cpuid";
	run("amxshim_peek never requests; amxshim_state does", peek_never_requests);
	run("amxshim_peek sees permission granted elsewhere", peek_with_permission_from_elsewhere);
	run("a variant whose predicate fails makes no request", predicate_before_request);
	run("a variant whose predicate passes requests once", predicate_then_request);
	run("ISA checks on Sapphire Rapids, cached", isa_spr);
	run("ISA checks on Zen 3, cached", isa_zen3);
	run("ISA checks on Zen 4, cached", isa_zen4);
	run("no XGETBV without OSXSAVE", isa_without_osxsave);
	run("amxshim_cpuid never reads above the max leaf", cpuid_above_max);
	return failures ? 1 : 0;
}
