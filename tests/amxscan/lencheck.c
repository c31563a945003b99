// SPDX-License-Identifier: MIT
/* Checks the length decoder against objdump: reads "HEXBYTES<TAB>TEXT" lines (one instruction each,
 * as objdump -d --insn-width=16 printed it) and reports every line whose length we decode otherwise.
 * Also checks that the AMX classifier and objdump agree on the mnemonic. Exit 1 on any mismatch. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/amxscan/classify.h"

static int all_prefixes(const uint8_t *b, size_t len)
{
	static const uint8_t legacy[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3 };
	for (size_t i = 0; i < len; i++)
		if ((b[i] & 0xf0) != 0x40 && !memchr(legacy, b[i], sizeof(legacy)))
			return 0;
	return 1;
}

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned long n = 0, bad = 0, skipped = 0;
	while (getline(&line, &cap, stdin) > 0) {
		uint8_t b[16];
		size_t len = 0;
		char *p = line;
		unsigned v;
		int used;
		while (len < sizeof(b) && isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1]) &&
		       sscanf(p, "%2x%n", &v, &used) == 1 && used == 2) {
			b[len++] = (uint8_t)v;
			p += used;
			while (*p == ' ')
				p++;
		}
		char *text = strchr(line, '\t');
		text = text ? text + 1 : p;
		text[strcspn(text, "\n")] = '\0';
		if (strncmp(text, "{evex} ", 7) == 0) /* llvm-objdump marks an EVEX form it could write as VEX */
			text += 7;
		if (!len)
			continue;
		n++;
		struct x86_insn in;
		size_t got = x86_decode(b, len, &in);
		/* objdump prints a REX followed by another prefix (data in code) on its own line, where the
		 * CPU takes both as prefixes of the next instruction; likewise a cut-off tail. Skipped. */
		if (!got && (all_prefixes(b, len) || strncmp(text, ".byte", 5) == 0)) {
			skipped++;
			continue;
		}
		/* objdump folds FWAIT (9B) into the x87 instruction after it (fstsw = wait; fnstsw). */
		if (b[0] == 0x9b && got == 1 && len > 1)
			got = 1 + x86_decode(b + 1, len - 1, &in);
		int op = got == len ? scan_classify(&in) : ISA_NONE;
		const char *name = op == ISA_NONE ? NULL : isa_mnemonic(op);
		/* objdump's text is the oracle, so the prefixes are written here, not taken from the table */
		int amx_text = strncmp(text, "til", 3) == 0 || strncmp(text, "tdp", 3) == 0 ||
			       strncmp(text, "ldtilecfg", 9) == 0 || strncmp(text, "sttilecfg", 9) == 0 ||
			       strncmp(text, "tcmm", 4) == 0 || strncmp(text, "tcvtrow", 7) == 0 ||
			       strncmp(text, "t2rp", 4) == 0 || strncmp(text, "ttransp", 7) == 0 ||
			       strncmp(text, "ttdp", 4) == 0 || strncmp(text, "ttcmm", 5) == 0 ||
			       strncmp(text, "tconjt", 6) == 0 || strncmp(text, "tmmul", 5) == 0 ||
			       strncmp(text, "ttmmul", 6) == 0;
		int name_ok = name ? strncmp(text, name, strlen(name)) == 0 &&
					      (text[strlen(name)] == ' ' || text[strlen(name)] == '\0')
				   : !amx_text;
		if (got != len || !name_ok) {
			if (bad++ < 50) {
				printf("mismatch: objdump %zu bytes, decoder %zu (%s):", len, got, name ? name : "-");
				for (size_t i = 0; i < len; i++)
					printf(" %02x", b[i]);
				printf("  %s\n", text);
			}
		}
	}
	free(line);
	printf("%lu instructions, %lu mismatches, %lu objdump-only splits skipped\n", n, bad, skipped);
	return bad ? 1 : 0;
}
