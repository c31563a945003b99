/* SPDX-License-Identifier: MIT */
/* What code running inside an IFUNC resolver may call instead of libc: raw system calls, byte loops the
 * compiler cannot turn back into memset/memcpy calls, and a bounded line builder. Hidden, libc-free. */
#ifndef AMXSHIM_FREESTANDING_H
#define AMXSHIM_FREESTANDING_H

#include <stddef.h>
#include <stdint.h>

/* System calls without libc or errno: 0..n or -errno. Inline, so no call leaves the caller's object. */
static inline long amx_raw_syscall2(long nr, long a, long b)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "0"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return ret;
}

static inline long amx_raw_syscall3(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "0"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
}

static inline long amx_raw_syscall4(long nr, long a, long b, long c, long d)
{
	long ret;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall" : "=a"(ret) : "0"(nr), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return ret;
}

void amx_memzero(void *p, size_t n);
void amx_copy(void *dst, const void *src, size_t n); /* no overlap */

/* A line in a caller's buffer: always NUL-terminated, text past cap - 1 bytes silently dropped. */
struct amx_line {
	char *buf;
	size_t cap, len;
};
void amx_line_init(struct amx_line *l, char *buf, size_t cap);
void amx_line_put(struct amx_line *l, const char *s);
void amx_line_dec(struct amx_line *l, uint64_t v);
void amx_line_hex(struct amx_line *l, uint64_t v); /* 0x-prefixed, lower case */

#endif
