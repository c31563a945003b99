#!/bin/sh
# SPDX-License-Identifier: MIT
# The resolver's private header stays private: outside resolver/, shim/ and the tests (tests/, and testkit/,
# which ships the fake platform), no source includes resolver/internal.h; the project's other programs use
# resolver/tool.h, the interface declared for them (docs/ARCHITECTURE.md, rule 7). Reads the sources only.
# Optional argument: the tree to check.
. "$(dirname "$0")/../lib.sh"
tree=${1:-$ROOT}
files=$(find "$tree" \( -path "$tree/.git" -o -path "$tree/build" -o -path "$tree/debian/tmp" \) -prune -o \
	\( -name '*.c' -o -name '*.h' \) -type f -print | sed "s|^$tree/||" | grep -v -e '^resolver/' -e '^shim/' \
	-e '^tests/' -e '^testkit/')
n=$(printf '%s\n' "$files" | grep -c .)
if [ "$n" -lt 20 ]; then
	fail "only $n C files outside resolver/, shim/ and the tests under $tree: wrong directory?"
	finish
fi
hits=$(cd "$tree" && printf '%s\n' "$files" | xargs grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^">]*/)?resolver/internal\.h[">]')
if [ -n "$hits" ]; then
	fail "resolver/internal.h included outside resolver/, shim/ and the tests (use resolver/tool.h):"
	echo "$hits"
else
	ok "$n C files outside resolver/, shim/ and the tests: none includes resolver/internal.h"
fi
# The tools' header is the way in: the programs that need more than <amxshim/resolver.h> include it.
for f in tools/amxinfo.c tools/amxrun-exec.c emu/ctor.c; do
	if grep -q '#include "\.\./resolver/tool\.h"' "$tree/$f"; then ok "$f uses resolver/tool.h"; else fail "$f does not include resolver/tool.h"; fi
done
# Names that do not collide: in the public header, amxshim_state is both a struct tag and a function (ABI
# since 1.0, hence its one -Wshadow pragma); no other name may be both.
h=$tree/include/amxshim/resolver.h
tags=$(sed -n 's/^struct \(amxshim_[a-z0-9_]*\) {.*/\1/p' "$h" | sort -u)
funcs=$(sed -n 's/^AMXSHIM_API [^(]*[ *]\(amxshim_[a-z0-9_]*\)(.*/\1/p' "$h" | sort -u)
both=$(printf '%s\n' "$tags" "$funcs" | sort | uniq -d | tr '\n' ' ')
pragmas=$(grep -c 'pragma GCC diagnostic ignored' "$h")
if [ -z "$tags" ] || [ -z "$funcs" ]; then
	fail "no struct tags or no functions found in $h"
elif [ "$both" = "amxshim_state " ] && [ "$pragmas" = 1 ]; then
	ok "public header: amxshim_state is the one name both a tag and a function, the one diagnostic pragma"
else
	fail "public header: names both a tag and a function: '$both' (want only amxshim_state); $pragmas pragma(s)"
fi
finish
