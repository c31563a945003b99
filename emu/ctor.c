// SPDX-License-Identifier: MIT
/* Only in libamxemu.so: LD_PRELOAD=libamxemu.so installs the handler before main().
 * AMXEMU_DISABLE=1 leaves the process alone (to compare with a run without the emulator). */
#include <stdlib.h>

#include "amxemu.h"

__attribute__((constructor)) static void amxemu_ctor(void)
{
	const char *off = getenv("AMXEMU_DISABLE");

	if (!off || *off == '\0' || *off == '0')
		amxemu_install();
}
