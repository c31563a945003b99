#!/bin/sh
# SPDX-License-Identifier: MIT
# The length decoder against objdump -d, instruction by instruction, on real code (libc, libm, this
# build's amxscan) and on every AMX operand form binutils assembles. Differences objdump alone makes
# (REX prefixes printed on their own line in data, FWAIT folded into x87) are skipped by lencheck.
. "$(dirname "$0")/../lib.sh"
# The fixtures are GNU-toolchain inputs (AT&T AMX mnemonics GNU as knows, -Wa,-mx86-used-note, GNU as
# relocation choices in .o files), their expected results read from GNU objdump: built with gcc whatever
# CC is, since amxscan, not the compiler, is under test here.
FCC=${AMXSCAN_FIXTURE_CC:-gcc}
CHECK=$B/tests/amxscan/lencheck
W=$T
[ -x "$CHECK" ] || { fail "$CHECK is not built"; finish; }
need_tool objdump
as -o "$W/amx_forms.o" tests/amxscan/fixtures/amx_forms.s || { fail "as amx_forms.s"; finish; }
for f in "$W/amx_forms.o" "$B/amxscan" "$("$FCC" -print-file-name=libc.so.6)" "$("$FCC" -print-file-name=libm.so.6)"; do
	[ -f "$f" ] || { echo "skip $f: not found"; continue; }
	# objdump line -> "BYTES<TAB>TEXT"; a (bad) line and the one after it are out of step, dropped.
	objdump -d --insn-width=16 "$f" |
		awk -F'\t' '/^ *[0-9a-f]+:\t/ { if (NF < 3) next; if ($3 ~ /\(bad\)/) { bad = 1; next }
			    if (bad) { bad = 0; next } print $2 "\t" $3 }' >"$W/lines"
	if "$CHECK" <"$W/lines" >"$W/check" 2>&1; then
		ok "$f: $(cat "$W/check")"
	else
		head -n 20 "$W/check"
		fail "$f: $(tail -n 1 "$W/check")"
	fi
done
# amx_forms must have shown all 22 AMX lines to the checker, or the check proved little.
n=$(objdump -d "$W/amx_forms.o" | grep -cE '	(ldtilecfg|sttilecfg|tile|tdp)')
if [ "$n" = 22 ]; then ok "amx_forms.o: objdump shows 22 AMX instructions"; else fail "amx_forms.o: expected 22 AMX instructions from objdump, got $n"; fi
finish
