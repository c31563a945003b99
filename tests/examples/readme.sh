#!/bin/sh
# SPDX-License-Identifier: MIT
# The example in README.md ("For library authors") builds as printed, against build/libamxresolver.a
# with -Iinclude in place of pkg-config, linked -z lazy, warning-free; and a program calling it gets a zeroed
# block, natively (the AMX variant where AMX is usable) and with AMXSHIM_DISABLE=1 (the portable one), and
# AMXSHIM_BOUND names the variant that ran.
. "$(dirname "$0")/common.sh"
need_built "$B/libamxresolver.a"
need_tool "${CC:-cc}"
md=$ROOT/README.md
grep -q 'pkg-config --cflags --libs --static amxresolver' "$md" || fail "README lost the pkg-config line"
# The first ```c block after the section heading.
sed -n '/^## For library authors/,$p' "$md" | sed -n '/^```c$/,/^```$/p' | sed '1d;$d' >"$T/zero16.c"
[ -s "$T/zero16.c" ] || { fail "no C example found in $md"; finish; }
lines=$(wc -l <"$T/zero16.c")
echo "example: $lines lines"
if ! ${CC:-cc} -O2 -fPIC -shared -Wall -Wextra -Werror -Wl,--no-undefined -Wl,-z,lazy -Iinclude \
	-o "$T/libzero16.so" "$T/zero16.c" "$B/libamxresolver.a"; then
	fail "the README example does not build"
	finish
fi
ok "the README example builds"
${CC:-cc} -O2 -o "$T/main" tests/examples/zero16-main.c -L"$T" -lzero16 -Wl,-rpath,"$T" || { fail "driver does not build"; finish; }
for dis in unset 1; do
	if [ $dis = 1 ]; then run r$dis env AMXSHIM_DISABLE=1 "$T/main"; else run r$dis "$T/main"; fi
	want="zeroed by zero_[ac][mx]*"
	[ $dis = 1 ] && want="zeroed by zero_c"
	if [ "$(cat "$T/r$dis.rc")" = 0 ] && grep -qx "$want" "$T/r$dis.out"; then
		ok "zero16x16 with AMXSHIM_DISABLE=$dis: $(cat "$T/r$dis.out")"
	else
		fail "zero16x16 with AMXSHIM_DISABLE=$dis: exit $(cat "$T/r$dis.rc"): $(cat "$T/r$dis.out" "$T/r$dis.err")"
	fi
done
finish
