#!/bin/sh
# SPDX-License-Identifier: MIT
# A machine with more online CPUs than amxscan's thread table (MAX_JOBS, 256): the default job count
# must be clamped, or -r over more files than that writes past the table. sysconf512.so makes
# sysconf(_SC_NPROCESSORS_ONLN) say 512; 300 files (hard links of one small program) give 300 jobs.
. "$(dirname "$0")/../lib.sh"
SCAN=$B/amxscan
PRE=$B/tests/amxscan/sysconf512.so
[ -x "$SCAN" ] || { fail "$SCAN is not built"; finish; }
[ -f "$PRE" ] || { fail "$PRE is not built"; finish; }
FCC=${AMXSCAN_FIXTURE_CC:-gcc}
"$FCC" -O2 -o "$T/prog" tests/amxscan/fixtures/noamx.c || { fail "cannot build the fixture"; finish; }
[ "$(LD_PRELOAD=$PRE getconf _NPROCESSORS_ONLN 2>/dev/null)" = 512 ] && ok "the interposer answers 512" ||
	echo "note: getconf does not go through sysconf(); amxscan does"
mkdir -p "$T/tree" || exit 1
i=0
while [ $i -lt 300 ]; do
	ln "$T/prog" "$T/tree/f$i" 2>/dev/null || cp "$T/prog" "$T/tree/f$i" || exit 1
	i=$((i + 1))
done
LD_PRELOAD=$PRE timeout 60 "$SCAN" -r --quiet "$T/tree" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" = 0 ] && ok "512 CPUs, 300 files: exit 0" || fail "512 CPUs, 300 files: exit $rc (139: SIGSEGV past the thread table): $(head -c 300 "$T/err")"
[ "$(grep -c ': no-amx$' "$T/out")" = 300 ] && ok "every file reported" || fail "$(wc -l <"$T/out") lines of 300"
LD_PRELOAD=$PRE timeout 60 "$SCAN" -j 257 --quiet "$T/prog" >/dev/null 2>"$T/err"
[ $? = 2 ] && grep -q "from 1 to 256" "$T/err" && ok "-j 257 refused" || fail "-j 257: $(cat "$T/err")"
finish
