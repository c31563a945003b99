#!/bin/sh
# SPDX-License-Identifier: MIT
# The shim's report lines with stderr on a pipe whose reader has gone (`amxrun --debug cmd
# 2>&1 | true`): the constructor's report and the sigaltstack guard's report (fake platform, where the
# kernel refuses 8192-byte stacks) must not raise SIGPIPE, must not change the errno the program sees,
# and must leave a SIGPIPE the program already had pending alone.
. "$(dirname "$0")/common.sh"
E=$B/tests/shim/epipe_prog
FAKE=$(readlink -f "$B/tests/shim/libamxshim-fake.so")
CPU=$(readlink -f tests/fixtures/cpuid/sapphire-rapids.txt)
# run one: the program writes its stdout to $T/NAME.out; the fate line goes to $T/NAME.fate
one() {
	n=$1 mode=$2
	shift 2
	"$E" run sh -c 'exec "$@" >"$0"' "$T/$n.out" env "$@" "$E" "$mode" >"$T/$n.fate" || fail "$n: runner failed"
}
one plain check
[ "$(cat "$T/plain.fate")" = "exit 0" ] && ok "without the shim: exit 0" || fail "without the shim: $(cat "$T/plain.fate")"
one shim check LD_PRELOAD="$SHIM" AMXSHIM_DEBUG=1
one fake check LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$CPU" AMXSHIM_FAKE_KERNEL=granted AMXSHIM_DEBUG=1
one strict check LD_PRELOAD="$SHIM" AMXSHIM_DISABLE=1 AMXSHIM_STRICT=1
for n in shim fake; do
	if [ "$(cat "$T/$n.fate")" != "exit 0" ]; then
		fail "$n: the program died: $(cat "$T/$n.fate")"
	elif ! cmp -s "$T/plain.out" "$T/$n.out"; then
		fail "$n: stdout differs (errno changed?): $(cat "$T/$n.out") vs $(cat "$T/plain.out")"
	else
		ok "$n: $(cat "$T/$n.fate"), $(tr '\n' ' ' <"$T/$n.out")"
	fi
done
grep -q '^sigaltstack=0 errno_after=4242$' "$T/fake.out" && ok "fake: the guard's substitute kept errno" ||
	fail "fake: $(cat "$T/fake.out")"
# STRICT still exits 125 (its report line is lost in the pipe, and must not turn into a SIGPIPE death).
[ "$(cat "$T/strict.fate")" = "exit 125" ] && [ ! -s "$T/strict.out" ] &&
	ok "AMXSHIM_STRICT with DISABLE: $(cat "$T/strict.fate") (not signal 13)" || fail "strict: $(cat "$T/strict.fate")"
one pend pending LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$CPU" AMXSHIM_FAKE_KERNEL=granted AMXSHIM_DEBUG=1
[ "$(cat "$T/pend.fate")" = "exit 0" ] && grep -q '^sigpipe_pending=1$' "$T/pend.out" &&
	ok "a SIGPIPE the program had blocked and pending stays pending" ||
	fail "a SIGPIPE the program had pending: $(cat "$T/pend.fate") $(cat "$T/pend.out")"
# The test can fail: a plain write to the same broken pipe kills (SIGPIPE is 13).
"$E" run sh -c 'echo x >&2' >"$T/ctl.fate"
[ "$(cat "$T/ctl.fate")" = "signal 13" ] && ok "control: an ordinary write to that pipe dies of SIGPIPE" ||
	fail "control: a write to the broken pipe gave '$(cat "$T/ctl.fate")', not SIGPIPE"
finish
