#!/bin/sh
# SPDX-License-Identifier: MIT
# CPUIDs of our own, counted exactly (bench/stepcount single-steps the whole process; each CPUID is a VM exit
# in a VM). glibc's loader has read leaves 1, 7.0, 7.1 and 0xD.1 already: the shim on a machine without AMX
# executes none of its own, and at most one (the palette leaf) where AMX is usable; a library whose AVX2
# predicate asks amxshim_isa_usable() executes none where glibc's copy can be had (a dynamic program built by
# GNU ld or lld, -z now or lazy; a static or static-pie program that links glibc's function), and only the
# leaves glibc does not give where it cannot (a static program without the function).
. "$(dirname "$0")/../lib.sh"
SC=$B/bench/stepcount
need_built "$SC" "$B/bench/libempty.so" "$B/libamxresolver.a"
# cpuids CMD...: the CPUIDs one run of CMD executes
cpuids() { "$SC" "$@" 2>/dev/null | sed -n 's/.*cpuid=\([0-9]*\).*/\1/p' | tail -n 1; }

empty=$(cpuids -e LD_PRELOAD="$B/bench/libempty.so" /bin/true)
shim=$(cpuids -e LD_PRELOAD="$SHIM" /bin/true)
[ -n "$empty" ] && [ -n "$shim" ] || skip "stepcount cannot trace here"
if real_amx; then
	[ $((shim - empty)) -le 1 ] && ok "AMX machine: the shim's own CPUIDs: $((shim - empty)) (at most the palette leaf)" ||
		fail "AMX machine: the shim executes $((shim - empty)) CPUIDs of its own, want at most 1"
else
	[ "$shim" = "$empty" ] && ok "no AMX: the shim executes no CPUID of its own ($shim = $empty, glibc's)" ||
		fail "no AMX: the shim executes $((shim - empty)) CPUIDs of its own, want 0"
fi

cat >"$T/prog.c" <<'C'
#include <stdio.h>
#include <amxshim/resolver.h>
#ifdef USE_GLIBC_LEAVES
#include <sys/platform/x86.h>
#endif
void which(void);
static void which_avx2(void) { puts("avx2"); }
static void which_c(void) { puts("portable"); }
AMXSHIM_RESOLVER_CONTEXT static int have_avx2(void) { return amxshim_isa_usable(AMXSHIM_ISA_AVX2); }
static const struct amxshim_variant variants[] = {
	AMXSHIM_VARIANT_OF(which, which_avx2, 0, have_avx2),
	AMXSHIM_VARIANT_OF(which, which_c, 0, 0),
};
AMXSHIM_IFUNC(which, variants)
int main(void)
{
#ifndef NO_IFUNC
	which();
#endif
#ifdef USE_GLIBC_LEAVES
	printf("%d\n", CPU_FEATURE_PRESENT(AVX2)); /* links glibc's function into a static program */
#endif
	return 0;
}
C
# extra NAME LINKFLAGS...: CPUIDs of the program with the IFUNC minus the same program without it
extra() {
	_n=$1
	shift
	for v in with without; do
		d=
		[ $v = without ] && d=-DNO_IFUNC
		$CC -O2 -Iinclude $d "$@" -o "$T/$_n-$v" "$T/prog.c" "$B/libamxresolver.a" 2>"$T/cc.err" || return 1
	done
	echo $(($(cpuids "$T/$_n-with") - $(cpuids "$T/$_n-without")))
}
check() { # NAME WANT LINKFLAGS...
	_n=$1 _want=$2
	shift 2
	if ! got=$(extra "$_n" "$@"); then
		echo "note: $_n: cannot build ($(head -1 "$T/cc.err")), not counted"
		return
	fi
	[ "$got" = "$_want" ] && ok "$_n: $got CPUIDs of the resolver's own" || fail "$_n: $got CPUIDs of the resolver's own, want $_want"
}
check "dynamic (GNU ld)" 0 -DUSE_GLIBC_LEAVES
check "dynamic, -z now" 0 -Wl,-z,now
check "dynamic, -z lazy" 0 -Wl,-z,lazy
command -v ld.lld >/dev/null && check "dynamic (lld, -z now)" 0 -fuse-ld=lld -Wl,-z,now
check "static with glibc's function" 0 -static -DUSE_GLIBC_LEAVES
check "static-pie with glibc's function" 0 -static-pie -DUSE_GLIBC_LEAVES
# Without glibc's function a static program reads leaves 0, 1 and 7.0 itself, once each.
check "static without glibc's function" 3 -static
finish
