#!/bin/sh
# SPDX-License-Identifier: MIT
# Transparency: LD_PRELOAD=libamxshim.so (no AMXSHIM_* variable) leaves unmodified programs' stdout,
# stderr and exit status byte-identical: /bin/true, sh -c, python3 threads, C++ std::thread, a library
# starting threads in its constructor, a fork+exec chain.
. "$(dirname "$0")/../lib.sh"
need_built "$H/hello" "$H/cxxthreads" "$H/ctorthreads" "$H/forkexec" "$H/amxtruth"

# Both runs get the same command; only LD_PRELOAD differs.
compare() {
	what=$1
	shift
	run plain "$@"
	run shim env LD_PRELOAD="$SHIM" "$@"
	same plain shim "$what"
}

# The shim must really be loaded in the preloaded runs, or every comparison below proves nothing.
run loaded env LD_PRELOAD="$SHIM" AMXSHIM_DEBUG=1 /bin/true
if grep -q '^amxshim\[[0-9]*\]: AMX ' "$T/loaded.err"; then ok "the shim loads and reports under AMXSHIM_DEBUG"; else
	fail "the shim did not report: is it loaded?"; cat "$T/loaded.err"; fi

compare "/bin/true" /bin/true
compare "sh -c with output and exit 3" /bin/sh -c 'echo out; echo err >&2; printf "%s\n" "$0" "$#"; exit 3' arg0 x y
compare "a C program (exit 3)" "$H/hello"
compare "C++ std::thread program (exit 4)" "$H/cxxthreads"
compare "DT_NEEDED library starting threads in its constructor" "$H/ctorthreads"
compare "fork+exec chain of 4 levels and sh (exit 9)" "$H/forkexec" 4
[ "$(cat "$T/shim.rc")" = 9 ] || fail "fork+exec chain exited $(cat "$T/shim.rc"), want 9"

py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3 || true)
if [ -n "$py" ]; then
	compare "python3 with 8 threads (exit 3)" "$py" -c '
import sys, threading
r = [0] * 8
def work(i):
    r[i] = sum(k ^ i for k in range(20000 * (i + 1)))
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in ts: t.start()
for t in ts: t.join()
print(r)
print("python stderr", file=sys.stderr)
sys.exit(3)'
else
	echo "note: python3 not installed, its case skipped"
fi

# On a machine with AMX, the preloaded processes really hold permission (and without the shim they do not):
# the transparency above is not the transparency of a shim that does nothing.
if real_amx; then
	run p0 "$H/amxtruth" perm
	run p1 env LD_PRELOAD="$SHIM" "$H/amxtruth" perm
	if [ "$(cat "$T/p0.out")" = 0 ] && [ "$(cat "$T/p1.out")" = 1 ]; then
		ok "AMX machine: permission held with the shim, not without"
	else
		fail "AMX machine: perm bit 18 without/with shim: $(cat "$T/p0.out")/$(cat "$T/p1.out"), want 0/1"
	fi
fi
finish
