#!/bin/sh
# SPDX-License-Identifier: MIT
# The AMX opcode bytes (map 0F38 49 4A 4B 5C 5E 6C 6D) are classified only by the ISA table (isa/amx.h):
# no C source outside isa/ compares with them, switches on them or indexes a table by them. Byte data
# (arrays of encodings, .byte strings) is not classifying code and is allowed. Optional argument: the tree.
set -u
root=${1:-.}
B=${BUILD:-build}
ops='(49|4[aAbB]|5[cCeE]|6[cCdD])'
end='([^0-9a-fA-F]|$)'
# case 0x49, == 0x49, 0x49 !=, [0x49] = (a table indexed by opcode)
pat="case[[:space:]]+0[xX]$ops$end|[=!]=[[:space:]]*0[xX]$ops$end|0[xX]${ops}[[:space:]]*[=!]=|\[0[xX]${ops}\][[:space:]]*="
hits=$(find "$root" \( -path "$root/.git" -o -path "$root/build" -o -path "$root/$B" -o -path "$root/isa" \) \
	-prune -o \( -name '*.c' -o -name '*.h' \) -type f -exec grep -HnE "$pat" {} +)
files=$(find "$root" -path "$root/build" -prune -o \( -name '*.c' -o -name '*.h' \) -type f -print | wc -l)
[ "$files" -gt 20 ] || { echo "only $files C files under $root: wrong directory?"; exit 1; }
if [ -n "$hits" ]; then
	echo "AMX opcodes classified outside isa/amx.h (add a row to the table instead):"
	echo "$hits"
	exit 1
fi
echo "$files C files: AMX opcodes 0F38 49/4A/4B/5C/5E/6C/6D classified only in isa/"
