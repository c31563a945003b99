#!/bin/sh
# SPDX-License-Identifier: MIT
# Next-generation AMX (AMX-FP8, AMX-AVX512, AMX-MOVRS, the APX EVEX forms) and the removed AMX-TRANSPOSE
# and AMX-TF32: amxscan on fixtures/amx_nextgen.s (raw bytes, every instruction in every form) finds
# exactly the instructions its comments name, per function, with set, encoding and "removed". With
# llvm-objdump-22 (the reference disassembler for these sets): the same sites and lengths as llvm-objdump
# on the live sets, and on the classic set with both objdump and llvm-objdump. The removed sets are
# checked against the LLVM/XED test bytes only: LLVM 22 no longer decodes AMX-TRANSPOSE.
. "$(dirname "$0")/../lib.sh"
# The fixtures are GNU-toolchain inputs (AT&T AMX mnemonics GNU as knows, -Wa,-mx86-used-note, GNU as
# relocation choices in .o files), their expected results read from GNU objdump: built with gcc whatever
# CC is, since amxscan, not the compiler, is under test here.
FCC=${AMXSCAN_FIXTURE_CC:-gcc}
TD=tests/amxscan
W=$T
CHECK=$B/tests/amxscan/lencheck
[ -x "$B/amxscan" ] && [ -x "$CHECK" ] || { fail "$B/amxscan or $CHECK is not built"; finish; }
# check WHAT CMD...: CMD checks for itself (prints why when it fails)
check() { _w=$1; shift; if "$@"; then ok "$_w"; else fail "$_w"; fi; }
as -o "$W/ng.o" $TD/fixtures/amx_nextgen.s || { fail "as amx_nextgen.s"; finish; }
"$B/amxscan" --json "$W/ng.o" >"$W/ng.json"
"$B/amxscan" "$W/ng.o" >"$W/ng.txt"
check "ng.o: the instructions the fixture's comments name" \
	python3 $TD/nextgen_check.py $TD/fixtures/amx_nextgen.s "$W/ng.json" "$W/ng.txt"

LLVM=${LLVM_OBJDUMP:-llvm-objdump-22}
if ! command -v "$LLVM" >/dev/null; then
	echo "SKIP the llvm-objdump comparisons: $LLVM missing (apt-get install llvm-22)"
	finish
fi
check "ng.o: the sites of $LLVM" env VS_OBJDUMP="$LLVM" VS_SECTIONS=.text python3 $TD/vs_objdump.py "$W/ng.o" "$W/ng.json"
# lengths and mnemonics, line by line (llvm prints <unknown> for what it does not know: none here)
"$LLVM" -d -j .text "$W/ng.o" |
	awk -F'\t' '/^ *[0-9a-f]+: / { sub(/^ *[0-9a-f]+: */, "", $1); t = $2; for (i = 3; i <= NF; i++) t = t " " $i
		    print $1 "\t" t }' >"$W/lines"
n=$(grep -c . "$W/lines")
if grep -q '<unknown>' "$W/lines"; then fail "$LLVM: <unknown> in the live sets"; else ok "$LLVM knows every live instruction"; fi
if [ "$n" -ge 48 ]; then ok "$LLVM showed $n lines of ng.o"; else fail "$LLVM showed only $n lines of ng.o"; fi
check "$LLVM ng.o: lengths" "$CHECK" <"$W/lines"
# the classic set: objdump and llvm-objdump agree with amxscan
"$FCC" -O1 -c -mamx-tile -mamx-int8 -mamx-bf16 -o "$W/amx_all.o" $TD/fixtures/amx_all.c || { fail "cannot build amx_all.o"; finish; }
"$B/amxscan" --json "$W/amx_all.o" >"$W/amx_all.json"
check "amx_all.o: as objdump" python3 $TD/vs_objdump.py "$W/amx_all.o" "$W/amx_all.json"
check "amx_all.o: as $LLVM" env VS_OBJDUMP="$LLVM" python3 $TD/vs_objdump.py "$W/amx_all.o" "$W/amx_all.json"
as -o "$W/amx_forms.o" $TD/fixtures/amx_forms.s || { fail "as amx_forms.s"; finish; }
"$B/amxscan" --json "$W/amx_forms.o" >"$W/amx_forms.json"
check "amx_forms.o: as $LLVM" env VS_OBJDUMP="$LLVM" python3 $TD/vs_objdump.py "$W/amx_forms.o" "$W/amx_forms.json"
finish
