// SPDX-License-Identifier: MIT
/* The decision, from real CPUID fixtures and a scripted kernel: amxshim_probe(AMXSHIM_PROBE_REQUEST) is
 * uncached, so every case runs in this one process over a freshly scripted fake.
 *
 * Every expected value below was written by hand from the fixture's registers and the layers documented
 * in <amxshim/resolver.h> and docs/AMX-FACTS.md (see the comments), never by running the code under test. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"

#define OK AMXSHIM_OK
#define CPU AMXSHIM_CPU
#define XCR0 AMXSHIM_XCR0
#define XFD AMXSHIM_XFD
#define PAL AMXSHIM_PALETTE

/* The feature sets every fixture is asked about. */
static const unsigned feature_sets[] = {
	AMXSHIM_TILE,         AMXSHIM_INT8, AMXSHIM_BF16,   AMXSHIM_FP16,  AMXSHIM_COMPLEX,
	AMXSHIM_ALL_FEATURES, AMXSHIM_FP8,  AMXSHIM_AVX512, AMXSHIM_MOVRS,
};
#define N_SETS (sizeof feature_sets / sizeof feature_sets[0])

/* The first layer before the kernel that disagrees, per feature set (OK: CPU, OSXSAVE, XCR0, XFD and
 * palette all agree, the kernel decides). */
struct fixture_row {
	const char *file;
	uint64_t xcr0;         /* used only when the file has no xcr0 line */
	unsigned cpu_features; /* AMXSHIM_* bits read off 7.0:EDX b24/25/22, 7.1:EAX b21, 7.1:EDX b8, and
	                          (only when asked for) 0x1E.1:EAX b4/7/8 */
	enum amxshim_reason first[N_SETS];
	/* CPUIDs of the cheap path as amxshim_state() takes it, with a Linux kernel whose SUPP holds bits 17+18,
	 * and with one whose SUPP lacks them or errs (EINVAL/EOPNOTSUPP), without glibc's copy of leaves 1,
	 * 7.0, 7.1, 0xD.1 (glibc < 2.33, a static program), then with it: the same reads less those of the four
	 * that were read (see test_minimal_case). */
	unsigned cpuid_supp, cpuid_nosupp, glibc_supp, glibc_nosupp;
};

static const struct fixture_row fixtures[] = {
	/* clang-format off */
	/* 7.0:EDX=0xffdd4430 (b22 b24 b25 set), 7.1:EAX=0x1c30 (b21 clear), 7.1:EDX=0; 0xD.0:EAX=0x602e7,
	 * 0xD.1:EAX=0x1f, 0xD.18:ECX=6, palette 8192/1024/64/8/16, K 16 N 64.
	 * XCR0 inferred: 0xD.0:EBX=0x2b00 equals ECX (the size with every feature of EAX=0x602e7 on). */
	{ "sapphire-rapids.txt", 0x602e7, 0x07, { OK, OK, OK, CPU, CPU, CPU, CPU, CPU, CPU }, 4, 10, 1, 6 },
	/* 7.0:EDX=0xffdd4432: same AMX bits as SPR; 7.1 identical. XCR0 inferred as for SPR (EBX=0x2b00). */
	{ "emerald-rapids.txt", 0x602e7, 0x07, { OK, OK, OK, CPU, CPU, CPU, CPU, CPU, CPU }, 4, 10, 1, 6 },
	/* 7.1:EAX=0x40201d30 has b21 (AMX-FP16); 7.1:EDX=0x000e4000 lacks b8 (AMX-COMPLEX). XCR0 inferred from
	 * 0xD.0:EBX=0x2b00 as for SPR. */
	{ "granite-rapids.txt", 0x602e7, 0x0f, { OK, OK, OK, OK, CPU, CPU, CPU, CPU, CPU }, 4, 10, 1, 6 },
	/* Measured here: 7.0:EDX=0x23c14010 (b22 b24 b25), 7.1:EAX=0x1c30, xcr0 0x600e7 in the file. */
	{ "sapphire-rapids-firecracker-vm-measured.txt", 0, 0x07, { OK, OK, OK, CPU, CPU, CPU, CPU, CPU, CPU }, 4, 10, 1, 6 },
	/* Measured on a lent cloud VM: 7.0:EDX=0xbfd14410 (b22 b24 b25), 7.1:EAX=0x1c30, 7.1:EDX=0,
	 * 0x1E.0:EAX=0 (no 0x1E.1 to read); xcr0 0x602e7 in the file. */
	{ "emerald-rapids-vm-measured.txt", 0, 0x07, { OK, OK, OK, CPU, CPU, CPU, CPU, CPU, CPU }, 4, 10, 1, 6 },
	/* 7.0:EDX=0xbc040412: b24 clear. XCR0 inferred from 0xD.0:EBX=0xa80 (end of Hi16_ZMM): 0xe7. */
	{ "icelake-server.txt", 0xe7, 0, { CPU, CPU, CPU, CPU, CPU, CPU, CPU, CPU, CPU }, 2, 2, 1, 1 },
	/* 7.0:EDX=0x10. XCR0 inferred from 0xD.0:EBX=0x340 (end of the AVX area): 0x7. */
	{ "zen3-epyc-milan.txt", 0x7, 0, { CPU, CPU, CPU, CPU, CPU, CPU, CPU, CPU, CPU }, 2, 2, 1, 1 },
	/* 7.0:EDX=0x88000010; xcr0 0x207 measured, in the file. */
	{ "zen3-epyc-this-machine.txt", 0, 0, { CPU, CPU, CPU, CPU, CPU, CPU, CPU, CPU, CPU }, 2, 2, 1, 1 },
	/* 7.0:EDX=0x10000010. XCR0 inferred from 0xD.0:EBX=0x980 (end of Hi16_ZMM): 0xe7. */
	{ "zen4-genoa.txt", 0xe7, 0, { CPU, CPU, CPU, CPU, CPU, CPU, CPU, CPU, CPU }, 2, 2, 1, 1 },
	/* 7.0:EDX=0x10000110. XCR0 inferred from 0xD.0:EBX=0x980: 0xe7. */
	{ "zen5-turin.txt", 0xe7, 0, { CPU, CPU, CPU, CPU, CPU, CPU, CPU, CPU, CPU }, 2, 2, 1, 1 },
	/* 7.0:EDX=0xbc004400: b22/24/25 clear. The excerpt has no leaf 0xD, so XCR0 is unknown: 0x2e7 is a
	 * placeholder (AVX-512 + PKRU guest); the cpu layer answers before XCR0 is looked at. */
	{ "sapphire-rapids-aws-r7iz-vm-amx-hidden.txt", 0x2e7, 0, { CPU, CPU, CPU, CPU, CPU, CPU, CPU, CPU, CPU }, 2, 2, 1, 1 },
	/* CPUID as EMR (AMX bits set), but 0xD.0:EBX=0xa80: the file's xcr0 line, 0xe7, is inferred from it. */
	{ "emerald-rapids-os-amx-off.txt", 0, 0x07, { XCR0, XCR0, XCR0, CPU, CPU, CPU, CPU, CPU, CPU }, 10, 10, 6, 6 },
	/* Synthesized: 0xD.1:EAX=0x0f (b4 clear), 0xD.18:ECX=2; xcr0 0x602e7 in the file. */
	{ "sapphire-rapids-vm-no-xfd-synthesized.txt", 0, 0x07, { XFD, XFD, XFD, CPU, CPU, CPU, CPU, CPU, CPU }, 10, 10, 6, 6 },
	/* Synthesized: 0x1D.0:EAX=0 (no palette 1); xcr0 0x602e7 in the file. */
	{ "sapphire-rapids-vm-zero-palettes-synthesized.txt", 0, 0x07, { PAL, PAL, PAL, CPU, CPU, CPU, CPU, CPU, CPU }, 9, 9, 5, 5 },
	/* Synthesized from granite-rapids.txt (each bit's source in the file): 7.1:EDX b8 (AMX-COMPLEX), b19
	 * (AVX10), b21 (APX_F); 0x1E.0:EAX=1, 0x1E.1:EAX=0x19f; 0x24.0:EBX=0x70002 (AVX10.2); xcr0 0xe02e7. */
	{ "diamond-rapids-synthesized.txt", 0, 0xff, { OK, OK, OK, OK, OK, OK, OK, OK, OK }, 4, 10, 1, 6 },
	/* clang-format on */
};
/* The CPUID counts, by hand: an AMX CPU whose SUPP has 17+18 reads 7.0, 1, 7.1 (7.0:EAX=2 >= 1) and 0x1D.0;
 * any disagreement then reads the other six (0, 0xD.0/1/18, 0x1D.1, 0x1E.0): 10. Without AMX-TILE, 7.0 and
 * leaf 0. EMR with AMX off in XCR0 and the no-XFD VM (its kernel drops bit 18) fall back after XGETBV or
 * SUPP: 10. Zero palettes: 0x1D.0:EAX=0 falls back and 0x1D.1 is never read: 9. */
