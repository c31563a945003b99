#!/bin/sh
# SPDX-License-Identifier: MIT
# The guard is a no-op when the process holds no AMX permission: the program's 8192-byte stack is
# installed as is and handlers run on it (real kernel, any machine).
. "$(dirname "$0")/common.sh"
expect native
expect edges
expect native LD_PRELOAD="$SHIM" AMXSHIM_DISABLE=1
need_built "$H/amxtruth"
if ! real_amx; then
	# No AMX here: the shim cannot get permission, so the guard must stay out of the way.
	expect native LD_PRELOAD="$SHIM"
fi
finish
