#!/bin/sh
# SPDX-License-Identifier: MIT
# The shim dlopen()ed into a running program:
#  bug 3: 1500 dlopen/dlclose cycles must not use up the host's pthread keys (PTHREAD_KEYS_MAX is 1024;
#         each unload used to leak one, with a destructor pointing into the unmapped library);
#  bug 4: after clearenv(), a newly loaded object must not read the kernel's start-up environment (here the
#         shim itself, whose resolver copy would see a cleared AMXSHIM_DISABLE=1 and say "disabled");
#  bug 5: AMXSHIM_STRICT applies before main only: loaded later it reports and does not exit, so the
#         program's buffered stdout survives; in a namespace of its own (dlmopen) too;
#  one report line per process, however many namespaces load a copy of the shim;
#  a shim loaded after start-up writes only to a terminal, never into a file the program opened as fd 2;
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
# ptyrun NAME CMD...: as run, but with stderr on a new pseudo-terminal (its output in $T/NAME.err).
ptyrun() {
	_n=$1
	shift
	python3 -c '
import os, pty, subprocess, sys, termios
out, cmd = sys.argv[1], sys.argv[2:]
m, s = pty.openpty()
a = termios.tcgetattr(s)
a[1] &= ~termios.OPOST  # the line as written, no CR added
termios.tcsetattr(s, termios.TCSANOW, a)
with open(out + ".out", "wb") as o:
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=o, stderr=s)
os.close(s)
err = b""
while True:
    try:
        b = os.read(m, 4096)
    except OSError:
        break
    if not b:
        break
    err += b
open(out + ".err", "wb").write(err)
open(out + ".rc", "w").write("%d\n" % p.wait())
' "$T/$_n" "$@"
}
late_line='^amxshim\[[0-9]*\]: AMX not usable: disabled: .*(AMXSHIM_STRICT: loaded after start-up by dlopen, not exiting)$'
run late env AMXSHIM_DISABLE=1 AMXSHIM_STRICT=1 "$S/dlshim" "$SHIM" 1
if [ "$(cat "$T/late.rc")" = 0 ] && grep -q '^before dlopen$' "$T/late.out" && grep -q '^reason=disabled$' "$T/late.out"; then
	ok "dlopen()ed with AMXSHIM_STRICT: not exited, buffered stdout kept"
else
	fail "dlopen()ed with AMXSHIM_STRICT: exit $(cat "$T/late.rc"), stdout '$(cat "$T/late.out")', stderr '$(cat "$T/late.err")'"
fi
# The same in a new namespace (dlmopen): its copy's libc is not initialised when it is relocated, which
# made it take itself for a start-up copy and exit 125.
run latens env AMXSHIM_DISABLE=1 AMXSHIM_STRICT=1 "$S/dlshim" "$SHIM" 1 dlmopen
if [ "$(cat "$T/latens.rc")" = 0 ] && grep -q '^before dlopen$' "$T/latens.out" && grep -q '^reason=disabled$' "$T/latens.out"; then
	ok "dlmopen(LM_ID_NEWLM)ed with AMXSHIM_STRICT: not exited, buffered stdout kept"
else
	fail "dlmopen()ed with AMXSHIM_STRICT: exit $(cat "$T/latens.rc"), stdout '$(cat "$T/latens.out")', stderr '$(cat "$T/latens.err")'"
fi
# A late copy cannot know which file the process's stderr was: into a file it writes nothing (fd2 below
# is why), on a terminal it reports.
[ ! -s "$T/late.err" ] && [ ! -s "$T/latens.err" ] && ok "loaded after start-up, stderr a file: nothing written there" ||
	fail "loaded after start-up wrote into a file: '$(cat "$T/late.err" "$T/latens.err")'"
if command -v python3 >/dev/null; then
	for mode in "" dlmopen; do
		ptyrun latetty env AMXSHIM_DISABLE=1 AMXSHIM_STRICT=1 "$S/dlshim" "$SHIM" 1 $mode
		[ "$(cat "$T/latetty.rc")" = 0 ] && [ "$(grep -c "$late_line" "$T/latetty.err")" = 1 ] &&
			[ "$(wc -l <"$T/latetty.err")" = 1 ] && ok "loaded after start-up (${mode:-dlopen}), stderr a terminal: one report line" ||
			fail "${mode:-dlopen} with stderr a terminal: exit $(cat "$T/latetty.rc"), stderr '$(cat "$T/latetty.err")'"
	done
	# One line per process: three namespaces load a copy (each unloaded again), one reports.
	ptyrun ns3 env AMXSHIM_DEBUG=1 "$S/dlshim" "$SHIM" 3 dlmopen
	[ "$(cat "$T/ns3.rc")" = 0 ] && [ "$(grep -c '^amxshim\[' "$T/ns3.err")" = 1 ] &&
		ok "AMXSHIM_DEBUG, three dlmopen namespaces: one report line" ||
		fail "three namespaces: exit $(cat "$T/ns3.rc"), stderr '$(cat "$T/ns3.err")'"
else
	echo "note: no python3 (for a pseudo-terminal): the late report on a terminal is not checked"
fi
# Preloaded, and two more copies in namespaces of their own: the preloaded copy's line only.
run ns2 env LD_PRELOAD="$SHIM" AMXSHIM_DEBUG=1 "$S/dlshim" "$SHIM" 2 dlmopen
[ "$(cat "$T/ns2.rc")" = 0 ] && [ "$(grep -c '^amxshim\[' "$T/ns2.err")" = 1 ] && [ "$(wc -l <"$T/ns2.err")" = 1 ] &&
	ok "AMXSHIM_DEBUG, preloaded plus two dlmopen namespaces: one report line" ||
	fail "preloaded plus two namespaces: exit $(cat "$T/ns2.rc"), stderr '$(cat "$T/ns2.err")'"
# fd 2 closed, a data file opened (it gets fd 2), then the shim dlopen()ed with every report on: the data
# file keeps its data only.
for mode in "AMXSHIM_DEBUG=1" "AMXSHIM_DISABLE=1 AMXSHIM_STRICT=1"; do
	# shellcheck disable=SC2086 # the assignments are split on purpose
	run fd2 env $mode "$S/dlshim" "$SHIM" 1 fd2 "$T/data"
	[ "$(cat "$T/fd2.rc")" = 0 ] && [ "$(cat "$T/data")" = data ] && ok "$mode, fd 2 a data file the program opened: nothing written into it" ||
		fail "$mode, fd 2 a data file: exit $(cat "$T/fd2.rc"), data file '$(cat "$T/data")'"
done
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
