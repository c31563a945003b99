#!/bin/sh
# SPDX-License-Identifier: MIT
# The section-3 pages: every function and macro of the API has a page (its NAME lists it, directly or as
# an installed link, man/module.mk), and every page's EXAMPLES program, taken from the page with the roff
# escapes undone, compiles cleanly against the built library and prints what the page says: on this
# machine (amxtruth and /proc/cpuinfo are the oracles) and on recorded CPUs through the fake platform,
# the AMX variant executed by libamxemu. So the examples cannot rot.
. "$(dirname "$0")/common.sh"
LIB=$B/libamxresolver.a FAKE=$B/libamxresolver-fake.a EMU=$B/libamxemu.so
need_built "$LIB" "$FAKE" "$EMU" "$H/amxtruth"
F=$ROOT/tests/fixtures/cpuid
SPR=$F/sapphire-rapids.txt ZEN3=$F/zen3-epyc-milan.txt

# Names: every AMXSHIM_API function and public macro of the header, each in exactly one NAME section.
links=$(sed -n '/^INSTALL_MAN3_LINKS/,/^$/p' man/module.mk | tr ' \t\\' '\n\n\n' | grep ':')
names=$(sed -n 's/^AMXSHIM_API [^(]*[ *]\([a-z0-9_]*\)(.*/\1/p' include/amxshim/resolver.h)
for n in $names AMXSHIM_IFUNC AMXSHIM_VARIANT_OF AMXSHIM_VARIANT AMXSHIM_BOUND AMXSHIM_RESOLVER_CONTEXT; do
	pages=$(grep -l -A1 '^\.SH NAME' man/*.3 | while read -r p; do
		sed -n '/^\.SH NAME/{n;p;}' "$p" | tr ',' '\n' | sed 's/ *\\-.*//; s/^ *//' | grep -qx "$n" && echo "$p"
	done)
	case $(echo "$pages" | grep -c .) in
	1) ;;
	*) fail "$n is in the NAME section of $(echo "$pages" | grep -c .) pages: $pages"; continue ;;
	esac
	page=$(basename "$pages")
	[ "$page" = "$n.3" ] || echo "$links" | grep -qx "$n.3:$page" || fail "$n: documented in $page, but no $n.3 link to it in man/module.mk"
done
for l in $links; do
	[ -f "man/${l#*:}" ] || fail "man/module.mk links ${l%%:*} to ${l#*:}, which is not a page"
done
ok "the API's $(echo $names | wc -w) functions and 5 macros each have one page or link"

# example PAGE: the EXAMPLES program, as a reader sees it. Only \e \- \(aq \(dq may appear in it.
example() {
	sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$1" | sed -n '/^\.EX$/,/^\.EE$/p' >"$T/ex.roff"
	[ "$(grep -c '^\.EX$' "$T/ex.roff")" = 1 ] || return 1
	sed 's/\\e\|\\-\|\\(aq\|\\(dq//g' "$T/ex.roff" | grep -q '\\' && return 1
	sed -e '1d;$d' -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\e/\\/g' "$T/ex.roff"
}
build() { # NAME: $T/NAME (the real library) and $T/NAME-fake (the fake platform) from $T/NAME.c
	for v in "" -fake; do
		lib=$LIB
		[ "$v" ] && lib=$FAKE
		$CC -std=gnu11 -O2 -Wall -Wextra -Wpedantic -Wshadow -Werror -Iinclude -o "$T/$1$v" "$T/$1.c" "$lib" \
			2>"$T/$1.err" || { fail "$1.3's example does not compile$v: $(head -n 5 "$T/$1.err")"; return 1; }
	done
}
expect() { # LABEL EXIT-STATUS PATTERN COMMAND...: COMMAND exits so and prints a line matching PATTERN
	_l=$1 _s=$2 _p=$3
	shift 3
	"$@" >"$T/out" 2>&1
	_r=$?
	if [ "$_r" = "$_s" ] && grep -q -- "$_p" "$T/out"; then
		ok "$_l: $(grep -m1 -- "$_p" "$T/out")"
	else
		fail "$_l: exit $_r (want $_s), want /$_p/ in: $(cat "$T/out")"
	fi
}
fake() { # FIXTURE COMMAND...: COMMAND on that recorded CPU (the -fake programs)
	_c=$1
	shift
	env AMXSHIM_FAKE_CPU="$_c" "$@"
}

