// SPDX-License-Identifier: MIT
/* The real api.c and probe.c over the fake platform: the call log of the cached entry points.
 *
 * api.c's cache is process-global and AMXSHIM_DISABLE is read from the initial stack, so each scenario
 * runs in a fresh process: the driver re-executes this program (/proc/self/exe --scenario NAME DIR) with
 * an environment made of exactly the scenario's variables, and checks that it exits 0. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "unit.h"

static const char *fixture_dir;

static void load(const char *file, uint64_t xcr0, enum fake_kernel_outcome kernel)
{
	unit_load(file);
	if (!fake_fixture_has_xcr0())
		fake_set_xcr0(xcr0);
	fake_set_kernel(kernel);
}

#define SPR "sapphire-rapids.txt", 0x602e7            /* XCR0 inferred from 0xD.0:EBX=0x2b00 */
#define GNR "granite-rapids.txt", 0x602e7             /* same inference */
#define EMR_OFF "emerald-rapids-os-amx-off.txt", 0xe7 /* inferred from 0xD.0:EBX=0xa80 */

struct counts {
	unsigned calls, cpuid, xgetbv;
};

static struct counts now(void)
{
	return (struct counts){ fake_call_count(), fake_cpuid_calls(), fake_xgetbv_calls() };
}

static void assert_unchanged(struct counts before)
{
	assert_int_equal(fake_call_count(), before.calls);
	assert_int_equal(fake_cpuid_calls(), before.cpuid);
	assert_int_equal(fake_xgetbv_calls(), before.xgetbv);
}

/* ---- scenarios (each in its own process) ---- */

static void first_call_then_cached(void **state)
{
	(void)state;
	load(SPR, FAKE_KERNEL_GRANTED);
	assert_true(amxshim_usable(AMXSHIM_TILE));
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, GET_PERM, 0);
	assert_true(fake_cpuid_calls() > 0);
	assert_int_equal(fake_xgetbv_calls(), 1);
	assert_int_equal(fake_cpuid_above_max(), 0);
	struct counts c = now();
	assert_true(amxshim_usable(AMXSHIM_TILE));
	assert_true(amxshim_usable(AMXSHIM_INT8 | AMXSHIM_BF16));
	assert_false(amxshim_usable(AMXSHIM_FP16));
	struct amxshim_state st;
	assert_true(amxshim_state(&st, AMXSHIM_TILE));
	assert_int_equal(st.reason, AMXSHIM_OK);
	unit_assert_contains(st.detail, "granted");
	assert_false(amxshim_state(&st, AMXSHIM_COMPLEX));
	assert_int_equal(st.reason, AMXSHIM_CPU);
	assert_unchanged(c);
}

static void already_granted(void **state)
{
	(void)state;
	load(SPR, FAKE_KERNEL_ALREADY);
	assert_true(amxshim_usable(AMXSHIM_TILE));
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);
	struct counts c = now();
	struct amxshim_state st;
	assert_true(amxshim_state(&st, AMXSHIM_INT8));
	unit_assert_contains(st.detail, "already");
	assert_unchanged(c);
}

static void state_first(void **state)
{
	(void)state;
	load(SPR, FAKE_KERNEL_OVERWRITE);
	struct amxshim_state st;
	assert_true(amxshim_state(&st, AMXSHIM_BF16));
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, GET_PERM, 0);
	assert_int_equal(st.perm_after, 1ull << 18);
	unit_assert_contains(st.detail, "overwrote");
	struct counts c = now();
	assert_true(amxshim_usable(AMXSHIM_TILE));
	assert_unchanged(c);
}

/* The cache reads only what the decision needs: a CPU without AMX-TILE costs leaf 7.0, which glibc's loader
 * already read (no CPUID at all; one without glibc's copy), no XGETBV, no arch_prctl. The detail line of
 * amxshim_state() adds leaf 0; amxshim_probe() still reads every CPU input for those who want to see them. */