#define N_FIXTURES (sizeof fixtures / sizeof fixtures[0])

/* What the kernel layer answers when every earlier layer agrees (docs/AMX-FACTS.md, "The kernel"). */
enum req_seen { NO_REQ, REQ_FAILED, REQ_THEN_GET };
struct kernel_row {
	enum fake_kernel_outcome kernel;
	enum amxshim_reason reason;
	int err;
	enum req_seen req;
	const char *detail; /* a word the detail line must contain */
};

static const struct kernel_row kernels[] = {
	{ FAKE_KERNEL_GRANTED, AMXSHIM_OK, 0, REQ_THEN_GET, "0x602e7" },            /* perm 0x202e7 -> 0x602e7 */
	{ FAKE_KERNEL_ALREADY, AMXSHIM_OK, 0, NO_REQ, "0x602e7" },                  /* bit 18 held: no REQ */
	{ FAKE_KERNEL_EINVAL, AMXSHIM_KERNEL_OLD, EINVAL, NO_REQ, "EINVAL" },       /* GET_SUPP fails first */
	{ FAKE_KERNEL_EOPNOTSUPP, AMXSHIM_KERNEL_UNSUPPORTED, 0, NO_REQ, "0x2e7" }, /* SUPP lacks 17/18 */
	{ FAKE_KERNEL_ENOSPC, AMXSHIM_ALTSTACK, ENOSPC, REQ_FAILED, "ENOSPC" },
	{ FAKE_KERNEL_EPERM, AMXSHIM_DENIED, EPERM, REQ_FAILED, "EPERM" },
	{ FAKE_KERNEL_ENOSYS, AMXSHIM_DENIED, ENOSYS, REQ_FAILED, "ENOSYS" },
	{ FAKE_KERNEL_OVERWRITE, AMXSHIM_OK, 0, REQ_THEN_GET, "0x40000" }, /* perm becomes 1<<18 */
};
#define N_KERNELS (sizeof kernels / sizeof kernels[0])

struct table_case {
	const struct fixture_row *f;
	const struct kernel_row *k;
	char name[128];
};

static void load_fixture_row(const struct fixture_row *f)
{
	unit_load(f->file);
	if (!fake_fixture_has_xcr0()) {
		assert_true(f->xcr0 != 0);
		fake_set_xcr0(f->xcr0);
	} else {
		assert_true(f->xcr0 == 0); /* the table must not pretend to override a measured value */
	}
}

static void test_table_case(void **state)
{
	const struct table_case *c = *state;
	for (unsigned s = 0; s < N_SETS; s++) {
		unsigned features = feature_sets[s];
		enum amxshim_reason first = c->f->first[s];
		enum amxshim_reason want = first == OK ? c->k->reason : first;
		int want_err = first == OK ? c->k->err : 0;
		enum req_seen req = first == OK ? c->k->req : NO_REQ;
		struct amxshim_state st;

		load_fixture_row(c->f);
		fake_set_kernel(c->k->kernel);
		int usable = amxshim_probe(&st, features, AMXSHIM_PROBE_REQUEST);
		if (st.reason != want || st.err != want_err)
			fail_msg("%s, kernel %s, features 0x%x: got %s err %d (%s), expected %s err %d", c->f->file,
				 fake_kernel_name(c->k->kernel), features, amxshim_reason_name((int)st.reason), st.err,
				 st.detail, amxshim_reason_name((int)want), want_err);
		assert_int_equal(usable, want == AMXSHIM_OK);
		assert_int_equal(st.usable, usable);
		assert_int_equal(st.features, features);
		/* the leaf-1EH.1 flags are read only when asked for */
		assert_int_equal(st.cpu_features,
				 c->f->cpu_features & ((features & AMX_NEXT_FEATURES) ? ~0u : ~AMX_NEXT_FEATURES));
		assert_true(st.detail[0] != 0);
		if (first == OK)
			unit_assert_contains(st.detail, c->k->detail);
		/* The kernel is read only when the CPU layers agree for AMX-TILE (resolver.h: non-AMX machines and
		 * SIGSYS sandboxes see no arch_prctl); REQ only when every other layer agrees for `features`. */
		if (c->f->first[0] != OK)
			unit_assert_calls(0, 0);
		else if (req == NO_REQ)
			unit_assert_calls(0, GET_SUPP, GET_PERM, 0);
		else if (req == REQ_FAILED)
			unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, 0);
		else
			unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, GET_PERM, 0);
		assert_int_equal(fake_cpuid_above_max(), 0);
		assert_int_equal(fake_xgetbv_faults(), 0);
		assert_int_equal(fake_xgetbv_calls(), 1); /* every fixture has OSXSAVE set */
	}
}

