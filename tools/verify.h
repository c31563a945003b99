/* SPDX-License-Identifier: MIT */
/* amxinfo --verify (tools/verify.c): run one instruction per usable sub-feature in a child, then report. */
#ifndef AMXINFO_VERIFY_H
#define AMXINFO_VERIFY_H
#include <stdio.h>

void verify_run(void);             /* no request and no child when the decision says not usable */
void verify_print_text(FILE *out); /* the "Verify" section */
void verify_print_json(FILE *out); /* the "verify":{...} member, without a leading comma */
int verify_faulted(void);          /* a feature the decision calls usable faulted */
/* For one AMXSHIM_* flag: "runs" or "faults" when a child executed its instruction, "not-run" otherwise
 * (no verify_run(), the decision calls it unusable, or the child's request failed); NULL when --verify
 * has no instruction for it. */
const char *verify_result(unsigned flag);
#endif
