#!/bin/sh
# SPDX-License-Identifier: MIT
# The length decoder against objdump -d, instruction by instruction, on real code (libc, libm, this
# build's amxscan) and on every AMX operand form binutils assembles. Differences objdump alone makes
# (REX prefixes printed on their own line in data, FWAIT folded into x87) are skipped by lencheck.
set -u
B=${BUILD:-build}
CHECK=$B/tests/amxscan/lencheck
W=$B/tests/amxscan/decoder
[ -x "$CHECK" ] || { echo "$CHECK is not built"; exit 1; }
command -v objdump >/dev/null || { echo "objdump missing"; exit 77; }
mkdir -p "$W" || exit 1
as -o "$W/amx_forms.o" tests/amxscan/fixtures/amx_forms.s || exit 1
status=0
for f in "$W/amx_forms.o" "$B/amxscan" "$(gcc -print-file-name=libc.so.6)" "$(gcc -print-file-name=libm.so.6)"; do
	[ -f "$f" ] || { echo "skip $f: not found"; continue; }
	# objdump line -> "BYTES<TAB>TEXT"; a (bad) line and the one after it are out of step, dropped.
	objdump -d --insn-width=16 "$f" |
		awk -F'\t' '/^ *[0-9a-f]+:\t/ { if (NF < 3) next; if ($3 ~ /\(bad\)/) { bad = 1; next }
			    if (bad) { bad = 0; next } print $2 "\t" $3 }' >"$W/lines"
	printf '%s: ' "$f"
	"$CHECK" <"$W/lines" || status=1
done
# amx_forms must have shown all 22 AMX lines to the checker, or the check proved little.
n=$(objdump -d "$W/amx_forms.o" | grep -cE '	(ldtilecfg|sttilecfg|tile|tdp)')
[ "$n" = 22 ] || { echo "amx_forms.o: expected 22 AMX instructions from objdump, got $n"; status=1; }
exit $status