static void no_amx_reads_one_leaf(int glibc)
{
	fake_set_glibc(glibc);
	load("zen3-epyc-this-machine.txt", 0, FAKE_KERNEL_GRANTED);
	assert_false(amxshim_usable(AMXSHIM_TILE));
	assert_int_equal(fake_cpuid_calls(), glibc ? 0 : 1);
	assert_int_equal(fake_glibc_calls(), glibc ? 1 : 0);
	assert_int_equal(fake_xgetbv_calls(), 0);
	assert_int_equal(fake_call_count(), 0);
	struct amxshim_state st;
	assert_false(amxshim_state(&st, AMXSHIM_TILE));
	assert_int_equal(st.reason, AMXSHIM_CPU);
	assert_int_equal(fake_cpuid_calls(), glibc ? 1 : 2);
	assert_int_equal(st.leaf_read, (1u << AMXSHIM_LEAF_0) | (1u << AMXSHIM_LEAF_7_0));
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, 0));
	assert_true(st.leaf_read & (1u << AMXSHIM_LEAF_1));
	assert_int_equal(st.xcr0, 0x207); /* measured, in the fixture */
	assert_int_equal(fake_call_count(), 0);
}

static void no_amx_reads_one_leaf_glibc(void **state)
{
	(void)state;
	no_amx_reads_one_leaf(1);
}

static void no_amx_reads_one_leaf_no_glibc(void **state)
{
	(void)state;
	no_amx_reads_one_leaf(0);
}

/* Every process under the shim on an AMX machine pays for each CPUID (a VM exit in a VM). The
 * measured Firecracker VM: 7.0, 1, 7.1, 0x1D.0 and nothing else; XCR0 and SUPP vouch for the rest; glibc's
 * loader already read the first three, so only the palette leaf 0x1D.0 is a CPUID of ours. */
static void vm_cheap_path(int glibc)
{
	fake_set_glibc(glibc);
	load("sapphire-rapids-firecracker-vm-measured.txt", 0, FAKE_KERNEL_GRANTED);
	assert_true(amxshim_usable(AMXSHIM_TILE));
	assert_int_equal(fake_cpuid_calls(), glibc ? 1 : 4);
	assert_int_equal(fake_glibc_calls(), glibc ? 3 : 0);
	assert_int_equal(fake_xgetbv_calls(), 1);
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, GET_PERM, 0);
	struct counts c = now();
	struct amxshim_state st;
	assert_true(amxshim_state(&st, AMXSHIM_INT8 | AMXSHIM_BF16));
	assert_int_equal(st.leaf_read & 0xffffu, (1u << AMXSHIM_LEAF_1) | (1u << AMXSHIM_LEAF_7_0) |
							 (1u << AMXSHIM_LEAF_7_1) | (1u << AMXSHIM_LEAF_1D_0));
	assert_false(amxshim_state(&st, AMXSHIM_FP16)); /* 7.1 was read: SPR has no AMX-FP16 */
	unit_assert_contains(st.detail, "AMX-FP16");
	assert_unchanged(c);
	/* amxshim_probe() still reads every leaf. */
	assert_true(amxshim_probe(&st, AMXSHIM_TILE, 0));
	assert_int_equal(st.leaf_read, (1u << AMXSHIM_LEAF_COUNT) - 1);
}

static void vm_one_cpuid(void **state)
{
	(void)state;
	vm_cheap_path(1);
}

static void vm_four_cpuids_without_glibc(void **state)
{
	(void)state;
	vm_cheap_path(0);
}

/* ENOSPC lasts only while some thread's sigaltstack is too small: it is not cached, the next call asks
 * again; any other outcome is final. */
static void enospc_is_retried(void **state)
{
	(void)state;
	load(SPR, FAKE_KERNEL_ENOSPC);
	assert_false(amxshim_usable(AMXSHIM_TILE));
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, 0);
	struct amxshim_state st;
	assert_false(amxshim_state(&st, AMXSHIM_TILE));
	assert_int_equal(st.reason, AMXSHIM_ALTSTACK);
	assert_int_equal(fake_count_code(AMX_ARCH_REQ_XCOMP_PERM), 2);
	assert_int_equal(fake_count_code(AMX_ARCH_GET_XCOMP_SUPP), 1); /* the CPU and SUPP stay cached */
	fake_set_kernel(FAKE_KERNEL_GRANTED);                          /* the small stack is gone */
	assert_true(amxshim_usable(AMXSHIM_TILE));
	assert_int_equal(fake_count_code(AMX_ARCH_REQ_XCOMP_PERM), 3);
	struct counts c = now();
	assert_true(amxshim_usable(AMXSHIM_INT8));
	assert_true(amxshim_state(&st, AMXSHIM_TILE));
	assert_int_equal(st.reason, AMXSHIM_OK);
	assert_unchanged(c);
}