static void load_spr(void);

/* ---- the minimal path: what every process under the shim runs (amxshim_usable, amxshim_state) ----
 * api.c fills its cache with the cheap path (amx_gather) and requests only when every layer agrees; this is that
 * sequence without the process-wide cache, so that every case runs here. */
static int minimal(struct amxshim_state *st, unsigned features)
{
	amx_memzero(st, sizeof *st);
	st->supp_err = st->perm_err = st->req_err = st->perm_after_err = -1;
	amx_gather(st, features, AMX_GATHER_EXPLAIN | AMX_GATHER_REQUEST); /* as amxshim_state() */
	amx_decide(st, features);
	return st->usable;
}

static int kernel_supp_has_amx(enum fake_kernel_outcome k)
{
	return k != FAKE_KERNEL_EINVAL && k != FAKE_KERNEL_EOPNOTSUPP;
}

/* Against a Linux-consistent kernel (fake_kernel_follow_cpu: what 5.16+ reports on that CPU), the minimal
 * path decides exactly as the full probe, for every fixture, kernel and feature set; it requests exactly
 * when the full probe does; and it costs the CPUIDs in the fixture table (<= 4 when AMX is usable). */
static void test_minimal_case(void **state)
{
	const struct table_case *c = *state;
	for (unsigned s = 0; s < N_SETS; s++) {
		unsigned features = feature_sets[s];
		struct amxshim_state full, min;
		load_fixture_row(c->f);
		fake_set_kernel(c->k->kernel);
		fake_kernel_follow_cpu();
		int full_usable = amxshim_probe(&full, features, AMXSHIM_PROBE_REQUEST);
		unsigned full_reqs = fake_count_code(REQ), full_calls = fake_call_count();
		int glibc = s & 1; /* half the feature sets with glibc's copy of its leaves, half without */
		fake_set_glibc(glibc);
		load_fixture_row(c->f);
		fake_set_kernel(c->k->kernel);
		fake_kernel_follow_cpu();
		fake_clear_log();
		int min_usable = minimal(&min, features);
		fake_set_glibc(1);
		if (min.reason != full.reason || min.err != full.err || min_usable != full_usable)
			fail_msg("%s, kernel %s, features 0x%x: minimal %s err %d (%s), full %s err %d (%s)",
				 c->f->file, fake_kernel_name(c->k->kernel), features,
				 amxshim_reason_name((int)min.reason), min.err, min.detail,
				 amxshim_reason_name((int)full.reason), full.err, full.detail);
		assert_string_equal(min.detail, full.detail);
		assert_int_equal(min.cpu_features, full.cpu_features);
		assert_int_equal(fake_count_code(REQ), full_reqs);
		unsigned want = kernel_supp_has_amx(c->k->kernel) ? (glibc ? c->f->glibc_supp : c->f->cpuid_supp)
								  : (glibc ? c->f->glibc_nosupp : c->f->cpuid_nosupp);
		/* a leaf-1EH.1 flag adds leaf 0 and 0x1E.0 (unless read), 0x1E.1, 0x24.0: test_next_cpuid_counts */
		if ((features & AMX_NEXT_FEATURES) && fake_cpuid_calls() >= want && fake_cpuid_calls() <= want + 4)
			want = fake_cpuid_calls();
		if (fake_cpuid_calls() != want)
			fail_msg("%s, kernel %s, features 0x%x: %u CPUIDs, expected %u", c->f->file,
				 fake_kernel_name(c->k->kernel), features, fake_cpuid_calls(), want);
		if (min_usable && !(features & AMX_NEXT_FEATURES))
			assert_true(fake_cpuid_calls() <= 4);
		assert_int_equal(fake_xgetbv_faults(), 0);
		/* No arch_prctl unless CPUID.(7,0) AMX-TILE and XCR0 bits 17+18 agree; the GET masks are read before
		 * the palette is (the zero-palette VM: 2 GETs where the full probe makes none). */
		int cpu_xcr0_agree =
			(c->f->cpu_features & AMXSHIM_TILE) && (full.xcr0 & AMX_XTILE_MASK) == AMX_XTILE_MASK;
		if (!cpu_xcr0_agree)
			assert_int_equal(fake_call_count(), 0);
		else if (full_calls == 0)
			unit_assert_calls(0, GET_SUPP, GET_PERM, 0);
		else
			assert_int_equal(fake_call_count(), full_calls);
	}
}

/* Where the fake is scripted as no Linux kernel would behave, the minimal path trusts ARCH_GET_XCOMP_SUPP
 * for what it vouches (XFD, 0xD.0) and does not read the palette geometry the kernel never checks. These
 * are the only decisions that differ from amxshim_probe(); each is justified in resolver/probe.c. */
static void test_minimal_trusts_kernel(void **state)
{
	fake_set_glibc(0); /* the CPUID counts below are those without glibc's copy of its leaves */
	(void)state;
	struct amxshim_state st;
	/* SUPP 0x602e7 on a CPU without XFD: impossible on 5.16+ (XTILEDATA is dropped without XFD). */
	unit_load("sapphire-rapids-vm-no-xfd-synthesized.txt");
	fake_set_kernel(FAKE_KERNEL_GRANTED);
	assert_true(minimal(&st, AMXSHIM_TILE));
	assert_int_equal(fake_cpuid_calls(), 4);
	assert_true(st.leaf_read & AMX_LEAF_VOUCHED(AMXSHIM_LEAF_D_1));
	assert_false(st.leaf_read & AMX_LEAF_BIT(AMXSHIM_LEAF_D_1));
	unit_load("sapphire-rapids-vm-no-xfd-synthesized.txt");
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST));
	assert_int_equal(st.reason, AMXSHIM_XFD);
	/* 0xD.18 ECX[2] alone (XTILEDATA not XFD-capable): no kernel reads it, it arms XFD bit 18 anyway. */
	load_spr();
	fake_cpuid_entry(0xd, 18)->ecx &= ~(1u << 2);
	assert_true(minimal(&st, AMXSHIM_TILE));
	load_spr();
	fake_cpuid_entry(0xd, 18)->ecx &= ~(1u << 2);
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST));
	assert_int_equal(st.reason, AMXSHIM_XFD);
	/* Palette 1 rows 16 -> 8, TMUL K 16 -> 8: not read, so not seen; amxshim_probe() still sees them. */
	load_spr();
	fake_cpuid_entry(0x1d, 1)->ecx = 8;
	fake_cpuid_entry(0x1e, 0)->ebx = 0x4008;
	assert_true(minimal(&st, AMXSHIM_TILE));
	assert_int_equal(fake_cpuid_calls(), 4);
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST));
	assert_int_equal(st.reason, AMXSHIM_PALETTE);
	/* The same with the kernel saying "unsupported": everything is read and the palette is named. */
	load_spr();
	fake_cpuid_entry(0x1d, 1)->ecx = 8;
	fake_set_kernel(FAKE_KERNEL_EOPNOTSUPP);
	assert_false(minimal(&st, AMXSHIM_TILE));
	assert_int_equal(st.reason, AMXSHIM_PALETTE);
	assert_int_equal(fake_cpuid_calls(), 10);
	assert_false(st.leaf_read & AMX_LEAF_VOUCHED_ALL);
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);
	fake_set_glibc(1);
}

