// SPDX-License-Identifier: MIT
/* librace: a library that links the static resolver (libamxresolver.a, or the fake-platform build of it)
 * and makes its first amxshim_usable()/amxshim_state() call only when race.c's threads call in, all at once.
 *
 * The platform seam is wrapped at link time (-Wl,--wrap=amx_platform_*, see module.mk), so the library
 * counts every arch_prctl call the resolver makes, per code, with atomic counters. With -DSERIALIZE_PLATFORM
 * (the fake platform, whose scripted state is not thread-safe: it is test scaffolding, not code under test)
 * each platform call also runs under a spin lock. The lock is only held inside the platform call, so the
 * resolver's own cache accesses stay unordered for ThreadSanitizer to judge. */
#include <amxshim/resolver.h>
#include <sys/syscall.h>
#include "../../resolver/internal.h"

#define EXPORT __attribute__((visibility("default")))

static unsigned calls_get, calls_req, calls_other, calls_supp;

long __real_amx_platform_arch_prctl(int code, unsigned long arg);
long __wrap_amx_platform_arch_prctl(int code, unsigned long arg);
void __real_amx_platform_cpuid(uint32_t leaf, uint32_t subleaf, struct amxshim_cpuid *out);
void __wrap_amx_platform_cpuid(uint32_t leaf, uint32_t subleaf, struct amxshim_cpuid *out);
int __real_amx_platform_glibc_leaf(unsigned index, struct amxshim_cpuid *out);
int __wrap_amx_platform_glibc_leaf(unsigned index, struct amxshim_cpuid *out);
uint64_t __real_amx_platform_xgetbv0(void);
uint64_t __wrap_amx_platform_xgetbv0(void);

#ifdef SERIALIZE_PLATFORM
static int platform_lock;
/* Waiters read before they try again and give up the CPU: 64 threads spinning on an exchange starved the
 * holder on 2 cores under ThreadSanitizer (clang 14: about 1 run in 20 never finished). */
static void lock(void)
{
	while (__atomic_exchange_n(&platform_lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&platform_lock, __ATOMIC_RELAXED))
			(void)amx_raw_syscall2(SYS_sched_yield, 0, 0);
}
static void unlock(void)
{
	__atomic_store_n(&platform_lock, 0, __ATOMIC_RELEASE);
}
#else
static void lock(void)
{
}
static void unlock(void)
{
}
#endif

long __wrap_amx_platform_arch_prctl(int code, unsigned long arg)
{
	unsigned *counter = code == AMX_ARCH_REQ_XCOMP_PERM                                      ? &calls_req
			    : code == AMX_ARCH_GET_XCOMP_PERM || code == AMX_ARCH_GET_XCOMP_SUPP ? &calls_get
												 : &calls_other;
	__atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
	if (code == AMX_ARCH_GET_XCOMP_SUPP)
		__atomic_fetch_add(&calls_supp, 1, __ATOMIC_RELAXED);
	lock();
	long ret = __real_amx_platform_arch_prctl(code, arg);
	unlock();
	return ret;
}

void __wrap_amx_platform_cpuid(uint32_t leaf, uint32_t subleaf, struct amxshim_cpuid *out)
{
	lock();
	__real_amx_platform_cpuid(leaf, subleaf, out);
	unlock();
}

int __wrap_amx_platform_glibc_leaf(unsigned index, struct amxshim_cpuid *out)
{
	lock();
	int ret = __real_amx_platform_glibc_leaf(index, out);
	unlock();
	return ret;
}

uint64_t __wrap_amx_platform_xgetbv0(void)
{
	lock();
	uint64_t v = __real_amx_platform_xgetbv0();
	unlock();
	return v;
}

/* The two entry points that share the cache: usable() and state() (which also copies the cache out). */
EXPORT int race_usable(void);
int race_usable(void)
{
	return amxshim_usable(AMXSHIM_TILE);
}

EXPORT int race_state(int *reason);
int race_state(int *reason)
{
	struct amxshim_state st;
	int usable = amxshim_state(&st, AMXSHIM_TILE);
	*reason = (int)st.reason;
	return usable;
}

EXPORT const char *race_reason_name(int reason);
const char *race_reason_name(int reason)
{
	return amxshim_reason_name(reason);
}

/* The probes the race made that reached the kernel: each makes one ARCH_GET_XCOMP_SUPP (1 winner + the losers
 * that gathered privately; CPUIDs no longer tell, each leaf is read once per library). */
EXPORT unsigned race_probes(void);
unsigned race_probes(void)
{
	return __atomic_load_n(&calls_supp, __ATOMIC_RELAXED);
}

EXPORT void race_counts(unsigned *get, unsigned *req, unsigned *other);
void race_counts(unsigned *get, unsigned *req, unsigned *other)
{
	*get = __atomic_load_n(&calls_get, __ATOMIC_RELAXED);
	*req = __atomic_load_n(&calls_req, __ATOMIC_RELAXED);
	*other = __atomic_load_n(&calls_other, __ATOMIC_RELAXED);
}
