#!/bin/sh
# SPDX-License-Identifier: MIT
# The distribution's hardening flags (dpkg-buildflags, hardening=+all) cannot break the resolver: the
# library built with them has no stack protector in resolver code, and static AMXSHIM_IFUNC programs (one
# built with the same flags, one with -fstack-protector-all) run their resolver from the IRELATIVE pass.
. "$(dirname "$0")/common.sh"
command -v dpkg-buildflags >/dev/null || skip "no dpkg-buildflags"
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
cf=$(dpkg-buildflags --get CFLAGS) cpp=$(dpkg-buildflags --get CPPFLAGS) ld=$(dpkg-buildflags --get LDFLAGS)
echo "CFLAGS=$cf CPPFLAGS=$cpp LDFLAGS=$ld"
case $cf in *-fstack-protector*) ;; *) fail "dpkg-buildflags gave no stack protector: nothing tested" ;; esac
hb=$B/tests/build/hardened
# The fake archive's rule also refuses a fake platform that calls libc (__stack_chk_fail included).
if ! make -s BUILD="$hb" CC="$CC" CFLAGS="$cf" CPPFLAGS="$cpp" LDFLAGS="$ld" "$hb/libamxresolver.a" \
	"$hb/libamxresolver-fake.a" >"$T/make.log" 2>&1; then
	cat "$T/make.log"
	fail "the resolver does not build with the hardening flags"
	finish
fi
ok "libamxresolver.a and the fake archive build with the hardening flags"
if ${NM:-nm} -u "$hb/libamxresolver.a" | grep -E '__stack_chk_fail|_chk$|__asan|__tsan'; then
	fail "resolver code calls the stack protector or fortify/sanitizer runtime"
else
	ok "no stack protector or fortify call in libamxresolver.a"
fi
cat >"$T/ifs.c" <<'C'
#include <stdio.h>
#include <amxshim/resolver.h>
void which(void);
static void which_amx(void) { puts("amx"); }
static void which_c(void) { puts("portable"); }
static const struct amxshim_variant variants[] = {
	AMXSHIM_VARIANT(which_amx, AMXSHIM_TILE, 0),
	AMXSHIM_VARIANT(which_c, 0, 0),
};
AMXSHIM_IFUNC(which, variants)
int main(void) { which(); return 0; }
C
# The program as a packager builds it, and as a consumer who asks for canaries everywhere.
for v in dist protector-all; do
	extra=
	[ $v = protector-all ] && extra=-fstack-protector-all
	# shellcheck disable=SC2086 # flag lists
	if ! $CC $cf $extra $cpp -Iinclude -static -o "$T/ifs-$v" "$T/ifs.c" "$hb/libamxresolver.a" $ld; then
		fail "static IFUNC program ($v) does not link"
		continue
	fi
	out=$("$T/ifs-$v" 2>&1); rc=$?
	dis=$(AMXSHIM_DISABLE=1 "$T/ifs-$v" 2>&1)
	if [ $rc -ne 0 ]; then
		fail "static IFUNC program ($v) crashed: exit $rc, '$out'"
	elif [ "$out" != amx ] && [ "$out" != portable ]; then
		fail "static IFUNC program ($v) printed '$out'"
	elif [ "$dis" != portable ]; then
		fail "static IFUNC program ($v) with AMXSHIM_DISABLE=1 printed '$dis'"
	else
		ok "static IFUNC program ($v) runs: bound '$out', with AMXSHIM_DISABLE=1 '$dis'"
	fi
done
finish
