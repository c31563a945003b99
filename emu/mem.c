// SPDX-License-Identifier: MIT
/* Tile loads and stores go through process_vm_readv/writev on our own pid: a bad pointer then
 * comes back as EFAULT, and the handler can raise the SIGSEGV the hardware would, with the
 * faulting instruction's context. Where a sandbox forbids those calls we copy directly and the
 * fault happens inside the handler (still a SIGSEGV, at a different RIP). */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "mem.h"

#define PAGE 4096ULL

static int direct_copy; /* set once process_vm_* is unavailable (ENOSYS, EPERM) */

static int canonical(uint64_t a)
{
	int64_t s = (int64_t)(a << 16) >> 16;
	return (uint64_t)s == a;
}

static int gp_fault(struct emu_fault *f)
{
	f->code = SI_KERNEL;
	f->addr = 0;
	return -1;
}

static ssize_t vm_copy(int write, void *local, uint64_t addr, size_t n)
{
	struct iovec l = { local, n }, r = { (void *)(uintptr_t)addr, n };
	ssize_t got;

	if (write)
		got = process_vm_writev(getpid(), &l, 1, &r, 1, 0);
	else
		got = process_vm_readv(getpid(), &l, 1, &r, 1, 0);
	if (got < 0 && (errno == ENOSYS || errno == EPERM))
		__atomic_store_n(&direct_copy, 1, __ATOMIC_RELAXED);
	return got;
}

/* The kernel reports MAPERR for an unmapped page and ACCERR for a mapped one we may not use. */
static int page_fault(uint64_t addr, struct emu_fault *f)
{
	unsigned char v;

	f->addr = addr;
	f->code = mincore((void *)(uintptr_t)(addr & ~(PAGE - 1)), 1, &v) == 0 ? SEGV_ACCERR : SEGV_MAPERR;
	return -1;
}

/* Copies page by page so the first bad page is known; stores restore what they already wrote,
 * because a row store that faults commits nothing on the hardware. */
static int checked_copy(int write, void *local, uint64_t addr, size_t n, struct emu_fault *f)
{
	unsigned char saved[128];
	size_t done = 0;
	int have_saved;

	if (n == 0)
		return 0;
	if (addr + n < addr || !canonical(addr) || !canonical(addr + n - 1))
		return gp_fault(f);
	if (__atomic_load_n(&direct_copy, __ATOMIC_RELAXED)) {
		if (write)
			memcpy((void *)(uintptr_t)addr, local, n);
		else
			memcpy(local, (const void *)(uintptr_t)addr, n);
		return 0;
	}
	if (vm_copy(write, local, addr, n) == (ssize_t)n)
		return 0;
	if (__atomic_load_n(&direct_copy, __ATOMIC_RELAXED))
		return checked_copy(write, local, addr, n, f);
	have_saved = write && n <= sizeof saved && vm_copy(0, saved, addr, n) == (ssize_t)n;
	while (done < n) {
		uint64_t a = addr + done;
		size_t chunk = (size_t)(PAGE - (a & (PAGE - 1)));

		if (chunk > n - done)
			chunk = n - done;
		if (vm_copy(write, (char *)local + done, a, chunk) != (ssize_t)chunk) {
			if (have_saved && done)
				vm_copy(1, saved, addr, done);
			return page_fault(a, f);
		}
		done += chunk;
	}
	return 0;
}

int emu_read(void *dst, uint64_t addr, size_t n, struct emu_fault *f)
{
	return checked_copy(0, dst, addr, n, f);
}

int emu_write(uint64_t addr, const void *src, size_t n, struct emu_fault *f)
{
	return checked_copy(1, (void *)src, addr, n, f);
}

size_t emu_read_partial(void *dst, uint64_t addr, size_t n)
{
	struct emu_fault f;
	size_t first = (size_t)(PAGE - (addr & (PAGE - 1)));

	if (emu_read(dst, addr, n, &f) == 0)
		return n;
	if (first >= n || emu_read(dst, addr, first, &f) != 0)
		return 0;
	return first;
}
