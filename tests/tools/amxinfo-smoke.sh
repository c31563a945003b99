#!/bin/sh
# SPDX-License-Identifier: MIT
# amxinfo's every output mode, for the sanitizer and valgrind builds (make asan/ubsan/valgrind): each run
# must succeed and print what it promises; the sanitizers and valgrind turn any memory error into a failure.
set -u
B=${BUILD:-build}
run() { ${VALGRIND:-} "$B/amxinfo" "$@"; }
run >/dev/null || { echo "FAIL: amxinfo"; exit 1; }
run --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert "usable" in d and d["detail"]' ||
	{ echo "FAIL: amxinfo --json"; exit 1; }
run --json --request | python3 -c 'import json,sys; json.load(sys.stdin)' || { echo "FAIL: --request"; exit 1; }
AMXSHIM_DISABLE=yes run | grep -q 'reason: disabled' || { echo "FAIL: disabled"; exit 1; }
run --check --request
case $? in 0|1) ;; *) echo "FAIL: --check exit"; exit 1 ;; esac
echo "amxinfo modes ok"
