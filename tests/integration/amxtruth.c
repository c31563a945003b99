// SPDX-License-Identifier: MIT
/* amxtruth: an independent ground truth for the integration tests. It shares no code with resolver/: it
 * reads CPUID, XCR0 and the kernel itself, following docs/AMX-FACTS.md, so that a bug in the
 * resolver cannot hide itself by also being in the expectation.
 *
 *   amxtruth layer [int8]  first CPU/OS layer that disagrees (cpu, osxsave, xcr0, xfd, palette) or "ok"
 *   amxtruth reason        the reason the shim must report for AMXSHIM_TILE in a fresh, unrestricted
 *                          process (this one: it requests permission itself)
 *   amxtruth real          exit 0 when AMX really works here: permission granted and a tile op runs
 *   amxtruth perm          1 or 0: bit 18 (XTILEDATA) in ARCH_GET_XCOMP_PERM now; no request made
 */
#include <cpuid.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "tileop.h"

#define GET_SUPP 0x1021
#define GET_PERM 0x1022
#define REQ_PERM 0x1023
#define TILE_BITS ((1ull << 17) | (1ull << 18))

struct regs {
	unsigned a, b, c, d;
};

static unsigned max_leaf;

static struct regs leaf(unsigned l, unsigned sub)
{
	struct regs r = { 0, 0, 0, 0 };
	if (l <= max_leaf)
		__cpuid_count(l, sub, r.a, r.b, r.c, r.d);
	return r;
}

static const char *layer(int want_int8)
{
	struct regs r0;
	__cpuid_count(0, 0, r0.a, r0.b, r0.c, r0.d);
	max_leaf = r0.a;
	if (max_leaf < 7)
		return "cpu";
	struct regs r7 = leaf(7, 0);
	if (!(r7.d >> 24 & 1) || (want_int8 && !(r7.d >> 25 & 1)))
		return "cpu";
	if ((leaf(0xd, 0).a & TILE_BITS) != TILE_BITS)
		return "cpu";
	if (!(leaf(1, 0).c >> 27 & 1))
		return "osxsave";
	unsigned lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if ((((uint64_t)hi << 32 | lo) & TILE_BITS) != TILE_BITS)
		return "xcr0";
	if (!(leaf(0xd, 1).a >> 4 & 1) || !(leaf(0xd, 18).c >> 2 & 1))
		return "xfd";
	if (max_leaf < 0x1e || leaf(0x1d, 0).a < 1)
		return "palette";
	struct regs p = leaf(0x1d, 1), t = leaf(0x1e, 0);
	if (p.a != (1024u << 16 | 8192u) || p.b != (8u << 16 | 64u) || (p.c & 0xffff) != 16 || (t.b & 0xff) != 16 ||
	    (t.b >> 8 & 0xffff) != 64)
		return "palette";
	return "ok";
}

static long prctl_get(int code, uint64_t *mask)
{
	*mask = 0;
	return syscall(SYS_arch_prctl, code, mask) == 0 ? 0 : errno;
}

static const char *errno_reason(long err)
{
	switch (err) {
	case EINVAL: return "kernel-old";
	case EOPNOTSUPP: return "kernel-unsupported";
	case ENOSPC: return "altstack";
	default: return "denied";
	}
}

static const char *reason(void)
{
	const char *l = layer(0);
	if (strcmp(l, "ok") != 0)
		return l;
	uint64_t supp, perm;
	long err = prctl_get(GET_SUPP, &supp);
	if (err)
		return errno_reason(err);
	if ((supp & TILE_BITS) != TILE_BITS)
		return "kernel-unsupported";
	if ((err = prctl_get(GET_PERM, &perm)))
		return errno_reason(err);
	if (perm >> 18 & 1)
		return "ok";
	if (syscall(SYS_arch_prctl, REQ_PERM, 18) != 0)
		return errno_reason(errno);
	if ((err = prctl_get(GET_PERM, &perm)))
		return errno_reason(err);
	return perm >> 18 & 1 ? "ok" : "denied";
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "reason";
	if (!strcmp(mode, "layer")) {
		puts(layer(argc > 2 && !strcmp(argv[2], "int8")));
		return 0;
	}
	if (!strcmp(mode, "reason")) {
		puts(reason());
		return 0;
	}
	if (!strcmp(mode, "real")) {
		const char *r = reason();
		if (strcmp(r, "ok") != 0 || strcmp(layer(1), "ok") != 0) {
			printf("no real AMX here (%s)\n", r);
			return 1;
		}
		if (!tileop_zero_store()) {
			puts("tile op gave a wrong result");
			return 1;
		}
		puts("real AMX: permission granted, tile op ran");
		return 0;
	}
	if (!strcmp(mode, "perm")) {
		uint64_t perm;
		long err = prctl_get(GET_PERM, &perm);
		if (err) {
			printf("error %ld\n", err);
			return 2;
		}
		printf("%d\n", (int)(perm >> 18 & 1));
		return 0;
	}
	fprintf(stderr, "usage: amxtruth layer [int8]|reason|real|perm\n");
	return 2;
}
