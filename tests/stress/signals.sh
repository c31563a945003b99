#!/bin/sh
# SPDX-License-Identifier: MIT
# The shim in programs with signal and fd habits of their own (sigprog.c, started through stress-exec.c):
#  A. own SIGILL/SIGSEGV handlers on an 8192-byte sigaltstack: under the shim every fault reaches the
#     program's handler on its alternate stack exactly as without it; the only difference, on a machine
#     with real AMX, is that the tile operation now works. With the fake shim (recorded Sapphire Rapids,
#     granted; a fake kernel that refuses small stacks) the guard substitutes the stack on any machine.
#  B. every signal blocked before execve (the mask is inherited): the shim starts, reports, keeps the mask;
#     the tile operation, fatal without permission even with SIGILL blocked, works under the shim with AMX.
#  C. fd 2 closed before execve, AMXSHIM_DEBUG=1: nothing crashes, and no report line may land in a file
#     that later got fd 2, neither one the program opened in main nor one a DT_NEEDED library's
#     constructor opened (those run before the preloaded shim's constructor).
. "$(dirname "$0")/common.sh"
FAKE=$B/tests/shim/libamxshim-fake.so
need_built "$S/sigprog" "$S/stress-exec" "$H/amxtruth" "$FAKE"
SPR=$FIXTURES/sapphire-rapids.txt
P=$S/sigprog X=$S/stress-exec
if real_amx; then amx=yes; else amx=no; fi
echo "real AMX here: $amx"

has() { grep -qF -- "$2" "$T/$1"; }

# ---- A: the program's own handlers
run a_plain "$P" faults
has a_plain.out "null: SIGSEGV SEGV_MAPERR onstack=1" && has a_plain.out "ud2 again: SIGILL ILL_ILLOPN onstack=1" ||
	fail "sigprog's handlers do not work even without the shim: $(cat "$T/a_plain.out")"
run a_shim env LD_PRELOAD="$SHIM" "$P" faults
if [ $amx = yes ]; then
	has a_plain.out "tile: SIGILL ILL_ILLOPC onstack=1" || fail "without the shim the tile op did not raise SIGILL (ILL_ILLOPC)"
	sed 's/^tile: .*/tile: ok/' "$T/a_plain.out" >"$T/a_want.out"
	cp "$T/a_plain.err" "$T/a_want.err"
	cp "$T/a_plain.rc" "$T/a_want.rc"
	same a_want a_shim "own SIGILL/SIGSEGV handlers on a small altstack: identical under the shim, except 'tile: ok'"
else
	same a_plain a_shim "own SIGILL/SIGSEGV handlers on a small altstack: identical under the shim"
fi
run a_fake env LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$SPR" "$P" faults
same a_plain a_fake "own handlers, fake shim (granted, stack substituted): identical"
run a_fakedbg env LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$SPR" AMXSHIM_DEBUG=1 "$P" faults
if cmp -s "$T/a_plain.out" "$T/a_fakedbg.out" && has a_fakedbg.err "sigaltstack of 8192 bytes is smaller"; then
	ok "fake shim with AMXSHIM_DEBUG=1: the handlers ran on the substituted stack, same output"
else
	fail "fake shim with AMXSHIM_DEBUG=1: the guard did not substitute, or the output changed"; cat "$T/a_fakedbg.err"
fi

# ---- B: all signals blocked before exec
run b_plain "$X" -b -- "$P" tile
run b_shim "$X" -b -e LD_PRELOAD="$SHIM" -- "$P" tile
run b_dbg "$X" -b -e LD_PRELOAD="$SHIM" -e AMXSHIM_DEBUG=1 -- "$P" tile
mask=$(sed -n 's/^sigblk: //p' "$T/b_plain.out")
case $mask in
0000000000000000 | "") fail "stress-exec -b did not block the signals ('$mask')" ;;
*) ok "blocked mask at main without the shim: $mask" ;;
esac
[ "$(sed -n 's/^sigblk: //p' "$T/b_shim.out")" = "$mask" ] && [ "$(sed -n 's/^sigblk: //p' "$T/b_dbg.out")" = "$mask" ] &&
	ok "the shim leaves the inherited mask alone" || fail "the blocked mask changed under the shim"
if [ $amx = yes ]; then
	[ "$(cat "$T/b_plain.rc")" = 132 ] && ok "without the shim the tile op kills the process (SIGILL, blocked or not)" ||
		fail "without the shim: exit $(cat "$T/b_plain.rc"), want 132 (SIGILL)"
	[ "$(cat "$T/b_shim.rc")" = 0 ] && has b_shim.out "tile: ok" && ok "signals blocked: the shim's request still works" ||
		fail "signals blocked, shim: exit $(cat "$T/b_shim.rc") $(cat "$T/b_shim.out")"
else
	same b_plain b_shim "signals blocked: identical under the shim"
fi
n=$(grep -c '^amxshim\[' "$T/b_dbg.err")
[ "$n" = 1 ] && cmp -s "$T/b_shim.out" "$T/b_dbg.out" && ok "signals blocked, AMXSHIM_DEBUG=1: one report, same output" ||
	fail "signals blocked, AMXSHIM_DEBUG=1: $n report lines; $(cat "$T/b_dbg.err")"

# ---- C: fd 2 closed before exec
MAIN="main: line 1
main: line 2"
LIBLOG="lib: constructor"
for shim in real fake; do
	[ $shim = real ] && set -- -e LD_PRELOAD="$SHIM" || set -- -e LD_PRELOAD="$FAKE" -e AMXSHIM_FAKE_CPU="$SPR"
	for dbg in 0 1; do
		what="fd 2 closed, $shim shim, AMXSHIM_DEBUG=$dbg"
		rm -f "$T/file" "$T/liblog"
		run c "$X" -c "$@" -e AMXSHIM_DEBUG=$dbg -- "$P" fd2 "$T/file"
		if [ "$(cat "$T/c.rc")" = 0 ] && has c.out "fd 2 at main: closed; FILE got fd 2;"; then
			ok "$what: the program ran, its file got fd 2"
		else
			fail "$what: exit $(cat "$T/c.rc"): $(cat "$T/c.out")"
		fi
		okfile=0
		[ "$(cat "$T/file")" = "$MAIN" ] && okfile=1
		if [ $okfile = 1 ]; then ok "$what: the file that got fd 2 holds only the program's lines"
		else fail "$what: the file that got fd 2 was written to: $(cat "$T/file")"; fi
		# A DT_NEEDED library's constructor opens its log first: it gets fd 2 before the shim reports.
		run cl "$X" -c "$@" -e AMXSHIM_DEBUG=$dbg -e STRESS_FD2_LIB_FILE="$T/liblog" -- "$P" fd2 "$T/file"
		has cl.out "libfd2 log fd 2;" || fail "$what: libfd2's log did not get fd 2: $(cat "$T/cl.out")"
		if [ "$(cat "$T/liblog")" = "$LIBLOG" ]; then ok "$what: a library's log at fd 2 holds only its own line"
		else fail "$what: a library's log at fd 2 was written to: $(cat "$T/liblog")"; fi
	done
done
finish
