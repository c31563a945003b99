# SPDX-License-Identifier: MIT
# Shared by the sigaltstack guard tests.
B=${BUILD:-build}
PROG=$B/tests/shim/altstack_prog
SHIM=$(readlink -f "$B/libamxshim.so")
fail() { echo "FAIL: $*"; exit 1; }
# run MODE [VAR=VALUE...]: the program under the given environment, its verdict must be PASS (exit 0).
expect() {
	mode=$1; shift
	out=$(env "$@" "$PROG" "$mode" 2>&1) || fail "$mode with $*: $out"
	echo "ok: $mode with $*: $out"
}