/* Leaf 0 is not read when XCR0 vouches for leaf 0xD (so leaf 7 is in range). Leaf 0x1D is read anyway; above
 * a max leaf of 0x1c Intel returns leaf 0x1c's data, which is not a palette leaf's form: everything is read
 * and the palette layer named, as test_max_leaf_checked expects of the full probe. */
static void test_minimal_max_leaf(void **state)
{
	fake_set_glibc(0); /* the CPUID counts below are those without glibc's copy of its leaves */
	(void)state;
	struct amxshim_state st;
	load_spr();
	fake_cpuid_entry(0, 0)->eax = 0x1c;
	fake_set_cpuid(0x1c, 0, 1, 0x4010, 0, 0);
	fake_set_cpuid(0x1c, 1, 0x04002000, 0x00080040, 0x10, 0);
	assert_false(minimal(&st, AMXSHIM_TILE));
	assert_int_equal(st.reason, AMXSHIM_PALETTE);
	unit_assert_contains(st.detail, "0x1c");
	assert_int_equal(fake_count_code(REQ), 0);
	/* 0x1D.0 not in its architectural form (a reserved bit set): not trusted, everything is read; the full
	 * decision ignores that bit, so AMX is usable, at ten CPUIDs. */
	load_spr();
	fake_cpuid_entry(0x1d, 0)->ecx = 1;
	assert_true(minimal(&st, AMXSHIM_TILE));
	assert_int_equal(fake_cpuid_calls(), 10);
	assert_false(st.leaf_read & AMX_LEAF_VOUCHED_ALL);
	/* OSXSAVE clear: XGETBV is never executed, everything is read, no arch_prctl. */
	load_spr();
	fake_cpuid_entry(1, 0)->ecx &= ~(1u << 27);
	assert_false(minimal(&st, AMXSHIM_TILE));
	assert_int_equal(st.reason, AMXSHIM_OSXSAVE);
	assert_int_equal(fake_xgetbv_calls(), 0);
	assert_int_equal(fake_call_count(), 0);
	/* An unknown feature flag on the minimal path: the detail does not invent a max leaf. */
	load_spr();
	assert_false(minimal(&st, AMXSHIM_TILE | 0x100));
	unit_assert_contains(st.detail, "unknown feature flags 0x100");
	/* the leaf-1EH.1 flags are named, and refused: this version does not read that leaf */
	load_spr();
	assert_false(minimal(&st, AMXSHIM_FP8 | AMXSHIM_MOVRS));
	assert_int_equal(st.reason, AMXSHIM_CPU);
	unit_assert_contains(st.detail, "AMX-FP8");
	load_spr();
	assert_false(minimal(&st, AMXSHIM_FP16));
	assert_int_equal(st.reason, AMXSHIM_CPU);
	unit_assert_contains(st.detail, "CPUID lacks AMX-FP16");
	fake_set_glibc(1);
}

/* ---- single layers, perturbing one input of a fixture that otherwise passes ---- */

static int probe_spr(unsigned features, enum fake_kernel_outcome k, struct amxshim_state *st)
{
	fake_set_kernel(k);
	return amxshim_probe(st, features, AMXSHIM_PROBE_REQUEST);
}

static void load_spr(void)
{
	unit_load("sapphire-rapids.txt");
	fake_set_xcr0(0x602e7); /* inferred, see the table */
}

static void load_dmr(void)
{
	unit_load("diamond-rapids-synthesized.txt");
}

/* Leaf 1EH.1 and the AMX-AVX512 conditions, one input at a time on the synthesized Diamond Rapids. */
static void test_next_features(void **state)
{
	struct amxshim_state st;
	(void)state;
	load_dmr();
	assert_true(amxshim_probe(&st, AMXSHIM_FP8 | AMXSHIM_AVX512 | AMXSHIM_MOVRS, 0) ||
		    st.reason == AMXSHIM_NOT_REQUESTED);
	assert_int_equal(st.cpu_features, 0xff);
	/* 0x1E.0:EAX (highest subleaf) 0: 0x1E.1 is not read, whatever it holds */
	load_dmr();
	fake_cpuid_entry(0x1e, 0)->eax = 0;
	assert_false(minimal(&st, AMXSHIM_FP8));
	assert_int_equal(st.reason, AMXSHIM_CPU);
	assert_false(st.cpu_features & AMX_NEXT_FEATURES);
	unit_assert_contains(st.detail, "CPUID lacks AMX-FP8 (no CPUID leaf 0x1E subleaf 1)");
	/* max basic leaf below 0x1E: likewise (Intel would answer with leaf 0x1D's data) */
	load_dmr();
	fake_cpuid_entry(0, 0)->eax = 0x1d;
	assert_false(amxshim_probe(&st, AMXSHIM_MOVRS, 0));
	assert_int_equal(st.reason, AMXSHIM_CPU);
	unit_assert_contains(st.detail, "AMX-MOVRS (no CPUID leaf 0x1E subleaf 1)");
	assert_int_equal(fake_cpuid_above_max(), 0);
	/* each bit alone */
	load_dmr();
	fake_cpuid_entry(0x1e, 1)->eax = 1u << 4;
	assert_false(minimal(&st, AMXSHIM_MOVRS));
	assert_int_equal(st.reason, AMXSHIM_CPU);
	assert_int_equal(st.cpu_features & AMX_NEXT_FEATURES, AMXSHIM_FP8);
	load_dmr();
	fake_cpuid_entry(0x1e, 1)->eax = 1u << 8;
	assert_false(minimal(&st, AMXSHIM_FP8));
	assert_int_equal(st.cpu_features & AMX_NEXT_FEATURES, AMXSHIM_MOVRS);
	/* AMX-AVX512 without AVX10.2: version 1, or no AVX10 at all */
	load_dmr();
	fake_cpuid_entry(0x24, 0)->ebx = 0x70001;
	assert_false(minimal(&st, AMXSHIM_AVX512));
	assert_int_equal(st.reason, AMXSHIM_CPU);
	unit_assert_contains(st.detail, "AVX10.2 is not");
	load_dmr();
	fake_cpuid_entry(7, 1)->edx &= ~(1u << 19);
	assert_false(minimal(&st, AMXSHIM_AVX512));
	unit_assert_contains(st.detail, "AVX10.2 is not");
	/* ... and AVX-512 state missing from XCR0 (opmask, ZMM_Hi256, Hi16_ZMM): the xcr0 layer */
	load_dmr();
	fake_set_xcr0(0xe0007);
	assert_false(minimal(&st, AMXSHIM_AVX512));
	assert_int_equal(st.reason, AMXSHIM_XCR0);
	unit_assert_contains(st.detail, "lacks AVX-512 state");
	load_dmr();
	fake_set_xcr0(0xe0007);
	assert_true(minimal(&st, AMXSHIM_FP8 | AMXSHIM_MOVRS)); /* the others do not need it */
}

