#!/bin/sh
# SPDX-License-Identifier: MIT
# README's library build line ("For library authors") carries every compiler flag <amxshim/resolver.h>
# tells its users to compile with, and builds the README's example as printed (pkg-config replaced by the
# build tree's header and archive).
# ok/fail always succeed, so "A && ok || fail" is an if-then-else here.
# shellcheck disable=SC2015
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
need_built "$B/libamxresolver.a"
line=$(sed -n '/^## For library authors/,/^## /p' README.md | sed -n 's/^    \(cc .*libzero16\.so.*\)$/\1/p')
[ -n "$line" ] || { fail "no cc line in README's 'For library authors'"; finish; }
echo "README: $line"
# "Compile the file ... with -fFLAG": every such flag of the header.
flags=$(tr '\n' ' ' <include/amxshim/resolver.h | grep -o 'ompile the file[^.]* with \(-f[a-z-]*\)' | sed 's/.* with //' | sort -u)
# Since AMXSHIM_RESOLVER_CONTEXT the header asks for none; a flag it names again must reach the README.
[ -n "$flags" ] || ok "the header asks for no compile flag of its own (it reads 'Compile the file ... with -f...')"
for f in $flags; do
	case " $line " in
	*" $f "*) ok "the build line has $f, which the header requires" ;;
	*) fail "the build line lacks $f, which the header requires" ;;
	esac
done
# shellcheck disable=SC2016 # sed addresses
sed -n '/^## For library authors/,$p' README.md | sed -n '/^```c$/,/^```$/p' | sed '1d;$d' >"$T/zero16.c"
cmd=$(printf '%s\n' "$line" | sed -e "s|\$(pkg-config --cflags --libs --static amxresolver)|-Iinclude $B/libamxresolver.a|" \
	-e "s|-o libzero16.so zero16.c|-o $T/libzero16.so $T/zero16.c|")
sh -c "$cmd" && [ -s "$T/libzero16.so" ] && ok "the line builds the example as printed" || fail "the line does not build: $cmd"
finish
