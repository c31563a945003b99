// SPDX-License-Identifier: MIT
/* libFuzzer entry: each input is walked as raw code (the decoder and the register tracking) and
 * opened as a file (ELF or ar archive: libelf, section/segment checks, symbols, reports in both formats). */
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

	/* The whole file path as amxscan runs it: ELF images and ar archives member by member. libelf
	 * may keep pointers into the image until elf_end: give it a private copy. */
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	static const struct scan_opts json = { OUT_JSON, 1 }, table = { OUT_TABLE, 0 };
	scan_image(copy, size, "fuzz", &json, 1, sink, sink);
	scan_image(copy, size, "fuzz", &table, 0, sink, sink);
	free(copy);
	return 0;
}
