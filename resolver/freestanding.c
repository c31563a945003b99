// SPDX-License-Identifier: MIT
/* The freestanding helpers (freestanding.h). Compiled with the resolver-context flags (-fno-builtin and
 * no loop-to-libcall patterns); the volatile stores keep the loops loops under any flags. */
#include "freestanding.h"

/* Eight bytes a store where both ends allow it: a state is ~330 bytes, and every process under the shim
 * zeroes and copies a few (a byte loop was 2,000 instructions of its start-up). */
#define WORD sizeof(uint64_t)
#define ALIGNED(p) (((uintptr_t)(p) & (WORD - 1)) == 0)

void amx_memzero(void *p, size_t n)
{
	volatile unsigned char *c = p;
	if (ALIGNED(c))
		for (; n >= WORD; n -= WORD, c += WORD)
			*(volatile uint64_t *)(void *)c = 0;
	while (n--)
		*c++ = 0;
}

void amx_copy(void *dst, const void *src, size_t n)
{
	const unsigned char *s = src;
	volatile unsigned char *d = dst;
	if (ALIGNED(s) && ALIGNED(d))
		for (; n >= WORD; n -= WORD, s += WORD, d += WORD)
			*(volatile uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
	while (n--)
		*d++ = *s++;
}

void amx_line_init(struct amx_line *l, char *buf, size_t cap)
{
	l->buf = buf;
	l->cap = cap;
	l->len = 0;
	if (cap)
		buf[0] = 0;
}

void amx_line_put(struct amx_line *l, const char *s)
{
	if (!l->cap)
		return;
	while (*s && l->len + 1 < l->cap)
		l->buf[l->len++] = *s++;
	l->buf[l->len] = 0;
}

/* Base 10 or 16; 64 bits need at most 20 digits. */
static void put_number(struct amx_line *l, uint64_t v, unsigned base)
{
	char tmp[21];
	int i = (int)sizeof tmp - 1;
	tmp[i] = 0;
	do {
		tmp[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	amx_line_put(l, tmp + i);
}

void amx_line_dec(struct amx_line *l, uint64_t v)
{
	put_number(l, v, 10);
}

void amx_line_hex(struct amx_line *l, uint64_t v)
{
	amx_line_put(l, "0x");
	put_number(l, v, 16);
}