/* AMXSHIM_DISABLE=1 in the initial environment: no arch_prctl at all. */
static void disabled(void **state)
{
	(void)state;
	load(SPR, FAKE_KERNEL_GRANTED);
	assert_false(amxshim_usable(AMXSHIM_TILE));
	assert_int_equal(fake_call_count(), 0);
	/* "disabled" is the first layer: the CPU is not even read (CPUID traps in VMs). */
	assert_int_equal(fake_cpuid_calls(), 0);
	assert_int_equal(fake_xgetbv_calls(), 0);
	struct amxshim_state st;
	assert_false(amxshim_state(&st, AMXSHIM_TILE));
	assert_int_equal(st.reason, AMXSHIM_DISABLED);
	assert_int_equal(st.disabled, 1);
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST));
	assert_int_equal(st.reason, AMXSHIM_DISABLED);
	assert_int_equal(fake_call_count(), 0);
	/* amxinfo's view: read the kernel, never request, still "disabled". */
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_READ_KERNEL));
	assert_int_equal(st.reason, AMXSHIM_DISABLED);
	assert_int_equal(st.supp, 0x602e7);
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_READ_KERNEL | AMXSHIM_PROBE_REQUEST));
	assert_int_equal(st.reason, AMXSHIM_DISABLED);
	unit_assert_calls(2, GET_SUPP, GET_PERM, 0);
	assert_int_equal(fake_count_code(REQ), 0);
}

/* AMXSHIM_DISABLE=maybe: unrecognised counts as set. */
static void disabled_unrecognised(void **state)
{
	(void)state;
	load(SPR, FAKE_KERNEL_ALREADY);
	struct amxshim_state st;
	assert_false(amxshim_state(&st, AMXSHIM_TILE));
	assert_int_equal(st.reason, AMXSHIM_DISABLED);
	assert_int_equal(st.disabled, 2);
	unit_assert_contains(st.detail, "unrecognised");
	assert_int_equal(fake_call_count(), 0);
}

/* AMXSHIM_DISABLE=off: not disabled. */
static void disable_off(void **state)
{
	(void)state;
	load(SPR, FAKE_KERNEL_GRANTED);
	assert_true(amxshim_usable(AMXSHIM_TILE));
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, GET_PERM, 0);
}

/* An earlier layer disagrees: the kernel is read but never asked. */
static void earlier_layer_xcr0(void **state)
{
	(void)state;
	load(EMR_OFF, FAKE_KERNEL_GRANTED);
	assert_false(amxshim_usable(AMXSHIM_TILE));
	assert_int_equal(fake_call_count(), 0); /* a CPU layer disagrees: no arch_prctl at all */
	struct amxshim_state st;
	assert_false(amxshim_state(&st, AMXSHIM_TILE));
	assert_int_equal(st.reason, AMXSHIM_XCR0);
	unit_assert_contains(st.detail, "0xe7");
	assert_false(amxshim_usable(AMXSHIM_INT8));
	assert_int_equal(fake_call_count(), 0);
	/* A diagnostic may read the kernel anyway, never request. */
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_READ_KERNEL | AMXSHIM_PROBE_REQUEST));
	assert_int_equal(st.reason, AMXSHIM_XCR0);
	assert_int_equal(st.supp, 0x602e7);
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);
}

static void earlier_layer_kernel_unsupported(void **state)
{
	(void)state;
	load(SPR, FAKE_KERNEL_EOPNOTSUPP);
	assert_false(amxshim_usable(AMXSHIM_TILE));
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);
	struct amxshim_state st;
	assert_false(amxshim_state(&st, AMXSHIM_TILE));
	assert_int_equal(st.reason, AMXSHIM_KERNEL_UNSUPPORTED);
	assert_int_equal(fake_call_count(), 2);
}

