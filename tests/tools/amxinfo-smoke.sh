#!/bin/sh
# SPDX-License-Identifier: MIT
# amxinfo's every output mode, for the sanitizer and valgrind builds (make asan/ubsan/valgrind): each run
# must succeed and print what it promises; the sanitizers and valgrind turn any memory error into a failure.
. "$(dirname "$0")/../lib.sh"
info() { ${VALGRIND:-} "$B/amxinfo" "$@"; }
info >/dev/null && ok "amxinfo" || fail "amxinfo"
info --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert "usable" in d and d["detail"]' &&
	ok "amxinfo --json" || fail "amxinfo --json"
info --json --request | python3 -c 'import json,sys; json.load(sys.stdin)' && ok "--json --request" || fail "--request"
AMXSHIM_DISABLE=yes info | grep -q 'reason: disabled' && ok "AMXSHIM_DISABLE=yes: reason disabled" || fail "disabled"
info --check --request
case $? in 0|1) ok "--check --request exits 0 or 1" ;; *) fail "--check exit" ;; esac
finish