/* CPUIDs on the minimal path: the classic sets keep theirs (4), a leaf-1EH.1 flag adds leaf 0, 0x1E.0
 * and 0x1E.1, and 0x24.0 when 0x1E.1 reports AMX-AVX512 (7.1 is read already): every leaf-1EH.1 flag is
 * then known, whichever was asked. */
static void test_next_cpuid_counts(void **state)
{
	fake_set_glibc(0); /* the CPUID counts below are those without glibc's copy of its leaves */
	struct amxshim_state st;
	(void)state;
	load_dmr();
	assert_true(minimal(&st, AMXSHIM_ALL_FEATURES & ~AMX_NEXT_FEATURES));
	assert_int_equal(fake_cpuid_calls(), 4);
	assert_false(st.cpu_features & AMX_NEXT_FEATURES);
	load_dmr();
	assert_true(minimal(&st, AMXSHIM_FP8));
	assert_int_equal(fake_cpuid_calls(), 8);
	assert_int_equal(st.cpu_features, 0xff);
	load_dmr();
	fake_cpuid_entry(0x1e, 1)->eax = 0x11f; /* no AMX-AVX512: no leaf 0x24 */
	assert_true(minimal(&st, AMXSHIM_FP8));
	assert_int_equal(fake_cpuid_calls(), 7);
	load_dmr();
	assert_true(minimal(&st, AMXSHIM_AVX512));
	assert_int_equal(fake_cpuid_calls(), 8);
	/* a CPU without leaf 0x1E pays one CPUID (leaf 0) when the flag is asked for, and is told no */
	load_spr();
	assert_false(minimal(&st, AMXSHIM_FP8));
	assert_int_equal(fake_cpuid_calls(), 6); /* SPR: max leaf 0x20, 0x1E.0:EAX=0 */
	fake_set_glibc(1);
}

