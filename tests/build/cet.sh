#!/bin/sh
# SPDX-License-Identifier: MIT
# CET: every object of the build carries the IBT+SHSTK GNU property where the compiler has -fcf-protection.
# The linker ANDs the property, so one object without it strips CET from the whole output (and from every
# program our archive is linked into). Debian 12's crt files lack the notes, so the shipped libraries are
# checked as the linker sees our objects alone: `ld -r -z cet-report=error` of each link's inputs.
. "$(dirname "$0")/common.sh"
need_tool readelf ar
LD=$($CC -print-prog-name=ld)
echo 'void f(void); void f(void) {}' >"$T/f.c"
$CC -fcf-protection=full -Werror -S -o /dev/null "$T/f.c" 2>/dev/null || skip "$CC has no -fcf-protection"
has_cet() { readelf -n "$1" 2>/dev/null | grep -q 'x86 feature: IBT, SHSTK'; }

# The flag comes after the user's: a distribution's -fcf-protection=none cannot drop it.
make -n -B BUILD="$T/n" CC="$CC" CFLAGS='-O2 -fcf-protection=none' "$T/n/resolver/api.o" >"$T/n.log" 2>&1
case $(grep -e "-o $T/n/resolver/api.o" "$T/n.log") in
*-fcf-protection=none*-fcf-protection=full*) ok "-fcf-protection=full after the user's CFLAGS" ;;
*) cat "$T/n.log"; fail "-fcf-protection=full missing or before the user's CFLAGS" ;;
esac
# A compiler that refuses it next to a user flag (GCC: -mindirect-branch=thunk) still builds, without CET.
if $CC -mindirect-branch=thunk -S -o /dev/null "$T/f.c" 2>/dev/null &&
	! $CC -mindirect-branch=thunk -fcf-protection=full -S -o /dev/null "$T/f.c" 2>/dev/null; then
	make -n -B BUILD="$T/n" CC="$CC" CFLAGS='-O2 -mindirect-branch=thunk' "$T/n/resolver/api.o" >"$T/n.log" 2>&1
	if grep -e "-o $T/n/resolver/api.o" "$T/n.log" | grep -q -e '-fcf-protection'; then
		fail "-fcf-protection=full added next to -mindirect-branch=thunk, which $CC refuses"
	else
		ok "no -fcf-protection next to -mindirect-branch=thunk (which $CC refuses with it)"
	fi
fi

# A fresh build of our own with plain flags (the subject is the build, not whatever CFLAGS made $B; objects
# do not depend on the Makefile, so a kept tree could hold objects from before a flag change).
cb=$T/b
if ! make -s BUILD="$cb" CC="$CC" CFLAGS='-O2 -g' all >"$T/make.log" 2>&1; then
	cat "$T/make.log"
	fail "make all"
	finish
fi

# (1) Every object and every archive member.
mkdir "$T/ar"
for a in "$cb/libamxresolver.a" "$cb/libamxemu.a"; do
	mkdir "$T/ar/${a##*/}"
	(cd "$T/ar/${a##*/}" && ar x "$a") || fail "ar x $a"
done
n=0 bad=
for o in $(find "$cb" "$T/ar" -name '*.o' | sort); do
	n=$((n + 1))
	rel=${o#"$cb"/}
	has_cet "$o" || bad="$bad ${rel#"$T"/ar/}"
done
resolver_members=$(ar t "$cb/libamxresolver.a" | grep -c .)
if [ -n "$bad" ]; then
	fail "objects without the IBT+SHSTK property:$bad"
elif [ "$n" -lt 20 ] || [ "$resolver_members" -lt 1 ]; then
	fail "only $n objects ($resolver_members in libamxresolver.a): nothing tested"
else
	ok "all $n objects (the $resolver_members members of libamxresolver.a, libamxemu.a's) are IBT+SHSTK"
fi

# (2) Each link of `all` with its own inputs only (no crt files, no libc): the linker refuses any input
# without the property. The archives on their own too, every member.
make -n -B BUILD="$cb" CC="$CC" CFLAGS='-O2 -g' all >"$T/all.log" 2>&1
links=0
grep -E "^$CC " "$T/all.log" | grep -v -e ' -c ' >"$T/links"
while read -r line; do
	out='' ins='' prev=''
	for w in $line; do
		[ "$prev" = -o ] && out=$w
		case $w in *.o|*.a) [ "$prev" = -o ] || ins="$ins $w" ;; esac
		prev=$w
	done
	[ -n "$ins" ] || continue
	links=$((links + 1))
	# shellcheck disable=SC2086 # a list of files
	if "$LD" -r -z cet-report=error -o "$T/link.o" $ins >"$T/ld.err" 2>&1 && has_cet "$T/link.o"; then
		ok "${out#"$cb"/}: its objects alone link with -z cet-report=error, IBT+SHSTK"
	else
		head -n 5 "$T/ld.err"
		fail "${out#"$cb"/}: its objects alone fail -z cet-report=error"
	fi
done <"$T/links"
grep -q -e "-o $cb/libamxshim.so " "$T/links" && grep -q -e "-o $cb/libamxemu.so " "$T/links" ||
	fail "the shim's or emu's link line not found in make -n ($links links seen)"
for a in libamxresolver.a libamxemu.a; do
	if "$LD" -r -z cet-report=error -o "$T/whole.o" --whole-archive "$cb/$a" >"$T/ld.err" 2>&1 &&
		has_cet "$T/whole.o"; then
		ok "$a: all members link with -z cet-report=error, IBT+SHSTK"
	else
		head -n 5 "$T/ld.err"
		fail "$a: its members fail -z cet-report=error"
	fi
done

# The linked libraries have the property only where the C library's crt files have it too.
$CC -fcf-protection=full -fPIC -shared -o "$T/probe.so" "$T/f.c"
if has_cet "$T/probe.so"; then
	for l in libamxshim.so libamxemu.so; do
		has_cet "$cb/$l" && ok "$l is IBT+SHSTK" || fail "$l lost the IBT+SHSTK property"
	done
else
	echo "note: $CC's crt files carry no CET note (a -shared link of one marked object has none), so the" \
		"linked libraries cannot either; their objects were checked above"
fi
finish
