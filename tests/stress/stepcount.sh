#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/stepcount, the start-up instrument, counts exactly: stepprog (no libc, no loader) executes a known
# stream of 2017 + 2000 x (argc - 1) instructions, 3 CPUID, one XGETBV where OSXSAVE allows it (3 more
# instructions, exit status 1) and one system call; -o puts all of them in the program's own mapping.
# Signals reach the traced command and a traced execve goes on counting in the new image.
. "$(dirname "$0")/common.sh"
SC=$B/bench/stepcount
P=$S/stepprog
need_built "$SC" "$P"
run probe "$SC" "$P"
if [ "$(cat "$T/probe.rc")" = 125 ]; then
	skip "no ptrace here: $(cat "$T/probe.err")"
fi
# expect NAME ARGC: the totals line of run NAME matches stepprog's stream for ARGC arguments.
expect() {
	_rc=$(cat "$T/$1.rc")
	case $_rc in
	0) _x=0 ;;
	1) _x=1 ;;
	*) fail "$1: stepprog exited $_rc: $(cat "$T/$1.err")"; return ;;
	esac
	_want="instructions=$((17 + 3 * _x + 2000 * $2)) cpuid=3 xgetbv=$_x syscall=1 exit=$_rc"
	_got=$(grep '^instructions=' "$T/$1.out")
	if [ "$_got" = "$_want" ]; then
		ok "$1: $_got"
	else
		fail "$1: got '$_got', want '$_want'"
	fi
}
expect probe 1
run three "$SC" "$P" a b
expect three 3
run obj "$SC" -o "$P" a
expect obj 2
want="object=stepprog instructions=$(sed -n 's/^instructions=\([0-9]*\) .*/\1/p' "$T/obj.out")"
if grep -q "^$want cpuid=3 " "$T/obj.out" && [ "$(grep -c '^object=' "$T/obj.out")" = 1 ]; then
	ok "-o: every step attributed to stepprog"
else
	fail "-o: $(cat "$T/obj.out")"
fi
# A shell that execs stepprog from its USR1 trap: exits with stepprog's status (not 4, not killed by a
# SIGTRAP passed on), with more than stepprog's own counts, and -e reached its environment.
run sig "$SC" -e "STEPPROG=$P" /bin/sh -c 'trap "exec \$STEPPROG" USR1; kill -USR1 $$; exit 4'
rc=$(cat "$T/sig.rc")
n=$(sed -n 's/^instructions=\([0-9]*\) .*/\1/p' "$T/sig.out")
if { [ "$rc" = 0 ] || [ "$rc" = 1 ]; } && grep -q "cpuid=[3-9][0-9]* .* exit=$rc\$" "$T/sig.out" &&
	[ "${n:-0}" -gt 2020 ]; then
	ok "signal passed on, execve followed: $(cat "$T/sig.out")"
else
	fail "signal and execve: exit $rc: $(cat "$T/sig.out" "$T/sig.err")"
fi
finish
