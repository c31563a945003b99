# SPDX-License-Identifier: MIT
# shellcheck shell=sh disable=SC2034
# Shared by the sigaltstack guard tests: the harness (tests/lib.sh), the guard's test program, and SHIM as a
# canonical path.
. "$(dirname "$0")/../lib.sh"
PROG=$B/tests/shim/altstack_prog
SHIM=$(readlink -f "$B/libamxshim.so")
# expect MODE [VAR=VALUE...]: the program under the given environment, its verdict must be PASS (exit 0).
expect() {
	mode=$1; shift
	if out=$(env "$@" "$PROG" "$mode" 2>&1); then
		ok "$mode with $*: $out"
	else
		fail "$mode with $*: $out"
	fi
}
