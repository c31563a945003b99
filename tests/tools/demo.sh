#!/bin/sh
# SPDX-License-Identifier: MIT
# `make demo` tells what happened: a line that says SIGILL belongs to a run that died of SIGILL (exit 132),
# and where AMX is not usable the tile path runs under the emulator and computes the right result.
# ok/fail always succeed, so "A && ok || fail" is an if-then-else here.
# shellcheck disable=SC2015
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
need_built "$B/demo/naive-amx" "$B/amxinfo" "$B/amxrun" "$B/libamxemu.so" "$H/amxtruth"
BUILD=$B DEMO_NEXT='the next part' scripts/demo.sh >"$T/demo.out" 2>"$T/demo.err" || fail "demo.sh exit $?"
cat "$T/demo.out"
# Sections are numbered 1, 2, ... once each on either story, and make demo's own part comes next.
nums=$(sed -n 's/^== \([0-9]*\)\. .*/\1/p' "$T/demo.out" | tr '\n' ' ')
[ "$nums" = "$(seq -s ' ' 1 "$(echo "$nums" | wc -w)") " ] &&
	tail -n 1 "$T/demo.out" | grep -qx "== $(echo "$nums" | wc -w). the next part" &&
	ok "sections numbered $nums, the caller's part last" || fail "section numbers: $nums"
# Every "-> exit status" line that names SIGILL must report 132, and every 132 must say SIGILL.
bad=$(grep -- '-> exit status' "$T/demo.out" | grep -v '^   -> exit status 132: killed by SIGILL$' | grep -i 'sigill')
[ -z "$bad" ] && ok "no SIGILL claimed for a run that did not die of it" || fail "false SIGILL claim: $bad"
grep -q -- '-> exit status 132$' "$T/demo.out" && fail "exit 132 without saying SIGILL" || true
# The oracle is amxtruth (independent of the resolver the demo's tools share), not amxinfo.
reason=$("$H/amxtruth" reason)
if [ "$reason" = ok ]; then
	grep -q 'tile result 128 (expected 128)' "$T/demo.out" && ok "AMX machine: the program computes under the shim" ||
		fail "AMX machine: no tile result"
else
	grep -q 'tile result 128 (expected 128)' "$T/demo.out" && ok "no AMX ($reason): the tile path ran under the emulator" ||
		fail "no AMX: the tile path did not run under the emulator"
	grep -q "AMX cannot be made usable here ($reason)" "$T/demo.out" && ok "the demo says why ($reason)" || fail "no reason given"
fi
finish
