#!/bin/sh
# SPDX-License-Identifier: MIT
# The measurements behind LD_AUDIT.md, kept as checks (real AMX only: they read the real kernel's
# permission; SKIP elsewhere). libearly.so, a DT_NEEDED library, records ARCH_GET_XCOMP_PERM bit 18 in an
# IFUNC resolver run by an IRELATIVE relocation, in its constructor, and main reads it too.
#  - LD_PRELOAD: the library is relocated before the shim: resolver=0, constructor and main 1.
#  - LD_AUDIT with a test-only audit build of the shim (la_version added): resolver=1 (ld.so loads and
#    relocates audit modules before it maps the program's libraries), one AMXSHIM_DEBUG line; but the
#    sigaltstack guard is absent (the program's sigaltstack binds to its own namespace's libc).
#  - LD_AUDIT with the real libamxshim.so (no la_version): the request still happens (ld.so relocates the
#    module before it looks for la_version), then ld.so prints an ERROR line and unloads it.
. "$(dirname "$0")/common.sh"
AUD=$S/libamxshim-audit.so
need_built "$S/early" "$S/libearly.so" "$AUD" "$S/sigprog" "$H/amxtruth"
real_amx || skip "no real AMX here: $("$H/amxtruth" real)"
AUD=$(readlink -f "$AUD")

expect() { # NAME WANT WHAT
	if [ "$(cat "$T/$1.rc")" = 0 ] && [ "$(cat "$T/$1.out")" = "$2" ]; then ok "$3: $2"; else
		fail "$3: exit $(cat "$T/$1.rc"), '$(cat "$T/$1.out")', want '$2'; $(head -3 "$T/$1.err")"; fi
}
run none "$S/early"
expect none "resolver=0 ctor=0 main=0" "no shim"
run pre env LD_PRELOAD="$SHIM" "$S/early"
expect pre "resolver=0 ctor=1 main=1" "LD_PRELOAD: a DT_NEEDED library's IFUNC resolver runs before the request"
run aud env LD_AUDIT="$AUD" AMXSHIM_DEBUG=1 "$S/early"
expect aud "resolver=1 ctor=1 main=1" "LD_AUDIT (test build with la_version): the request precedes it"
[ "$(grep -c '^amxshim\[[0-9]*\]: AMX usable: ok' "$T/aud.err")" = 1 ] && [ "$(wc -l <"$T/aud.err")" = 1 ] &&
	ok "LD_AUDIT: exactly one report line (from the audit namespace)" || fail "LD_AUDIT report: $(cat "$T/aud.err")"
run both env LD_AUDIT="$AUD" LD_PRELOAD="$SHIM" AMXSHIM_DEBUG=1 "$S/early"
expect both "resolver=1 ctor=1 main=1" "LD_AUDIT + LD_PRELOAD"
[ "$(grep -c '^amxshim\[' "$T/both.err")" = 1 ] && ok "LD_AUDIT + LD_PRELOAD: one report line (two shim copies, one process)" ||
	fail "LD_AUDIT + LD_PRELOAD report: $(cat "$T/both.err")"
run noversion env LD_AUDIT="$(readlink -f "$SHIM")" "$S/early"
if grep -q 'cannot be loaded as audit interface' "$T/noversion.err" && [ "$(cat "$T/noversion.out")" = "resolver=1 ctor=1 main=1" ]; then
	ok "LD_AUDIT=libamxshim.so (no la_version): requested anyway, plus ld.so's ERROR line"
else
	fail "LD_AUDIT=libamxshim.so: '$(cat "$T/noversion.out")' $(cat "$T/noversion.err")"
fi
run guard env LD_AUDIT="$AUD" "$S/sigprog" faults
grep -q '^sigaltstack(8192): -1$' "$T/guard.out" && ok "LD_AUDIT alone: no sigaltstack guard (8192-byte stack refused)" ||
	fail "LD_AUDIT alone: the guard works after all? $(head -1 "$T/guard.out")"
run guard2 env LD_AUDIT="$AUD" LD_PRELOAD="$SHIM" "$S/sigprog" faults
grep -q '^sigaltstack(8192): 0$' "$T/guard2.out" && ok "LD_AUDIT + LD_PRELOAD: the guard is back" ||
	fail "LD_AUDIT + LD_PRELOAD: $(head -1 "$T/guard2.out")"
finish
