#!/bin/sh
# SPDX-License-Identifier: MIT
# The guard is a no-op when the process holds no AMX permission: the program's 8192-byte stack is
# installed as is and handlers run on it (real kernel, any machine).
set -u
. "$(dirname "$0")/common.sh"
expect native
expect edges
expect native LD_PRELOAD="$SHIM" AMXSHIM_DISABLE=1
if ! "$B/amxinfo" --check --request; then
	# No AMX here: the shim cannot get permission, so the guard must stay out of the way.
	expect native LD_PRELOAD="$SHIM"
fi
exit 0
