/* SPDX-License-Identifier: MIT */
/* Which decoded instructions are AMX: the rows of the ISA table (isa/amx.h) matched against x86_decode's fields. */
#ifndef AMXSCAN_CLASSIFY_H
#define AMXSCAN_CLASSIFY_H
#include "../../isa/amx.h"
#include "x86len.h"

/* The AMX instruction (enum isa_insn) `in` encodes, or ISA_NONE. */
int scan_classify(const struct x86_insn *in);

#endif