for p in man/*.3; do
	n=$(basename "$p" .3)
	example "$p" >"$T/$n.c" && [ -s "$T/$n.c" ] || { fail "$p: no single .EX program in EXAMPLES, or an escape a reader would not see"; continue; }
	build "$n" || continue
	case $n in
	amxshim_usable)
		if [ "$("$H/amxtruth" reason)" = ok ] && grep -qw amx_bf16 /proc/cpuinfo; then
			expect "usable(3) here (amxtruth: ok)" 0 '^AMX-BF16 usable$' "$T/$n"
		else
			expect "usable(3) here (amxtruth: $("$H/amxtruth" reason))" 1 '^AMX-BF16 not usable: [a-z-]*: ' "$T/$n"
		fi
		expect "usable(3) Sapphire Rapids" 0 '^AMX-BF16 usable$' fake "$SPR" "$T/$n-fake"
		expect "usable(3) Zen 3" 1 '^AMX-BF16 not usable: cpu: ' fake "$ZEN3" "$T/$n-fake"
		expect "usable(3) AMXSHIM_DISABLE=1" 1 '^AMX-BF16 not usable: disabled: ' \
			fake "$SPR" AMXSHIM_DISABLE=1 "$T/$n-fake"
		expect "usable(3) seccomp EPERM" 1 '^AMX-BF16 not usable: denied: ' \
			fake "$SPR" AMXSHIM_FAKE_KERNEL=eperm "$T/$n-fake"
		;;
	amxshim_state)
		expect "state(3) here" 0 '^probe: [a-z-]*, CPU features 0x' "$T/$n"
		expect "state(3) Sapphire Rapids, peek" 0 '^peek:  not-requested: ' fake "$SPR" "$T/$n-fake"
		expect "state(3) Sapphire Rapids, state" 0 '^state: ok: ' fake "$SPR" "$T/$n-fake"
		expect "state(3) Sapphire Rapids, probe" 0 '^probe: cpu, CPU features 0x7, XCR0 0x602e7$' \
			fake "$SPR" "$T/$n-fake"
		expect "state(3) seccomp EPERM" 0 '^       errno 1$' fake "$SPR" AMXSHIM_FAKE_KERNEL=eperm "$T/$n-fake"
		expect "state(3) AMXSHIM_DISABLE=1" 0 '^state: disabled: ' fake "$SPR" AMXSHIM_DISABLE=1 "$T/$n-fake"
		[ "$(grep -c disabled "$T/out")" = 3 ] || fail "state(3) AMXSHIM_DISABLE=1: not every line says disabled: $(cat "$T/out")"
		expect "state(3) Zen 3" 0 '^state: cpu: ' fake "$ZEN3" "$T/$n-fake"
		;;
	amxshim_isa_usable)
		a=no
		grep -qw avx2 /proc/cpuinfo && a=yes
		expect "isa_usable(3) here (/proc/cpuinfo: avx2 $a)" 0 "^avx2: $a\$" "$T/$n"
		expect "isa_usable(3) Sapphire Rapids" 0 '^avx512-bf16: yes$' fake "$SPR" "$T/$n-fake"
		expect "isa_usable(3) Sapphire Rapids, leaf 7.0" 0 '^cpuid 7.0: ebx 0xf3bfbffb, AVX2 bit 1$' \
			fake "$SPR" "$T/$n-fake"
		expect "isa_usable(3) Sapphire Rapids, AMXSHIM_DISABLE=1 (ignored)" 0 '^avx512: yes$' \
			fake "$SPR" AMXSHIM_DISABLE=1 "$T/$n-fake"
		expect "isa_usable(3) XCR0 without AVX state" 0 '^avx2: no$' fake "$SPR" AMXSHIM_FAKE_XCR0=0x60003 "$T/$n-fake"
		expect "isa_usable(3) Zen 3" 0 '^avx512: no$' fake "$ZEN3" "$T/$n-fake"
		;;
	AMXSHIM_IFUNC)
		w=zero_c
		grep -qw avx2 /proc/cpuinfo && w=zero_avx2
		[ "$("$H/amxtruth" reason)" = ok ] && w=zero_amx
		expect "IFUNC(3) here" 0 "^bound: $w\$" "$T/$n"
		# No AVX state in XCR0: AMX (executed by libamxemu where the CPU has none), else the C variant.
		expect "IFUNC(3) Sapphire Rapids, AMX under libamxemu" 0 '^usable: zero_amx zero_c$' \
			fake "$SPR" AMXSHIM_FAKE_XCR0=0x60003 LD_PRELOAD="$EMU" "$T/$n-fake"
		grep -q '^bound: zero_amx$' "$T/out" || fail "IFUNC(3) Sapphire Rapids: $(cat "$T/out")"
		expect "IFUNC(3) AMXSHIM_DISABLE=1" 0 '^bound: zero_c$' \
			fake "$SPR" AMXSHIM_FAKE_XCR0=0x60003 AMXSHIM_DISABLE=1 "$T/$n-fake"
		if grep -qw avx2 /proc/cpuinfo; then
			expect "IFUNC(3) Zen 3" 0 '^bound: zero_avx2$' fake "$ZEN3" "$T/$n-fake"
			grep -q '^usable: zero_avx2 zero_c$' "$T/out" || fail "IFUNC(3) Zen 3: $(cat "$T/out")"
		fi
		;;
	*) fail "$p: an example this test does not know what to expect from (add its case)" ;;
	esac
done
finish
