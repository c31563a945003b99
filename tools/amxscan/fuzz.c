// SPDX-License-Identifier: MIT
/* libFuzzer entry: each input is walked as raw code (the decoder and the permission heuristic) and
 * opened as an ELF image (libelf, section/segment checks, symbols, reports in both formats). */
#include <stdlib.h>
#include <string.h>

#include "amxscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink) {
		elf_version(EV_CURRENT);
		sink = fopen("/dev/null", "w");
		if (!sink)
			abort();
	}
	struct scan_result r;
	memset(&r, 0, sizeof(r));
	if (walk_code(data, size, 0x1000, ".text", NULL, 0, NULL, &r) == 0)
		report(sink, OUT_JSON, "raw", &r);
	scan_result_free(&r);

	/* libelf may keep pointers into the image until elf_end: give it a private copy. */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	Elf *elf = elf_memory(copy, size);
	char err[256];
	if (elf && scan_elf(elf, size, &r, err, sizeof(err)) == 0) {
		report(sink, OUT_JSON, "fuzz", &r);
		report(sink, OUT_TABLE, "fuzz", &r);
		scan_result_free(&r);
	}
	if (elf)
		elf_end(elf);
	free(copy);
	return 0;
}
