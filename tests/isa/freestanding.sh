#!/bin/sh
# SPDX-License-Identifier: MIT
# isa/amx.h is usable inside an IFUNC resolver: an object that takes the feature table, palette-1 geometry
# and XSAVE numbers from it, compiled with the resolver's flags, refers to no symbol outside itself.
set -u
B=${BUILD:-build}
o=$B/tests/isa/freestanding.o
[ -f "$o" ] || { echo "$o is not built"; exit 1; }
nm "$o" | grep -q ' T isa_fs_flags$' || { echo "$o: isa_fs_flags missing"; exit 1; }
undef=$(nm -u "$o")
[ -z "$undef" ] || { echo "$o refers to outside symbols:"; echo "$undef"; exit 1; }
echo "$o: no outside symbols"
