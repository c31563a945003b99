/* SPDX-License-Identifier: MIT */
/* The resolver as the project's own programs outside resolver/ and shim/ use it (amxinfo, amxrun-exec and
 * its --explain, the emulator's constructor): <amxshim/resolver.h> plus what is declared here, nothing
 * else. Rules: code outside resolver/, shim/ and the tests includes this header, never internal.h
 * (tests/build/layering.sh); an entry names an outcome or a pure function, never a state field's encoding
 * or the platform seam; each entry has a user outside the resolver. Hidden, safe in an IFUNC resolver. */
#ifndef AMXSHIM_TOOL_H
#define AMXSHIM_TOOL_H

#include <amxshim/resolver.h>
#include "../isa/amx.h" /* arch_prctl codes and XSAVE numbers (ISA_ARCH_*, ISA_XFEATURE_*) */

/* The features of CPUID leaf 1EH.1 (amxshim_probe() reads leaves 1EH.1 and 24H only when asked for one). */
#define AMX_NEXT_FEATURES (AMXSHIM_FP8 | AMXSHIM_AVX512 | AMXSHIM_MOVRS)

/* A kernel call's outcome as amxshim_state's *_err fields hold it: not made, succeeded, else the errno. */
enum amx_call_outcome { AMX_CALL_NOT_MADE = -1, AMX_CALL_OK = 0 };
static inline int amx_call_failed(int outcome)
{
	return outcome > AMX_CALL_OK;
}

/* `st` as a program starts after execve: the kernel resets the permission, so XTILEDATA is not permitted
 * and no request has been made (docs/AMX-FACTS.md "The kernel"). */
static inline void amx_state_at_exec(struct amxshim_state *st)
{
	st->perm &= ~(1ull << ISA_XFEATURE_XTILEDATA);
	st->req_err = AMX_CALL_NOT_MADE;
	st->perm_after_err = AMX_CALL_NOT_MADE;
}

/* decide.c, pure: the first layer that disagrees for `features`; the whole decision (reason, err, usable
 * and detail) written into `st`. */
enum amxshim_reason amx_first_disagreement(const struct amxshim_state *st, unsigned features);
void amx_decide(struct amxshim_state *st, unsigned features);

/* leaves.c: CPUID leaf 1EH.1 (`leaf` 0x1e) or 24H.0 (0x24) as the resolver read it for `st` (a state
 * amxshim_probe() filled for AMX_NEXT_FEATURES); 0 and zeros when it was not read. */
int amx_next_leaf(const struct amxshim_state *st, unsigned leaf, struct amxshim_cpuid *out);

/* startenv.c: getenv() that also works during relocation, when environ is still NULL. */
const char *amx_startenv_get(const char *name);
/* A boolean variable's value: unset (also empty, 0, false, no, off), set (1, true, yes, on) or another
 * value, which callers treat as set and may report. */
enum amx_flag { AMX_FLAG_UNSET, AMX_FLAG_SET, AMX_FLAG_UNRECOGNISED };
enum amx_flag amx_flag_value(const char *value);

#endif