static void test_spr_control(void **state)
{
	(void)state;
	struct amxshim_state st;
	load_spr();
	assert_true(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
	assert_int_equal(st.perm, 0x202e7);
	assert_int_equal(st.perm_after, 0x602e7);
	assert_int_equal(st.supp, 0x602e7);
	assert_int_equal(st.xcr0, 0x602e7);
	assert_int_equal(st.leaf_read, (1u << AMXSHIM_LEAF_COUNT) - 1); /* all 10 slots within the max leaf */
	unit_assert_contains(st.detail, "granted");
}

/* Intel returns the highest basic leaf's data above the maximum: with max leaf 0x1c and a leaf 0x1c that
 * looks like palette data, a probe that skips the max-leaf check would see a valid palette. */
static void test_max_leaf_checked(void **state)
{
	(void)state;
	struct amxshim_state st;
	load_spr();
	fake_cpuid_entry(0, 0)->eax = 0x1c;
	fake_set_cpuid(0x1c, 0, 1, 0x4010, 0, 0);                 /* as 0x1D.0 (palette 1) and 0x1E.0 (K/N) */
	fake_set_cpuid(0x1c, 1, 0x04002000, 0x00080040, 0x10, 0); /* as 0x1D.1 */
	/* The fake really answers like Intel: */
	struct amxshim_cpuid r;
	amx_platform_cpuid(0x1d, 1, &r);
	assert_int_equal(r.eax, 0x04002000);
	fake_clear_log();
	assert_false(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
	assert_int_equal(st.reason, AMXSHIM_PALETTE);
	assert_int_equal(fake_cpuid_above_max(), 0);
	unit_assert_contains(st.detail, "0x1c");
	unit_assert_calls(0, 0);
}

/* Leaf 7 subleaf 1 is valid only when 7.0:EAX >= 1: GNR with 7.0:EAX=0 must not trust 7.1's FP16 bit. */
static void test_leaf7_max_subleaf(void **state)
{
	(void)state;
	struct amxshim_state st;
	unit_load("granite-rapids.txt");
	fake_set_xcr0(0x602e7);
	fake_cpuid_entry(7, 0)->eax = 0;
	assert_false(probe_spr(AMXSHIM_FP16, FAKE_KERNEL_GRANTED, &st));
	assert_int_equal(st.reason, AMXSHIM_CPU);
	unit_assert_contains(st.detail, "AMX-FP16");
	assert_true(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
}

static void test_osxsave(void **state)
{
	(void)state;
	struct amxshim_state st;
	load_spr();
	fake_cpuid_entry(1, 0)->ecx &= ~(1u << 27);
	assert_false(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
	assert_int_equal(st.reason, AMXSHIM_OSXSAVE);
	assert_int_equal(fake_xgetbv_calls(), 0); /* XGETBV would #UD */
	assert_int_equal(fake_call_count(), 0);
	unit_assert_contains(st.detail, "OSXSAVE");
}

static void test_cpu_layer_details(void **state)
{
	(void)state;
	struct amxshim_state st;
	/* XSAVE cannot manage tiles: 0xD.0:EAX without b18. */
	load_spr();
	fake_cpuid_entry(0xd, 0)->eax = 0x202e7;
	assert_false(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
	assert_int_equal(st.reason, AMXSHIM_CPU);
	unit_assert_contains(st.detail, "0x202e7");
	/* Unknown feature flags. */
	load_spr();
	assert_false(probe_spr(AMXSHIM_TILE | 0x100, FAKE_KERNEL_GRANTED, &st));
	assert_int_equal(st.reason, AMXSHIM_CPU);
	unit_assert_contains(st.detail, "0x100");
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0); /* TILE alone agrees: the kernel is read, not asked */
	/* Ice Lake lacks AMX-TILE. */
	unit_load("icelake-server.txt");
	fake_set_xcr0(0xe7);
	assert_false(probe_spr(AMXSHIM_BF16, FAKE_KERNEL_GRANTED, &st));
	unit_assert_contains(st.detail, "AMX-TILE");
	unit_assert_contains(st.detail, "AMX-BF16");
	/* Only AMX-INT8 missing. */
	load_spr();
	fake_cpuid_entry(7, 0)->edx &= ~(1u << 25);
	assert_false(probe_spr(AMXSHIM_INT8, FAKE_KERNEL_GRANTED, &st));
	assert_int_equal(st.reason, AMXSHIM_CPU);
	unit_assert_contains(st.detail, "AMX-INT8");
	assert_true(probe_spr(AMXSHIM_BF16, FAKE_KERNEL_GRANTED, &st));
}

static void test_xcr0_layer(void **state)
{
	(void)state;
	static const uint64_t bad[] = { 0xe7, 0x200e7 /* 17 only */, 0x400e7 /* 18 only */ };
	struct amxshim_state st;
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		load_spr();
		fake_set_xcr0(bad[i]);
		assert_false(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
		assert_int_equal(st.reason, AMXSHIM_XCR0);
		char hex[32];
		snprintf(hex, sizeof hex, "XCR0=0x%llx", (unsigned long long)bad[i]);
		unit_assert_contains(st.detail, hex);
		assert_int_equal(fake_call_count(), 0);
	}
}

static void test_xfd_layer(void **state)
{
	(void)state;
	struct amxshim_state st;
	load_spr();
	fake_cpuid_entry(0xd, 1)->eax &= ~(1u << 4);
	assert_false(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
	assert_int_equal(st.reason, AMXSHIM_XFD);
	unit_assert_contains(st.detail, "(0xD,1)");
	load_spr();
	fake_cpuid_entry(0xd, 18)->ecx &= ~(1u << 2);
	assert_false(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
	assert_int_equal(st.reason, AMXSHIM_XFD);
	unit_assert_contains(st.detail, "(0xD,18)");
	assert_int_equal(fake_call_count(), 0);
	/* Without XFD a Linux guest leaves XCR0 bits 17/18 clear: then the xcr0 layer answers first. */
	unit_load("sapphire-rapids-vm-no-xfd-synthesized.txt");
	fake_set_xcr0(0x2e7);
	assert_false(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
	assert_int_equal(st.reason, AMXSHIM_XCR0);
}

/* Palette 1 and TMUL geometry: each field perturbed alone must fail, the untouched fixture pass. */
static void test_palette_geometry(void **state)
{
	(void)state;
	static const struct {
		uint32_t leaf;
		int reg; /* 0 eax, 1 ebx, 2 ecx */
		uint32_t value;
		const char *shown; /* how the detail prints the bad field */
	} perturb[] = {
		{ 0x1d, 0, 0x04001000, "4096/1024/64/8/16" },  /* total tile bytes 8192 -> 4096 */
		{ 0x1d, 0, 0x02002000, "8192/512/64/8/16" },   /* bytes per tile 1024 -> 512 */
		{ 0x1d, 1, 0x00080020, "8192/1024/32/8/16" },  /* bytes per row 64 -> 32 */
		{ 0x1d, 1, 0x00100040, "8192/1024/64/16/16" }, /* tile names 8 -> 16 */
		{ 0x1d, 2, 0x00000008, "8192/1024/64/8/8" },   /* rows 16 -> 8 */
		{ 0x1e, 1, 0x00004008, "K/N 8/64" },           /* TMUL K 16 -> 8 */
		{ 0x1e, 1, 0x00002010, "K/N 16/32" },          /* TMUL N 64 -> 32 */
	};
	struct amxshim_state st;
	for (unsigned i = 0; i < sizeof perturb / sizeof perturb[0]; i++) {
		load_spr();
		struct amxshim_cpuid *r = fake_cpuid_entry(perturb[i].leaf, perturb[i].leaf == 0x1d ? 1 : 0);
		uint32_t *field = perturb[i].reg == 0 ? &r->eax : perturb[i].reg == 1 ? &r->ebx : &r->ecx;
		*field = perturb[i].value;
		assert_false(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
		if (st.reason != AMXSHIM_PALETTE)
			fail_msg("perturbation %u: reason %s", i, amxshim_reason_name((int)st.reason));
		unit_assert_contains(st.detail, perturb[i].shown);
		assert_int_equal(fake_call_count(), 0);
	}
	/* Reserved bits are not geometry: 0x1D.1:ECX[31:16] and EDX. */
	load_spr();
	fake_cpuid_entry(0x1d, 1)->ecx |= 0xffff0000u;
	fake_cpuid_entry(0x1d, 1)->edx = 0xffffffffu;
	assert_true(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
	/* Max basic leaf 0x1d: no 0x1E, no TMUL information. */
	load_spr();
	fake_cpuid_entry(0, 0)->eax = 0x1d;
	assert_false(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
	assert_int_equal(st.reason, AMXSHIM_PALETTE);
	assert_int_equal(fake_cpuid_above_max(), 0);
	unit_assert_contains(st.detail, "0x1d");
	/* Zero palettes (oneDNN issue 5689): palette 1 is not even read. */
	unit_load("sapphire-rapids-vm-zero-palettes-synthesized.txt");
	assert_false(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_GRANTED, &st));
	assert_int_equal(st.reason, AMXSHIM_PALETTE);
	assert_false(st.leaf_read & (1u << AMXSHIM_LEAF_1D_1));
	unit_assert_contains(st.detail, "highest palette 0");
}

/* Kernel answers beyond the presets. */
static void test_kernel_layer_edges(void **state)
{
	(void)state;
	struct amxshim_state st;
	struct fake_kernel *k;

	/* Seccomp refusing every arch_prctl: GET_SUPP fails, no REQ. */
	load_spr();
	fake_set_kernel(FAKE_KERNEL_GRANTED);
	k = fake_kernel();
	k->supp_err = k->perm_err = k->req_err = EPERM;
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST));
	assert_int_equal(st.reason, AMXSHIM_DENIED);
	assert_int_equal(st.err, EPERM);
	unit_assert_contains(st.detail, "ARCH_GET_XCOMP_SUPP");
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);

	/* GET_PERM alone fails. */
	load_spr();
	fake_set_kernel(FAKE_KERNEL_GRANTED);
	fake_kernel()->perm_err = ENOSYS;
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST));
	assert_int_equal(st.reason, AMXSHIM_DENIED);
	assert_int_equal(st.err, ENOSYS);
	unit_assert_contains(st.detail, "ARCH_GET_XCOMP_PERM");
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);

	/* SUPP has the bits but REQ answers EOPNOTSUPP: kernel-unsupported with the errno. */
	load_spr();
	fake_set_kernel(FAKE_KERNEL_GRANTED);
	fake_kernel()->req_err = EOPNOTSUPP;
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST));
	assert_int_equal(st.reason, AMXSHIM_KERNEL_UNSUPPORTED);
	assert_int_equal(st.err, EOPNOTSUPP);
	unit_assert_contains(st.detail, "EOPNOTSUPP");
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, 0);

	/* REQ returns 0 but grants nothing: denied, err 0, and the detail shows the mask. */
	load_spr();
	fake_set_kernel(FAKE_KERNEL_GRANTED);
	fake_kernel()->req_effect = FAKE_REQ_NOOP;
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST));
	assert_int_equal(st.reason, AMXSHIM_DENIED);
	assert_int_equal(st.err, 0);
	unit_assert_contains(st.detail, "0x202e7");
	unit_assert_calls(0, GET_SUPP, GET_PERM, REQ_18, GET_PERM, 0);

	/* REQ ok, the GET after it fails. */
	load_spr();
	fake_set_kernel(FAKE_KERNEL_GRANTED);
	fake_kernel()->perm_after_err = EFAULT;
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST));
	assert_int_equal(st.reason, AMXSHIM_DENIED);
	assert_int_equal(st.err, EFAULT);
	unit_assert_contains(st.detail, "after the request");

	/* Only bit 17 in SUPP. */
	load_spr();
	fake_set_kernel(FAKE_KERNEL_GRANTED);
	fake_kernel()->supp = 0x202e7;
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST));
	assert_int_equal(st.reason, AMXSHIM_KERNEL_UNSUPPORTED);
	assert_int_equal(st.err, 0);
	unit_assert_contains(st.detail, "0x202e7");
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);

	/* The 5.16 overwrite: the detail says so, bit 18 is what counts. */
	load_spr();
	assert_true(probe_spr(AMXSHIM_TILE, FAKE_KERNEL_OVERWRITE, &st));
	assert_int_equal(st.perm_after, 1ull << 18);
	unit_assert_contains(st.detail, "overwrote");

	/* Permission held though PERM is not the usual mask: tested by bit, not by value. */
	load_spr();
	fake_set_kernel(FAKE_KERNEL_GRANTED);
	fake_kernel()->perm = 1ull << 18;
	assert_true(amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST));
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);
}

