// SPDX-License-Identifier: MIT
/* A library whose constructor runs AMX code, as a library that warms up or self-tests its AMX variant at
 * load would. Its constructor runs before an LD_PRELOADed object's constructor (it is not a dependency of
 * the preload), so under libamxemu.so the emulator must already be in place at relocation time. */
#include "../integration/tileop.h"

__attribute__((visibility("default"))) int ctorlib_result = -1;

__attribute__((constructor)) static void ctorlib_init(void)
{
	ctorlib_result = tileop_zero_store();
}
