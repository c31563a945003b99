#!/bin/sh
# SPDX-License-Identifier: MIT
# On real AMX: under the shim a SIGSTKSZ-sized sigaltstack() works (substituted), the program sees its own
# values, exited threads free their substitutes, AMXSHIM_ALTSTACK=off gives the kernel's ENOMEM back,
# and AMXSHIM_DEBUG reports each substitution.
. "$(dirname "$0")/common.sh"
need_built "$H/amxtruth"
real_amx || skip "AMX permission cannot be obtained here ($("$H/amxtruth" reason))"
expect substitute LD_PRELOAD="$SHIM"
expect replace-in-handler LD_PRELOAD="$SHIM"
expect edges LD_PRELOAD="$SHIM"
expect enomem LD_PRELOAD="$SHIM" AMXSHIM_ALTSTACK=off
expect substitute LD_PRELOAD="$SHIM" AMXSHIM_ALTSTACK=1
lines=$(env LD_PRELOAD="$SHIM" AMXSHIM_DEBUG=1 "$PROG" substitute 2>&1 >/dev/null | grep -c 'sigaltstack of 8192 bytes')
# The main thread's stack, then one per thread (5 rounds of 64).
if [ "$lines" = 321 ]; then
	ok "321 substitution reports under AMXSHIM_DEBUG"
else
	fail "expected 321 substitution reports, got $lines"
fi
finish
