// SPDX-License-Identifier: MIT
/* la_version for a TEST-ONLY audit build of the shim ($(STRESS)/libamxshim-audit.so: the shim's own objects
 * plus this file). libamxshim.so itself does not export la_version: see LD_AUDIT.md for why. */
#include <link.h>

__attribute__((visibility("default"))) unsigned la_version(unsigned version);
unsigned la_version(unsigned version)
{
	return version < LAV_CURRENT ? version : LAV_CURRENT;
}
