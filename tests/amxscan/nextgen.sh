#!/bin/sh
# SPDX-License-Identifier: MIT
# Next-generation AMX (AMX-FP8, AMX-AVX512, AMX-MOVRS, the APX EVEX forms) and the removed AMX-TRANSPOSE
# and AMX-TF32: amxscan on fixtures/amx_nextgen.s (raw bytes, every instruction in every form) finds
# exactly the instructions its comments name, per function, with set, encoding and "removed". With
# llvm-objdump-22 (the reference disassembler for these sets): the same sites and lengths as llvm-objdump
# on the live sets, and on the classic set with both objdump and llvm-objdump. The removed sets are
# checked against the LLVM/XED test bytes only: LLVM 22 no longer decodes AMX-TRANSPOSE.
set -u
B=${BUILD:-build}
T=tests/amxscan
W=$B/tests/amxscan/nextgen
CHECK=$B/tests/amxscan/lencheck
[ -x "$B/amxscan" ] && [ -x "$CHECK" ] || { echo "$B/amxscan or $CHECK is not built"; exit 1; }
mkdir -p "$W" || exit 1
status=0
as -o "$W/ng.o" $T/fixtures/amx_nextgen.s || exit 1
"$B/amxscan" --json "$W/ng.o" >"$W/ng.json"
"$B/amxscan" "$W/ng.o" >"$W/ng.txt"
python3 $T/nextgen_check.py $T/fixtures/amx_nextgen.s "$W/ng.json" "$W/ng.txt" || status=1

LLVM=${LLVM_OBJDUMP:-llvm-objdump-22}
if ! command -v "$LLVM" >/dev/null; then
	echo "SKIP the llvm-objdump comparisons: $LLVM missing (apt-get install llvm-22)"
	exit $status
fi
VS_OBJDUMP=$LLVM VS_SECTIONS=.text python3 $T/vs_objdump.py "$W/ng.o" "$W/ng.json" || status=1
# lengths and mnemonics, line by line (llvm prints <unknown> for what it does not know: none here)
"$LLVM" -d -j .text "$W/ng.o" |
	awk -F'\t' '/^ *[0-9a-f]+: / { sub(/^ *[0-9a-f]+: */, "", $1); t = $2; for (i = 3; i <= NF; i++) t = t " " $i
		    print $1 "\t" t }' >"$W/lines"
n=$(grep -c . "$W/lines")
grep -q '<unknown>' "$W/lines" && { echo "$LLVM: <unknown> in the live sets"; status=1; }
[ "$n" -ge 48 ] || { echo "$LLVM showed only $n lines of ng.o"; status=1; }
printf '%s ng.o: ' "$LLVM"
"$CHECK" <"$W/lines" || status=1
# the classic set: objdump and llvm-objdump agree with amxscan
gcc -O1 -c -mamx-tile -mamx-int8 -mamx-bf16 -o "$W/amx_all.o" $T/fixtures/amx_all.c || exit 1
"$B/amxscan" --json "$W/amx_all.o" >"$W/amx_all.json"
python3 $T/vs_objdump.py "$W/amx_all.o" "$W/amx_all.json" || status=1
VS_OBJDUMP=$LLVM python3 $T/vs_objdump.py "$W/amx_all.o" "$W/amx_all.json" || status=1
as -o "$W/amx_forms.o" $T/fixtures/amx_forms.s || exit 1
"$B/amxscan" --json "$W/amx_forms.o" >"$W/amx_forms.json"
VS_OBJDUMP=$LLVM python3 $T/vs_objdump.py "$W/amx_forms.o" "$W/amx_forms.json" || status=1
exit $status
