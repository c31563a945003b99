/* SPDX-License-Identifier: MIT */
/* Helpers shared by the resolver tests: fixtures, call-log checks, a clean initial environment. */
#ifndef AMXSHIM_UNIT_H
#define AMXSHIM_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "../../resolver/internal.h"
#include "../fake/fake_platform.h"

/* AMXSHIM_FIXTURE_DIR, else tests/fixtures/cpuid (make check runs from the repository root). */
const char *unit_fixture_dir(void);
/* fake_reset(), then the fixture file (asserts it parses and has CPUID lines). */
void unit_load(const char *file);

/* The resolver reads AMXSHIM_DISABLE from the initial stack, not from environ: when the caller's
 * environment has any AMXSHIM_* variable, re-exec this program without them so results do not depend on
 * the shell the tests run from. Returns only when the environment is clean. */
void unit_clean_initial_env(char **argv);

/* Asserts the exact arch_prctl log from entry `from` on: pairs of (code, arg) for REQ; for GET the arg is a
 * pointer and only checked to be non-zero. Terminated by code 0. */
void unit_assert_calls(unsigned from, ...);
#define GET_SUPP AMX_ARCH_GET_XCOMP_SUPP
#define GET_PERM AMX_ARCH_GET_XCOMP_PERM
#define REQ AMX_ARCH_REQ_XCOMP_PERM
#define REQ_18 AMX_ARCH_REQ_XCOMP_PERM, 18ul

/* Asserts that `haystack` contains `needle`, printing both when not. */
void unit_assert_contains(const char *haystack, const char *needle);

#endif