static void probe_without_request(void **state)
{
	(void)state;
	load(SPR, FAKE_KERNEL_GRANTED);
	struct amxshim_state st;
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, 0));
	assert_int_equal(st.reason, AMXSHIM_NOT_REQUESTED);
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);
	assert_int_equal(fake_kernel()->perm & (1ull << 18), 0);
	/* probe is uncached: a second one reads again. */
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_READ_KERNEL));
	assert_int_equal(st.reason, AMXSHIM_NOT_REQUESTED);
	unit_assert_calls(2, GET_SUPP, GET_PERM, 0);
	assert_true(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST));
	unit_assert_calls(4, GET_SUPP, GET_PERM, REQ_18, GET_PERM, 0);
}

/* FP16 on Sapphire Rapids: no request; TILE afterwards requests once. */
static void fp16_then_tile(void **state)
{
	(void)state;
	load(SPR, FAKE_KERNEL_GRANTED);
	assert_false(amxshim_usable(AMXSHIM_FP16));
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);
	assert_false(amxshim_usable(AMXSHIM_COMPLEX));
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);
	assert_true(amxshim_usable(AMXSHIM_TILE));
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, GET_PERM, 0);
	struct counts c = now();
	assert_false(amxshim_usable(AMXSHIM_FP16));
	assert_true(amxshim_usable(AMXSHIM_INT8));
	assert_unchanged(c);
}

/* Granite Rapids has FP16, not COMPLEX. */
static void gnr_fp16_complex(void **state)
{
	(void)state;
	load(GNR, FAKE_KERNEL_GRANTED);
	assert_false(amxshim_usable(AMXSHIM_COMPLEX));
	assert_int_equal(fake_count_code(REQ), 0);
	assert_true(amxshim_usable(AMXSHIM_FP16));
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, GET_PERM, 0);
	assert_false(amxshim_usable(AMXSHIM_ALL_FEATURES));
	assert_int_equal(fake_call_count(), 4);
}

/* Diamond Rapids (synthesized): a leaf-1EH.1 flag is answered through the cache's snapshot plus those
 * leaves; a CPU layer that disagrees for it makes no request, one that agrees requests exactly once. */
static void dmr_next_flags(void **state)
{
	struct amxshim_state st;
	(void)state;
	load("diamond-rapids-synthesized.txt", 0, FAKE_KERNEL_GRANTED);
	fake_cpuid_entry(0x24, 0)->ebx = 0x70001; /* AVX10.1: no AMX-AVX512 */
	assert_false(amxshim_usable(AMXSHIM_AVX512));
	assert_int_equal(fake_count_code(REQ), 0);
	assert_int_equal(amxshim_state(&st, AMXSHIM_AVX512), 0);
	unit_assert_contains(st.detail, "AVX10.2");
	assert_true(amxshim_usable(AMXSHIM_FP8 | AMXSHIM_MOVRS));
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, GET_PERM, 0);
	assert_true(amxshim_usable(AMXSHIM_TILE)); /* the classic cache, still unrequested: asks again */
	assert_true(amxshim_peek(&st, AMXSHIM_FP8));
	assert_int_equal(st.cpu_features & AMX_NEXT_FEATURES, AMXSHIM_FP8 | AMXSHIM_MOVRS);
}

/* A refusal is final: asked once, never again. */
static void denied_is_cached(void **state)
{
	(void)state;
	load(SPR, FAKE_KERNEL_EPERM);
	assert_false(amxshim_usable(AMXSHIM_TILE));
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, 0);
	struct counts c = now();
	assert_false(amxshim_usable(AMXSHIM_TILE));
	struct amxshim_state st;
	assert_false(amxshim_state(&st, AMXSHIM_INT8));
	assert_int_equal(st.reason, AMXSHIM_DENIED);
	assert_int_equal(st.err, EPERM);
	unit_assert_contains(st.detail, "EPERM");
	assert_unchanged(c);
}

