// SPDX-License-Identifier: MIT
/* What must still fault does: each case runs in a forked child (emulator installed) and the
 * test checks how the child ended. Also a bad tile pointer: SIGSEGV at the instruction, with
 * the kernel's si_addr/si_code, and the load resumes where it stopped once the handler fixes it. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "amxemu.h"
#include "amxops.h"

static struct isa_tilecfg cfg;

/* Runs fn in a child with the emulator installed; returns the wait status. */
static int in_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL), signal(SIGILL, SIG_DFL); /* drop cmocka's handlers */
		if (amxemu_install() != 0)
			_exit(3);
		fn();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void expect_signal(void (*fn)(void), int sig)
{
	int st = in_child(fn);

	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), sig);
}

static void ldcfg(void)
{
	__asm__ volatile("ldtilecfg (%0)" ::"r"(&cfg) : "memory");
}

static void do_ud2(void)
{
	__asm__ volatile("ud2");
}

static void bad_reserved(void)
{
	cfg_mkn(&cfg, 16, 16, 16), cfg.reserved[3] = 1;
	ldcfg();
}

static void bad_rows(void)
{
	cfg_mkn(&cfg, 17, 16, 16);
	ldcfg();
}

static void bad_colsb(void)
{
	cfg_mkn(&cfg, 16, 16, 16), cfg.colsb[5] = 65, cfg.rows[5] = 1;
	ldcfg();
}

static void bad_palette(void)
{
	cfg_mkn(&cfg, 16, 16, 16), cfg.palette = 2;
	ldcfg();
}

static void zero_unconfigured(void)
{
	__asm__ volatile("tilerelease\n\ttilezero %%tmm0" ::: "memory");
}

static void load_unused_tile(void)
{
	static uint8_t buf[1024];

	cfg_mkn(&cfg, 16, 16, 16);
	ldcfg();
	__asm__ volatile("tileloadd (%0,%1,1), %%tmm5" ::"r"(buf), "r"(64L) : "memory");
}

static void tdp_mismatch(void)
{
	cfg_mkn(&cfg, 16, 16, 16), cfg.rows[2] = 8; /* B has 8 rows, A has K = 16 */
	ldcfg();
	__asm__ volatile("tdpbssd %%tmm2, %%tmm1, %%tmm0" ::: "memory");
}

static void load_start_row_too_big(void)
{
	static uint8_t buf[1024];

	cfg_mkn(&cfg, 16, 16, 16), cfg.start_row = 16;
	ldcfg();
	__asm__ volatile("tileloadd (%0,%1,1), %%tmm0" ::"r"(buf), "r"(64L) : "memory");
}

static void load_null(void)
{
	cfg_mkn(&cfg, 16, 16, 16);
	ldcfg();
	__asm__ volatile("tileloadd (%0,%1,1), %%tmm0" ::"r"(0L), "r"(64L) : "memory");
}

static void store_readonly(void)
{
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	cfg_mkn(&cfg, 16, 16, 16);
	ldcfg();
	__asm__ volatile("tilezero %%tmm0\n\ttilestored %%tmm0, (%0,%1,1)" ::"r"(ro), "r"(64L) : "memory");
}

static void test_invalid_config_is_gp(void **state)
{
	(void)state;
	expect_signal(bad_reserved, SIGSEGV);
	expect_signal(bad_rows, SIGSEGV);
	expect_signal(bad_colsb, SIGSEGV);
	expect_signal(bad_palette, SIGSEGV);
}

static void test_misuse_is_ud(void **state)
{
	(void)state;
	expect_signal(zero_unconfigured, SIGILL);
	expect_signal(load_unused_tile, SIGILL);
	expect_signal(tdp_mismatch, SIGILL);
	expect_signal(load_start_row_too_big, SIGILL);
}

static void test_not_amx_still_crashes(void **state)
{
	(void)state;
	expect_signal(do_ud2, SIGILL);
}

static void chained(int sig)
{
	(void)sig;
	_exit(42);
}

static void ud2_with_previous_handler(void)
{
	signal(SIGILL, chained); /* replaces the emulator: install again, chaining to it */
	if (amxemu_install() != 0)
		_exit(3);
	do_ud2();
}

static void test_previous_handler_gets_non_amx(void **state)
{
	int st;

	(void)state;
	st = in_child(ud2_with_previous_handler);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 42);
}

static void test_bad_pointer_is_segv(void **state)
{
	(void)state;
	expect_signal(load_null, SIGSEGV);
	expect_signal(store_readonly, SIGSEGV);
}

/* Rows 0-9 readable, rows 10-15 on a PROT_NONE page: the handler records the fault, opens the
 * page and returns; the instruction restarts at row 10 and completes. */
static uint8_t *pages;
static volatile uintptr_t seen_addr, seen_rip;
static volatile int seen_code, seen_count;

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	seen_count++;
	seen_addr = (uintptr_t)si->si_addr;
	seen_code = si->si_code;
	seen_rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	mprotect(pages + 4096, 4096, PROT_READ | PROT_WRITE);
}

static void test_fault_mid_load_restarts(void **state)
{
	extern const char faulting_load[];
	struct sigaction sa;
	uint8_t out[1024];
	uint8_t *base;

	(void)state;
	assert_int_equal(amxemu_install(), 0);
	pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(pages != MAP_FAILED);
	base = pages + 4096 - 10 * 64;
	for (int i = 0; i < 8192; i++)
		pages[i] = (uint8_t)(i * 3 + 1);
	mprotect(pages + 4096, 4096, PROT_NONE);
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	cfg_mkn(&cfg, 16, 16, 16);
	ldcfg();
	__asm__ volatile("faulting_load: tileloadd (%0,%1,1), %%tmm0" ::"r"(base), "r"(64L) : "memory");
	__asm__ volatile("tilestored %%tmm0, (%0,%1,1)" ::"r"(out), "r"(64L) : "memory");
	signal(SIGSEGV, SIG_DFL);
	assert_int_equal(seen_count, 1);
	assert_int_equal(seen_addr, (uintptr_t)(pages + 4096));
	assert_int_equal(seen_code, SEGV_ACCERR);
	assert_int_equal(seen_rip, (uintptr_t)faulting_load);
	assert_memory_equal(out, base, 1024);
	munmap(pages, 8192);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_invalid_config_is_gp),  cmocka_unit_test(test_misuse_is_ud),
		cmocka_unit_test(test_not_amx_still_crashes), cmocka_unit_test(test_previous_handler_gets_non_amx),
		cmocka_unit_test(test_bad_pointer_is_segv),   cmocka_unit_test(test_fault_mid_load_restarts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
