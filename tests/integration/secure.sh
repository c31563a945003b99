#!/bin/sh
# SPDX-License-Identifier: MIT
# AT_SECURE: in a secure-execution process (setgid or setuid binary) AMXSHIM_DEBUG and AMXSHIM_STRICT are
# ignored (no output, no forced exit) while AMXSHIM_DISABLE is still honoured. LD_PRELOAD with a slash is
# ignored in such processes, so secure-prog links libamxshim.so itself (absolute RUNPATH). Controls: the
# same binary without the set-id bit reports and exits 125. Needs root to make set-id copies.
. "$(dirname "$0")/../lib.sh"
need_built "$H/secure-prog" "$H/amxtruth" "$H/seccomp-run"
[ "$(id -u)" = 0 ] || skip "not root: cannot make a setgid/setuid copy of secure-prog"
if real_amx; then perm=1; else perm=0; fi

D=$(mktemp -d "$H/secure.XXXXXX") || exit 99
trap 'rm -rf "$T" "$D"' EXIT
chmod 755 "$D"
cp "$H/secure-prog" "$D/plain"
cp "$H/secure-prog" "$D/setgid"
chgrp 65534 "$D/setgid" && chmod 2755 "$D/setgid" || skip "cannot chgrp/chmod g+s in $D"
run probe "$D/setgid"
case $(cat "$T/probe.out") in
*secure=1*) ok "the setgid copy runs with AT_SECURE=1" ;;
*) skip "the setgid copy did not get AT_SECURE ($(cat "$T/probe.out")): nosuid mount?" ;;
esac

# Control: not secure, the variables work.
run c_dbg env AMXSHIM_DEBUG=1 "$D/plain"
if grep -q '^amxshim\[[0-9]*\]: AMX ' "$T/c_dbg.err" && grep -q 'secure=0' "$T/c_dbg.out"; then
	ok "control (secure=0): AMXSHIM_DEBUG reports"; else fail "control: AMXSHIM_DEBUG did not report"; cat "$T/c_dbg.err"; fi
# (A seccomp filter makes AMX unusable on any machine; it cannot be used on the set-id copies: no_new_privs
# disables set-id, so those use AMXSHIM_DISABLE=1 instead.)
run c_strict "$H/seccomp-run" EPERM env AMXSHIM_STRICT=1 "$D/plain"
if [ "$(cat "$T/c_strict.rc")" = 125 ] && [ ! -s "$T/c_strict.out" ]; then
	ok "control: AMXSHIM_STRICT=1 with AMX refused exits 125 before main"
else
	fail "control: STRICT exit $(cat "$T/c_strict.rc"), want 125 without main"
fi

# check NAME WANT_STDOUT WHAT: exit 0, that stdout, empty stderr
check() {
	if [ "$(cat "$T/$1.rc")" = 0 ] && [ "$(cat "$T/$1.out")" = "$2" ] && [ ! -s "$T/$1.err" ]; then
		ok "$3: $2, nothing on stderr"
	else
		fail "$3: exit $(cat "$T/$1.rc"), stdout '$(cat "$T/$1.out")', stderr '$(cat "$T/$1.err")'; want '$2'"
	fi
}

run s_dbg env AMXSHIM_DEBUG=1 "$D/setgid"
check s_dbg "main ran: secure=1 perm18=$perm" "setgid: AMXSHIM_DEBUG=1 ignored"
run s_strict env AMXSHIM_DISABLE=1 AMXSHIM_STRICT=1 AMXSHIM_DEBUG=1 "$D/setgid"
check s_strict "main ran: secure=1 perm18=0" "setgid: STRICT and DEBUG ignored, DISABLE honoured"

# setuid root, run by nobody (setpriv), when nobody can reach the copy.
if command -v setpriv >/dev/null 2>&1; then
	cp "$H/secure-prog" "$D/setuid"
	chmod 4755 "$D/setuid"
	as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	# Probe exactly the way the checks run (through env): a 0700 directory above $D blocks nobody.
	if as_nobody env "$D/setuid" >"$T/u.out" 2>&1 && grep -q 'secure=1' "$T/u.out"; then
		run u_dbg as_nobody env AMXSHIM_DEBUG=1 "$D/setuid"
		check u_dbg "main ran: secure=1 perm18=$perm" "setuid root run by nobody: AMXSHIM_DEBUG=1 ignored"
		run u_strict as_nobody env AMXSHIM_DISABLE=1 AMXSHIM_STRICT=1 "$D/setuid"
		check u_strict "main ran: secure=1 perm18=0" "setuid root run by nobody: STRICT ignored, DISABLE honoured"
	else
		echo "note: nobody cannot run the setuid copy here ($(head -c 200 "$T/u.out")): that half is skipped"
	fi
fi
finish
