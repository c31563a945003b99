#!/bin/sh
# SPDX-License-Identifier: MIT
# The shim dlopen()ed into a running program:
#  bug 3: 1500 dlopen/dlclose cycles must not use up the host's pthread keys (PTHREAD_KEYS_MAX is 1024;
#         each unload used to leak one, with a destructor pointing into the unmapped library);
#  bug 4: after clearenv(), a newly loaded object must not read the kernel's start-up environment (here the
#         shim itself, whose resolver copy would see a cleared AMXSHIM_DISABLE=1 and say "disabled");
#  bug 5: AMXSHIM_STRICT applies before main only: loaded later it reports and does not exit, so the
#         program's buffered stdout survives;
#  and LD_AUDIT=libamxshim.so (a mistake: it has no la_version) must not harm the program: ld.so rejects and
#  unloads it, which asserts in ld.so if the shim were linked -z nodelete (it pins itself only when dlopen()ed).
. "$(dirname "$0")/common.sh"
need_built "$S/dlshim" "$H/amxtruth" "$H/hello"
truth=$("$H/amxtruth" reason)
[ "$truth" = ok ] && verdict=usable || verdict="not usable"

run cycles "$S/dlshim" "$SHIM" 1500
if [ "$(cat "$T/cycles.rc")" = 0 ] && grep -q '^cycles=1500 key=ok$' "$T/cycles.out"; then
	ok "1500 dlopen/dlclose cycles of the shim: the host's pthread_key_create still works"
else
	fail "1500 cycles: exit $(cat "$T/cycles.rc"): $(tail -n 2 "$T/cycles.out") $(head -c 300 "$T/cycles.err")"
fi

# STRICT with AMX not usable (DISABLE=1): at start-up it exits 125 (control), dlopen()ed it reports only.
run pre env LD_PRELOAD="$SHIM" AMXSHIM_DISABLE=1 AMXSHIM_STRICT=1 "$S/dlshim" "$SHIM" 1
[ "$(cat "$T/pre.rc")" = 125 ] && [ ! -s "$T/pre.out" ] && grep -q 'AMXSHIM_STRICT: exit 125' "$T/pre.err" &&
	ok "control: preloaded, AMXSHIM_STRICT exits 125 before main" ||
	fail "control: preloaded STRICT: exit $(cat "$T/pre.rc"), $(cat "$T/pre.err")"
run late env AMXSHIM_DISABLE=1 AMXSHIM_STRICT=1 "$S/dlshim" "$SHIM" 1
if [ "$(cat "$T/late.rc")" = 0 ] && grep -q '^before dlopen$' "$T/late.out" && grep -q '^reason=disabled$' "$T/late.out" &&
	grep -q '^amxshim\[[0-9]*\]: AMX not usable: disabled: .*(AMXSHIM_STRICT: loaded after start-up by dlopen, not exiting)$' "$T/late.err"; then
	ok "dlopen()ed with AMXSHIM_STRICT: reported, not exited, buffered stdout kept"
else
	fail "dlopen()ed with AMXSHIM_STRICT: exit $(cat "$T/late.rc"), stdout '$(cat "$T/late.out")', stderr '$(cat "$T/late.err")'"
fi

# clearenv() then dlopen: the start-up AMXSHIM_DISABLE=1 and AMXSHIM_DEBUG=1 are gone for the new object.
run clear env AMXSHIM_DISABLE=1 AMXSHIM_DEBUG=1 "$S/dlshim" "$SHIM" 1 clearenv
if [ "$(cat "$T/clear.rc")" = 0 ] && grep -q "^reason=$truth\$" "$T/clear.out" && [ ! -s "$T/clear.err" ]; then
	ok "clearenv() then dlopen: the new object sees no variables (reason=$truth, no report)"
else
	fail "clearenv() then dlopen: exit $(cat "$T/clear.rc"), stdout '$(cat "$T/clear.out")', stderr '$(cat "$T/clear.err")' (want reason=$truth)"
fi
# ... and the same with the environment intact reads them (the check can fail).
run kept env AMXSHIM_DISABLE=1 "$S/dlshim" "$SHIM" 1
grep -q '^reason=disabled$' "$T/kept.out" && ok "control: without clearenv() the loaded object sees AMXSHIM_DISABLE=1" ||
	fail "control: without clearenv(): $(cat "$T/kept.out")"
echo "note: AMX here: $verdict ($truth)"
run plain "$H/hello"
run audit env LD_AUDIT="$(readlink -f "$SHIM")" "$H/hello"
cmp -s "$T/plain.rc" "$T/audit.rc" && cmp -s "$T/plain.out" "$T/audit.out" && ! grep -q 'Assertion\|Inconsistency' "$T/audit.err" &&
	ok "LD_AUDIT=libamxshim.so: the program runs as without it (ld.so only rejects the module)" ||
	fail "LD_AUDIT=libamxshim.so: exit $(cat "$T/audit.rc"): $(head -c 300 "$T/audit.err")"
finish
