#!/bin/sh
# SPDX-License-Identifier: MIT
# amxscan --check-ifunc: a predicate that reads the stack protector's canary or calls printf through the
# PLT makes its resolver unsafe (a bare SIGSEGV before main in a static program); a predicate with
# AMXSHIM_RESOLVER_CONTEXT and the project's own libraries are ok; stripped copies give the same answers.
. "$(dirname "$0")/../lib.sh"
SCAN=$B/amxscan
RA=$B/libamxresolver.a
for f in "$SCAN" "$RA" "$B/libamxkernels.so" "$B/libamxshim.so" "$B/libamxemu.so"; do
	[ -e "$f" ] || { fail "$f is not built"; finish; }
done
need_tool strip

# One IFUNC f with a predicate: BAD_ARRAY (a local array, no AMXSHIM_RESOLVER_CONTEXT), BAD_PRINTF, or GOOD.
cat >"$T/pred.c" <<'EOF'
#include <amxshim/resolver.h>
#include <stdio.h>
int f(void);
static int f_fast(void) { return 2; }
static int f_c(void) { return 1; }
#if defined(BAD_ARRAY)
static int pred(void) { volatile char buf[32]; buf[0] = 1; return buf[0] == 2; }
#elif defined(BAD_PRINTF)
static volatile int n;
static int pred(void) { return printf("probing %d\n", n) < 0; }
#else
AMXSHIM_RESOLVER_CONTEXT static int pred(void) { return amxshim_isa_usable(AMXSHIM_ISA_AVX2); }
#endif
static const struct amxshim_variant f_variants[] = {
	AMXSHIM_VARIANT_OF(f, f_fast, 0, pred),
	AMXSHIM_VARIANT_OF(f, f_c, 0, 0),
};
AMXSHIM_IFUNC(f, f_variants)
#ifdef MAIN
int main(void) { printf("f: %d\n", f()); return 0; }
#endif
EOF
fx() { out=$1; shift; $CC -O2 -Iinclude "$@" "$T/pred.c" "$RA" -o "$T/$out" 2>"$T/cc.err" || { fail "cannot build $out: $(head -3 "$T/cc.err")"; finish; }; }
fx array.so -shared -fPIC -DBAD_ARRAY -fstack-protector-all
fx printf.so -shared -fPIC -DBAD_PRINTF
fx good.so -shared -fPIC -DGOOD -fstack-protector-all
static=
if can_link "$CC" -static; then
	fx array-static -static -DBAD_ARRAY -DMAIN -fstack-protector-all
	fx good-static -static -DGOOD -DMAIN -fstack-protector-all
	static=array-static
fi

# check FILE WANT PATTERN: the exit status (0 ok, 1 unsafe) and the line for resolver f.
check() {
	"$SCAN" --check-ifunc "$1" >"$T/out" 2>"$T/err"
	rc=$?
	line=$(grep -E "^$1: f: " "$T/out")
	if [ "$rc" = "$2" ] && printf '%s\n' "$line" | grep -Eq -- "$3"; then
		ok "$(basename "$1"): exit $rc, $(printf '%s' "$line" | cut -c1-140)"
	else
		fail "$(basename "$1"): exit $rc (want $2), want /$3/: $(cat "$T/out" "$T/err")"
	fi
}
CANARY='unsafe: stack protector canary read \(%fs:0x28\) at pred\+0x[0-9a-f]+ \(in a static program'
for d in "$T" "$T/s"; do
	if [ "$d" = "$T/s" ]; then # strip keeps .dynsym (f is exported) and the IRELATIVE relocations
		mkdir "$T/s" && for f in array.so printf.so good.so $static; do strip -o "$T/s/$f" "$T/$f" || exit 1; done
		CANARY='unsafe: stack protector canary read \(%fs:0x28\) at 0x[0-9a-f]+ '
	fi
	check "$d/array.so" 1 "$CANARY"
	check "$d/printf.so" 1 'unsafe: PLT call printf at [^ ]+ \(its GOT slot may not be relocated'
	check "$d/good.so" 0 ': f: ok'
	[ -z "$static" ] || [ "$d" = "$T/s" ] || check "$d/$static" 1 "$CANARY"
	# static: the weak __x86_get_cpuid_feature_leaf is a plain 0 in the GOT, tested, never called
	[ -z "$static" ] || [ "$d" = "$T/s" ] || check "$d/good-static" 0 ': f: ok \(note: weak reference, tested'

done
# A stripped static program has no symbol for f: its resolver is named after its address.
[ -z "$static" ] || { "$SCAN" --check-ifunc "$T/s/$static" | grep -Eq ': resolver@0x[0-9a-f]+: unsafe: stack protector canary read \(%fs:0x28\) at 0x' &&
	ok "stripped static: the resolver found by its IRELATIVE relocation" || fail "stripped static: $("$SCAN" --check-ifunc "$T/s/$static")"; }
[ -z "$static" ] || { "$T/$static" >/dev/null 2>&1; echo "note: the static program itself exits $? (139: the SIGSEGV before main)"; }

# The project's own resolvers: every one ok; __x86_get_cpuid_feature_leaf is the tested weak reference.
# Stripped, a local resolver (IRELATIVE) loses its name, not its answer.
for f in libamxkernels.so libamxshim.so libamxemu.so; do
	"$SCAN" --check-ifunc "$B/$f" >"$T/out" 2>&1
	rc=$? n=$(grep -c ': ok' "$T/out")
	[ $rc = 0 ] && [ "$n" -ge 1 ] && [ "$n" = "$(wc -l <"$T/out")" ] && ok "$f: $n resolvers ok" || fail "$f: exit $rc: $(cat "$T/out")"
	strip -o "$T/$f" "$B/$f" && "$SCAN" --check-ifunc "$T/$f" >"$T/out2" 2>&1
	[ "$(sed 's/^[^:]*: [^:]*: \([a-z]*\).*/\1/' "$T/out2")" = "$(sed 's/^[^:]*: [^:]*: \([a-z]*\).*/\1/' "$T/out")" ] &&
		ok "$f stripped: the same answers" || fail "$f stripped: $(cat "$T/out2") vs $(cat "$T/out")"
done
grep -q 'note: weak reference, tested for NULL: __x86_get_cpuid_feature_leaf' "$T/out" 2>/dev/null ||
	"$SCAN" --check-ifunc "$B/libamxshim.so" | grep -q 'note: weak reference, tested for NULL: __x86_get_cpuid_feature_leaf' &&
	ok "the tested weak reference is a note" || fail "no note for __x86_get_cpuid_feature_leaf"

# --json: one object per resolver; usage and unreadable files exit 2.
"$SCAN" --check-ifunc --json "$T/printf.so" | grep -q '"kind":"plt","unsafe":true,.*"name":"printf".*"safe":false}$' &&
	ok "--json names the PLT call" || fail "--json: $("$SCAN" --check-ifunc --json "$T/printf.so")"
"$SCAN" --check-ifunc "$T/pred.c" 2>/dev/null; rc=$?
[ $rc = 2 ] && ok "not an ELF file: exit 2" || fail "not an ELF file: exit $rc"
"$SCAN" --check-ifunc -r "$T" >/dev/null 2>&1; rc=$?
[ $rc = 2 ] && ok "--check-ifunc -r: usage error, exit 2" || fail "--check-ifunc -r: exit $rc"
finish