/* The fake loaded from the initial environment, as an example library would use it. */
static void env_fake_overwrite(void **state)
{
	(void)state;
	/* Nothing scripted: AMXSHIM_FAKE_CPU=measured VM, AMXSHIM_FAKE_KERNEL=overwrite. */
	assert_true(amxshim_usable(AMXSHIM_TILE));
	assert_int_equal(fake_env_loaded(), 1);
	assert_int_equal(fake_env_status(), 0);
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, GET_PERM, 0);
	struct amxshim_state st;
	assert_true(amxshim_state(&st, AMXSHIM_TILE));
	assert_int_equal(st.xcr0, 0x600e7); /* the fixture's measured xcr0 line */
	unit_assert_contains(st.detail, "overwrote");
}

static void env_fake_enospc(void **state)
{
	(void)state;
	/* AMXSHIM_FAKE_CPU=sapphire-rapids.txt (no xcr0 line: XCR0 = 0xD.0 EDX:EAX = 0x602e7). */
	struct amxshim_state st;
	assert_false(amxshim_state(&st, AMXSHIM_TILE));
	assert_int_equal(fake_env_status(), 0);
	assert_int_equal(st.xcr0, 0x602e7);
	assert_int_equal(st.reason, AMXSHIM_ALTSTACK);
	assert_int_equal(st.err, ENOSPC);
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, 0);
}

static void env_fake_xcr0(void **state)
{
	(void)state;
	/* AMXSHIM_FAKE_CPU=emerald-rapids.txt, AMXSHIM_FAKE_XCR0=0xe7, kernel default (granted). */
	struct amxshim_state st;
	assert_false(amxshim_state(&st, AMXSHIM_TILE));
	assert_int_equal(fake_env_status(), 0);
	assert_int_equal(st.reason, AMXSHIM_XCR0);
	assert_int_equal(fake_count_code(REQ), 0);
}

static void env_fake_errors(void **state)
{
	(void)state;
	/* AMXSHIM_FAKE_CPU=<dir>/no-such-file.txt AMXSHIM_FAKE_KERNEL=granted: an empty CPU. */
	assert_false(amxshim_usable(AMXSHIM_TILE));
	assert_int_equal(fake_env_loaded(), 1);
	assert_int_equal(fake_env_status(), -1000 - ENOENT);
	struct amxshim_state st;
	assert_false(amxshim_state(&st, AMXSHIM_TILE));
	assert_int_equal(st.reason, AMXSHIM_CPU);
}

static void env_fake_bad_kernel(void **state)
{
	(void)state;
	assert_int_equal(fake_env_status(), -2000);
}

/* ---- the driver ---- */

struct scenario {
	const char *name;
	void (*run)(void **state);
	const char *env[3]; /* "NAME=value"; "@file" in AMXSHIM_FAKE_CPU is replaced by <fixture dir>/file */
};

