// SPDX-License-Identifier: MIT
/* The library's own test: the bound variant against the portable one on edge and pseudo-random inputs. */
#include <stdint.h>
#include <stdio.h>

int32_t dot_u8s8(const uint8_t *a, const int8_t *b, size_t n);
int32_t dot_u8s8_reference(const uint8_t *a, const int8_t *b, size_t n);
const char *dot_u8s8_variant(void);

int main(void)
{
	static uint8_t a[1024];
	static int8_t b[1024];
	uint32_t x = 12345;
	for (int round = 0; round < 4; round++) {
		for (size_t i = 0; i < sizeof a; i++) {
			x = x * 1103515245u + 12345u;
			a[i] = round == 0 ? 255 : (uint8_t)(x >> 16);
			b[i] = round == 0 ? -128 : round == 1 ? 127 : (int8_t)(x >> 8);
		}
		for (size_t n = 64; n <= sizeof a; n *= 4) {
			int32_t got = dot_u8s8(a, b, n), want = dot_u8s8_reference(a, b, n);
			if (got != want) {
				printf("%s: n=%zu round %d: %d, want %d\n", dot_u8s8_variant(), n, round, got, want);
				return 1;
			}
		}
	}
	printf("%s: correct\n", dot_u8s8_variant());
	return 0;
}
