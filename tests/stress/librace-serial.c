// SPDX-License-Identifier: MIT
/* librace with the platform serialized (librace-fake.so): its own source, so that the one compile rule builds
 * it in every context (plain and ThreadSanitizer) without a flag of its own. */
#define SERIALIZE_PLATFORM 1
#include "librace.c"