static const struct scenario scenarios[] = {
	{ "first_call_then_cached", first_call_then_cached, { 0 } },
	{ "no_amx_reads_one_leaf_glibc", no_amx_reads_one_leaf_glibc, { 0 } },
	{ "no_amx_reads_one_leaf_no_glibc", no_amx_reads_one_leaf_no_glibc, { 0 } },
	{ "vm_one_cpuid", vm_one_cpuid, { 0 } },
	{ "vm_four_cpuids_without_glibc", vm_four_cpuids_without_glibc, { 0 } },
	{ "enospc_is_retried", enospc_is_retried, { 0 } },
	{ "already_granted", already_granted, { 0 } },
	{ "state_first", state_first, { 0 } },
	{ "disabled", disabled, { "AMXSHIM_DISABLE=1" } },
	{ "disabled_yes", disabled, { "AMXSHIM_DISABLE=YES" } },
	{ "disabled_unrecognised", disabled_unrecognised, { "AMXSHIM_DISABLE=maybe" } },
	{ "disable_off", disable_off, { "AMXSHIM_DISABLE=off" } },
	{ "disable_empty", disable_off, { "AMXSHIM_DISABLE=" } },
	{ "earlier_layer_xcr0", earlier_layer_xcr0, { 0 } },
	{ "earlier_layer_kernel_unsupported", earlier_layer_kernel_unsupported, { 0 } },
	{ "probe_without_request", probe_without_request, { 0 } },
	{ "fp16_then_tile", fp16_then_tile, { 0 } },
	{ "gnr_fp16_complex", gnr_fp16_complex, { 0 } },
	{ "dmr_next_flags", dmr_next_flags, { 0 } },
	{ "denied_is_cached", denied_is_cached, { 0 } },
	{ "env_fake_overwrite",
	  env_fake_overwrite,
	  { "AMXSHIM_FAKE_CPU=@sapphire-rapids-firecracker-vm-measured.txt", "AMXSHIM_FAKE_KERNEL=overwrite" } },
	{ "env_fake_enospc",
	  env_fake_enospc,
	  { "AMXSHIM_FAKE_CPU=@sapphire-rapids.txt", "AMXSHIM_FAKE_KERNEL=enospc" } },
	{ "env_fake_xcr0", env_fake_xcr0, { "AMXSHIM_FAKE_CPU=@emerald-rapids.txt", "AMXSHIM_FAKE_XCR0=0xe7" } },
	{ "env_fake_errors", env_fake_errors, { "AMXSHIM_FAKE_CPU=@no-such-file.txt", "AMXSHIM_FAKE_KERNEL=granted" } },
	{ "env_fake_bad_kernel",
	  env_fake_bad_kernel,
	  { "AMXSHIM_FAKE_CPU=@sapphire-rapids.txt", "AMXSHIM_FAKE_KERNEL=sometimes" } },
};
#define N_SCENARIOS (sizeof scenarios / sizeof scenarios[0])

/* This program's path, resolved once: valgrind reports its client here, while an execve of
 * /proc/self/exe from inside valgrind would start valgrind's own tool binary. */
static char self_path[4096];

static void run_in_fresh_process(void **state)
{
	const struct scenario *s = *state;
	char storage[3][4096];
	char *envp[4] = { 0 };
	for (int i = 0; i < 3 && s->env[i]; i++) {
		const char *at = strchr(s->env[i], '@');
		if (at)
			snprintf(storage[i], sizeof storage[i], "%.*s%s/%s", (int)(at - s->env[i]), s->env[i],
				 fixture_dir, at + 1);
		else
			snprintf(storage[i], sizeof storage[i], "%s", s->env[i]);
		envp[i] = storage[i];
	}
	char *argv[] = { (char *)"test_api", (char *)"--scenario", (char *)s->name, (char *)fixture_dir, 0 };
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execve(self_path, argv, envp);
		_exit(126);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("scenario %s failed in its own process (status 0x%x)", s->name, status);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--scenario") == 0) {
		fixture_dir = argv[3];
		setenv("AMXSHIM_FIXTURE_DIR", fixture_dir, 1); /* for unit_load(); environ only, not the stack */
		for (unsigned i = 0; i < N_SCENARIOS; i++) {
			if (strcmp(scenarios[i].name, argv[2]) == 0) {
				const struct CMUnitTest one[] = { { scenarios[i].name, scenarios[i].run, 0, 0, 0 } };
				return cmocka_run_group_tests_name(argv[2], one, NULL, NULL) ? 1 : 0;
			}
		}
		fprintf(stderr, "test_api: no scenario %s\n", argv[2]);
		return 2;
	}
	fixture_dir = unit_fixture_dir();
	ssize_t len = readlink("/proc/self/exe", self_path, sizeof self_path - 1);
	if (len <= 0) {
		perror("test_api: readlink /proc/self/exe");
		return 2;
	}
	self_path[len] = 0;
	static struct CMUnitTest tests[N_SCENARIOS];
	for (unsigned i = 0; i < N_SCENARIOS; i++)
		tests[i] = (struct CMUnitTest){ scenarios[i].name, run_in_fresh_process, 0, 0, (void *)&scenarios[i] };
	return cmocka_run_group_tests_name("api (one process per scenario)", tests, NULL, NULL) ? 1 : 0;
}
