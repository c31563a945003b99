// SPDX-License-Identifier: MIT
/* The fake platform as the installed test build has it: the same file, telling testkit.c when a process's
 * settings were used (the copy in the internal test library stays silent). */
#define FAKE_TESTKIT 1
#include "../tests/fake/fake_platform.c"