static void test_probe_flags(void **state)
{
	(void)state;
	struct amxshim_state st;
	/* No AMXSHIM_PROBE_REQUEST: every layer agrees, nothing asked. */
	load_spr();
	fake_set_kernel(FAKE_KERNEL_GRANTED);
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, 0));
	assert_int_equal(st.reason, AMXSHIM_NOT_REQUESTED);
	assert_int_equal(st.req_err, -1);
	assert_int_equal(st.perm_after_err, -1);
	unit_assert_contains(st.detail, "0x202e7");
	unit_assert_calls(0, GET_SUPP, GET_PERM, 0);
	/* Denied kernels are not reported as denied before asking. */
	load_spr();
	fake_set_kernel(FAKE_KERNEL_EPERM);
	assert_false(amxshim_probe(&st, AMXSHIM_TILE, 0));
	assert_int_equal(st.reason, AMXSHIM_NOT_REQUESTED);
	/* Already granted: ok without asking. */
	load_spr();
	fake_set_kernel(FAKE_KERNEL_ALREADY);
	assert_true(amxshim_probe(&st, AMXSHIM_TILE, 0));
	unit_assert_contains(st.detail, "already");
}

/* amx_decide on hand-built states: the disabled layer comes before everything. */
static void test_decide_disabled(void **state)
{
	(void)state;
	struct amxshim_state st;
	load_spr();
	fake_set_kernel(FAKE_KERNEL_ALREADY);
	assert_true(amxshim_probe(&st, AMXSHIM_TILE, 0));
	st.disabled = 1;
	amx_decide(&st, AMXSHIM_TILE);
	assert_false(st.usable);
	assert_int_equal(st.reason, AMXSHIM_DISABLED);
	unit_assert_contains(st.detail, "AMXSHIM_DISABLE");
	st.disabled = 2;
	amx_decide(&st, AMXSHIM_TILE);
	assert_int_equal(st.reason, AMXSHIM_DISABLED);
	unit_assert_contains(st.detail, "unrecognised");
	/* Disabled beats a missing CPU feature too. */
	st.disabled = 1;
	amx_decide(&st, AMXSHIM_COMPLEX);
	assert_int_equal(st.reason, AMXSHIM_DISABLED);
}

static void test_flag_value(void **state)
{
	(void)state;
	static const char *const set[] = { "1", "true", "yes", "on", "TRUE", "Yes", "ON", "True" };
	static const char *const unset[] = { "", "0", "false", "no", "off", "FALSE", "No", "OFF" };
	static const char *const other[] = { "2",      "10",   "01",  " 1",  "1 ", "y",   "n",
					     "enable", "yess", "tru", "onn", "-1", "0x1", "of" };
	assert_int_equal(amx_flag_value(NULL), 0);
	for (unsigned i = 0; i < sizeof set / sizeof set[0]; i++)
		if (amx_flag_value(set[i]) != 1)
			fail_msg("amx_flag_value(\"%s\") = %d, expected 1", set[i], amx_flag_value(set[i]));
	for (unsigned i = 0; i < sizeof unset / sizeof unset[0]; i++)
		if (amx_flag_value(unset[i]) != 0)
			fail_msg("amx_flag_value(\"%s\") = %d, expected 0", unset[i], amx_flag_value(unset[i]));
	for (unsigned i = 0; i < sizeof other / sizeof other[0]; i++)
		if (amx_flag_value(other[i]) != 2)
			fail_msg("amx_flag_value(\"%s\") = %d, expected 2", other[i], amx_flag_value(other[i]));
}

