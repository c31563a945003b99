#!/bin/sh
# SPDX-License-Identifier: MIT
# A 200-deep fork+exec chain (tests/integration/forkexec 200: each level forks, the child execs the next
# level, the parent waits and prints; level 0 execs /bin/sh) under the shim gives byte-identical stdout,
# stderr and exit status (205) to the same chain without it, and with AMXSHIM_DISABLE=1.
# With AMXSHIM_DEBUG=1 the only difference on stderr is the report lines, exactly one per executed image:
# 201 forkexec images + 1 for /bin/sh when it is dynamically linked (it is the same process as level 0,
# so 201 distinct PIDs), each with the reason the ground truth predicts (execve resets the permission, so
# every image asks again and gets the same answer).
. "$(dirname "$0")/common.sh"
need_built "$H/forkexec" "$H/amxtruth"
need_tool readelf
DEPTH=200
want=$("$H/amxtruth" reason)
[ "$want" = ok ] && verdict=usable || verdict="not usable"
images=$((DEPTH + 1))
readelf -lW /bin/sh 2>/dev/null | grep -q 'Requesting program interpreter' && images=$((images + 1))
echo "expected: $images report lines '$verdict: $want', $((DEPTH + 1)) PIDs"

run plain "$H/forkexec" $DEPTH
[ "$(cat "$T/plain.rc")" = $((DEPTH + 5)) ] && [ "$(wc -l <"$T/plain.out")" = $((DEPTH + 1)) ] ||
	fail "the chain itself misbehaves: exit $(cat "$T/plain.rc"), $(wc -l <"$T/plain.out") lines"
run shim env LD_PRELOAD="$SHIM" "$H/forkexec" $DEPTH
same plain shim "$DEPTH-deep fork+exec chain, shim vs none"
run disabled env LD_PRELOAD="$SHIM" AMXSHIM_DISABLE=1 "$H/forkexec" $DEPTH
same plain disabled "$DEPTH-deep chain, shim with AMXSHIM_DISABLE=1 vs none"

run debug env LD_PRELOAD="$SHIM" AMXSHIM_DEBUG=1 "$H/forkexec" $DEPTH
grep '^amxshim\[' "$T/debug.err" >"$T/reports"
grep -v '^amxshim\[' "$T/debug.err" >"$T/debug.rest"
cp "$T/debug.rest" "$T/debugrest.err"
cp "$T/debug.out" "$T/debugrest.out"
cp "$T/debug.rc" "$T/debugrest.rc"
same plain debugrest "AMXSHIM_DEBUG=1: everything but the report lines is unchanged"
n=$(wc -l <"$T/reports")
pids=$(sed 's/^amxshim\[\([0-9]*\)\].*/\1/' "$T/reports" | sort -u | wc -l)
other=$(grep -vc "^amxshim\[[0-9]*\]: AMX $verdict: $want: " "$T/reports")
if [ "$n" = $images ] && [ "$pids" = $((DEPTH + 1)) ] && [ "$other" = 0 ]; then
	ok "AMXSHIM_DEBUG=1: $n report lines from $pids PIDs, all '$verdict: $want'"
else
	fail "AMXSHIM_DEBUG=1: $n report lines (want $images) from $pids PIDs (want $((DEPTH + 1))), $other unexpected"
	sed 's/\[[0-9]*\]//' "$T/reports" | sort | uniq -c | head
fi
finish
