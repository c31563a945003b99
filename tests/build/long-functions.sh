#!/bin/sh
# SPDX-License-Identifier: MIT
# Functions a reader can hold: no function in the C code outside tests/ is longer than 60 lines, from its
# opening `{` to its closing `}`, unless the line above its definition is a comment starting "Long because"
# (a table-driven function, one case per row) or tests/build/long-functions.allow names it ("file:function
# reason", for one waiting on another change). An allow-list entry for a function no longer long fails too,
# so the list cannot outlive its reason. Definitions are found in the project's layout: `{` and `}` alone
# in column 0. Optional argument: the tree.
. "$(dirname "$0")/../lib.sh"
root=${1:-.}
max=60
allow=tests/build/long-functions.allow
files=$(cd "$root" && find . \( -path ./.git -o -path './build*' -o -path ./tests \) -prune -o \
	\( -name '*.c' -o -name '*.h' \) -type f -print | sed 's|^\./||' | sort)
[ "$(echo "$files" | wc -l)" -gt 20 ] || { fail "too few C files under $root: wrong directory?"; finish; }
# One line per definition: file:function:lines:reasoned (1 when the line above starts "Long because").
(cd "$root" && echo "$files" | xargs awk '
FNR == 1 { depth = 0 }
{ line[FNR] = $0 }
/^\{/ && depth == 0 {
	s = FNR - 1 # back to the first line of the signature
	while (s > 1 && line[s - 1] != "" && line[s - 1] !~ /[;}][ \t]*$/ && line[s - 1] !~ /\*\/[ \t]*$/ &&
	       line[s - 1] !~ /^(#|\/\/)/)
		s--
	sig = ""
	for (i = s; i < FNR; i++)
		sig = sig " " line[i]
	gsub(/__attribute__[ \t]*\(\([^()]*(\([^()]*\)[^()]*)*\)\)/, "", sig)
	name = ""
	if (match(sig, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/) && substr(sig, 1, RSTART) !~ /=/) {
		name = substr(sig, RSTART, RLENGTH)
		sub(/[ \t]*\($/, "", name)
	}
	start = FNR
	first = s
	depth = 1
	next
}
depth == 1 && /^\}/ {
	depth = 0
	if (name != "")
		print FILENAME ":" name ":" (FNR - start + 1) ":" \
			((first > 1 && line[first - 1] ~ /^[ \t]*(\/\/|\/\*)[ \t]*Long because/) ? 1 : 0)
}') >"$T/defs" || { fail "awk failed on the sources"; finish; }
n=$(wc -l <"$T/defs")
[ "$n" -gt 100 ] && ok "$n function definitions found" || fail "only $n function definitions found: parser broken?"
# the parser itself: a known function and its length as the source says
grep -q '^tools/amxscan/codewalk.c:site_push:12:0$' "$T/defs" && ok "site_push found, 12 lines" ||
	fail "site_push not found as 12 lines: $(grep ':site_push:' "$T/defs")"

grep -v '^#' "$allow" | grep -v '^$' | cut -d' ' -f1 >"$T/allowed"
long=0 bad=0
while IFS=: read -r f fn len reasoned; do
	[ "$len" -gt "$max" ] || continue
	long=$((long + 1))
	if [ "$reasoned" = 1 ]; then
		echo "note: $f $fn() $len lines, the reason above it: $(grep -B1 -n "^[a-z].*[ *]$fn(" "$root/$f" | grep -m1 'Long because')"
	elif grep -qxF "$f:$fn" "$T/allowed"; then
		echo "note: $f $fn() $len lines, allowed: $(grep "^$f:$fn " "$allow" | cut -d' ' -f2-)"
	else
		bad=$((bad + 1))
		fail "$f $fn() is $len lines (over $max): split it along its jobs, or write 'Long because ...' above it"
	fi
done <"$T/defs"
while read -r e; do
	f=${e%%:*} fn=${e#*:}
	len=$(grep "^$f:$fn:" "$T/defs" | cut -d: -f3 | sort -n | tail -n1)
	[ -n "$len" ] && [ "$len" -gt "$max" ] && ok "$f $fn() on the allow list, $len lines" ||
		fail "$allow names $f:$fn, which is ${len:-not found}${len:+ lines}: remove the entry"
done <"$T/allowed"
[ "$bad" -eq 0 ] && ok "$long function(s) over $max lines, each with a reason"
finish