/* The freestanding helpers the detail and the shim's reports are built with. */
static void test_freestanding(void **state)
{
	(void)state;
	char buf[64];
	struct amx_line l;
	amx_line_init(&l, buf, sizeof buf);
	assert_string_equal(buf, "");
	amx_line_put(&l, "n=");
	amx_line_dec(&l, 0);
	amx_line_put(&l, " ");
	amx_line_dec(&l, UINT64_MAX);
	amx_line_put(&l, " ");
	amx_line_hex(&l, 0);
	amx_line_put(&l, " ");
	amx_line_hex(&l, 0x600e7);
	assert_string_equal(buf, "n=0 18446744073709551615 0x0 0x600e7");
	assert_int_equal(l.len, strlen(buf));
	/* Truncated, never overflowing, always terminated: 8 bytes hold 7 characters. */
	char small[9] = "xxxxxxxx";
	amx_line_init(&l, small, 8);
	amx_line_put(&l, "abc");
	amx_line_hex(&l, 0xffffffffffffffffull);
	assert_string_equal(small, "abc0xff");
	assert_int_equal(small[8], 0);
	amx_line_put(&l, "more");
	assert_string_equal(small, "abc0xff");
	/* memzero and copy touch exactly n bytes. */
	unsigned char a[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, b[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
	amx_memzero(a + 1, 3);
	assert_memory_equal(a, ((unsigned char[]){ 1, 0, 0, 0, 5, 6, 7, 8 }), 8);
	amx_copy(b + 2, a + 4, 4);
	assert_memory_equal(b, ((unsigned char[]){ 9, 9, 5, 6, 7, 8, 9, 9 }), 8);
}

static void test_reason_names(void **state)
{
	(void)state;
	/* From the comments in <amxshim/resolver.h>: stable names. */
	static const char *const names[] = { "ok",      "disabled",   "cpu",
					     "osxsave", "xcr0",       "xfd",
					     "palette", "kernel-old", "kernel-unsupported",
					     "denied",  "altstack",   "not-requested" };
	assert_int_equal(sizeof names / sizeof names[0], AMXSHIM_REASON_COUNT);
	for (int i = 0; i < AMXSHIM_REASON_COUNT; i++)
		assert_string_equal(amxshim_reason_name(i), names[i]);
	assert_string_equal(amxshim_reason_name(-1), "unknown");
	assert_string_equal(amxshim_reason_name(AMXSHIM_REASON_COUNT), "unknown");
	assert_string_equal(amxshim_reason_name(1000), "unknown");
}

/* The fake itself: parser, vendor behaviour, kernel argument checks. */
static void test_fake_platform(void **state)
{
	(void)state;
	static const char text[] =
		"# comment\n\n"
		"leaf 0x00000000 subleaf 0: eax=0x00000010 ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"
		"  leaf 0x7 subleaf 0: eax=0x1 ebx=0x2 ecx=0x3 edx=0x4 # trailing\n"
		"xcr0: 0x0000000000000207\n";
	fake_reset();
	assert_int_equal(fake_parse_fixture(text, sizeof text - 1), 2);
	assert_true(fake_fixture_has_xcr0());
	assert_int_equal(amx_platform_xgetbv0(), 0x207);
	struct amxshim_cpuid r;
	amx_platform_cpuid(7, 0, &r);
	assert_int_equal(r.edx, 4);
	amx_platform_cpuid(0x1d, 0, &r); /* AuthenticAMD above the max leaf: zeros */
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	assert_int_equal(fake_cpuid_above_max(), 1);
	assert_int_equal(fake_parse_fixture("leaf 0x1 subleaf 0: eax=1\n", strlen("leaf 0x1 subleaf 0: eax=1\n")), -1);
	assert_int_equal(fake_parse_fixture("#\nxcr0: zz\n", strlen("#\nxcr0: zz\n")), -2);
	assert_int_equal(fake_load_fixture("/nonexistent/fixture.txt"), -1000 - ENOENT);
	/* REQ argument checks as in xstate.c. */
	fake_set_kernel(FAKE_KERNEL_GRANTED);
	assert_int_equal(amx_platform_arch_prctl(REQ, 17), -EOPNOTSUPP);
	assert_int_equal(amx_platform_arch_prctl(REQ, 64), -EINVAL);
	assert_int_equal(amx_platform_arch_prctl(GET_PERM, 0), -EFAULT);
	assert_int_equal(amx_platform_arch_prctl(0x1099, 0), -EINVAL);
	uint64_t perm = 0;
	assert_int_equal(amx_platform_arch_prctl(REQ, 18), 0);
	assert_int_equal(amx_platform_arch_prctl(GET_PERM, (unsigned long)&perm), 0);
	assert_int_equal(perm, 0x602e7);
	assert_int_equal(fake_kernel_from_name("overwrite"), FAKE_KERNEL_OVERWRITE);
	assert_int_equal(fake_kernel_from_name("overwrit"), -1);
	assert_int_equal(fake_env_loaded(), 0);
	/* Every fixture file parses. */
	for (unsigned i = 0; i < N_FIXTURES; i++)
		unit_load(fixtures[i].file);
}

int main(int argc, char **argv)
{
	(void)argc;
	unit_clean_initial_env(argv);
	static struct table_case cases[N_FIXTURES * N_KERNELS];
	static struct CMUnitTest table[N_FIXTURES * N_KERNELS];
	size_t n = 0;
	for (unsigned f = 0; f < N_FIXTURES; f++) {
		for (unsigned k = 0; k < N_KERNELS; k++, n++) {
			cases[n].f = &fixtures[f];
			cases[n].k = &kernels[k];
			snprintf(cases[n].name, sizeof cases[n].name, "%s x %s", fixtures[f].file,
				 fake_kernel_name(kernels[k].kernel));
			table[n] = (struct CMUnitTest){ cases[n].name, test_table_case, NULL, NULL, &cases[n] };
		}
	}
	static const struct CMUnitTest layers[] = {
		cmocka_unit_test(test_fake_platform),    cmocka_unit_test(test_spr_control),
		cmocka_unit_test(test_max_leaf_checked), cmocka_unit_test(test_leaf7_max_subleaf),
		cmocka_unit_test(test_osxsave),          cmocka_unit_test(test_cpu_layer_details),
		cmocka_unit_test(test_next_features),    cmocka_unit_test(test_next_cpuid_counts),
		cmocka_unit_test(test_xcr0_layer),       cmocka_unit_test(test_xfd_layer),
		cmocka_unit_test(test_palette_geometry), cmocka_unit_test(test_kernel_layer_edges),
		cmocka_unit_test(test_probe_flags),      cmocka_unit_test(test_decide_disabled),
		cmocka_unit_test(test_flag_value),       cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_freestanding),
	};
	static struct CMUnitTest mtable[N_FIXTURES * N_KERNELS];
	for (size_t i = 0; i < n; i++)
		mtable[i] = (struct CMUnitTest){ cases[i].name, test_minimal_case, NULL, NULL, &cases[i] };
	static const struct CMUnitTest mlayers[] = {
		cmocka_unit_test(test_minimal_trusts_kernel),
		cmocka_unit_test(test_minimal_max_leaf),
	};
	/* Every fixture x kernel case fills its slot: the whole arrays are the groups. */
	if (n != sizeof table / sizeof table[0]) {
		fprintf(stderr, "test_decide: %zu of %zu table cases built\n", n, sizeof table / sizeof table[0]);
		return 1;
	}
	int failed = cmocka_run_group_tests_name("decision table (fixture x kernel)", table, NULL, NULL);
	failed += cmocka_run_group_tests_name("minimal path = full probe (fixture x Linux-consistent kernel)", mtable,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("minimal path", mlayers, NULL, NULL);
	failed += cmocka_run_group_tests_name("layers", layers, NULL, NULL);
	return failed ? 1 : 0;
}
