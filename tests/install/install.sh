#!/bin/sh
# SPDX-License-Identifier: MIT
# `make install` honours PREFIX, LIBDIR and DESTDIR (with a space in it), installs every promised file with
# the SONAME links, one version everywhere (header = pkg-config = --version of each tool = man pages); what
# it installs works (an IFUNC library built through pkg-config, the installed amxrun preloads the installed
# shim from LIBDIR); `make uninstall` leaves nothing behind. Unlike other tests this one runs make itself:
# the install is its subject. Facts about AMX are judged by amxtruth, never by the installed amxinfo.
. "$(dirname "$0")/../build/common.sh"
[ -f "$B/libamxshim.so" ] || skip "build first"
[ -n "$VERSION" ] || fail "no AMXSHIM_VERSION_STRING in the header"

# 1. A distribution's layout into a DESTDIR with a space in it.
d="$T/dest dir" pre=/opt/amx lib=/opt/amx/lib/x86_64-linux-gnu
lay() { make -s BUILD="$B" PREFIX=$pre LIBDIR=$lib DESTDIR="$d" "$@" >"$T/make.log" 2>&1 || { cat "$T/make.log"; false; }; }
lay install || { fail "make install DESTDIR='$d'"; finish; }
for f in $lib/libamxshim.so.1 $lib/libamxemu.so.1 $lib/libamxresolver.a $pre/include/amxshim/resolver.h \
	$lib/pkgconfig/amxresolver.pc $lib/cmake/amxresolver/amxresolverConfig.cmake \
	$lib/cmake/amxresolver/amxresolverConfigVersion.cmake $pre/bin/amxinfo $pre/bin/amxrun $pre/bin/amxscan \
	$pre/share/man/man1/amxinfo.1 $pre/share/man/man1/amxrun.1 $pre/share/man/man1/amxscan.1 \
	$pre/share/man/man7/amxshim.7 $pre/share/man/man3/amxshim_usable.3 $pre/share/man/man3/amxshim_state.3 \
	$pre/share/man/man3/amxshim_isa_usable.3 $pre/share/man/man3/AMXSHIM_IFUNC.3; do
	[ -f "$d$f" ] || fail "missing $f"
done
# The API's other names are links to the page that documents them (its NAME section lists them).
for l in amxshim_peek:amxshim_state amxshim_probe:amxshim_state amxshim_reason_name:amxshim_state \
	amxshim_cpuid_leaf:amxshim_isa_usable amxshim_xcr0:amxshim_isa_usable AMXSHIM_VARIANT_OF:AMXSHIM_IFUNC \
	AMXSHIM_VARIANT:AMXSHIM_IFUNC AMXSHIM_BOUND:AMXSHIM_IFUNC AMXSHIM_RESOLVER_CONTEXT:AMXSHIM_IFUNC; do
	m=$d$pre/share/man/man3/${l%%:*}.3
	[ "$(readlink "$m")" = "${l#*:}.3" ] && [ -f "$m" ] || fail "${l%%:*}.3 is not a link to ${l#*:}.3"
	sed -n '/^\.SH NAME/{n;p;}' "$m" | grep -q "\(^\|, \)${l%%:*}[, ]" || fail "${l%%:*} not in the NAME of ${l#*:}.3"
done
for l in shim emu; do
	[ "$(readlink "$d$lib/libamx$l.so")" = "libamx$l.so.1" ] || fail "libamx$l.so is not a link to libamx$l.so.1"
	readelf -d "$d$lib/libamx$l.so.1" | grep -q "SONAME.*\[libamx$l.so.1\]" || fail "libamx$l.so.1 SONAME"
done
[ -x "$d$pre/bin/amxrun" ] && [ -x "$d$pre/bin/amxinfo" ] && [ -x "$d$pre/bin/amxscan" ] || fail "tools not executable"
[ -e "$T/dest" ] && fail "DESTDIR split at its space"
pc() { PKG_CONFIG_SYSROOT_DIR="$d" PKG_CONFIG_PATH="$d$lib/pkgconfig" pkg-config "$@" amxresolver; }
[ "$(pc --modversion)" = "$VERSION" ] || fail "pkg-config --modversion '$(pc --modversion)', header $VERSION"
[ "$(pc --variable=libdir)" = "$d$lib" ] || fail "pkg-config libdir '$(pc --variable=libdir)', not LIBDIR"
for m in "$d$pre"/share/man/man*/*; do
	grep -q "^\.TH [A-Z_-]* [137] [0-9-]* \"amxshim $VERSION\"" "$m" || fail "$(basename "$m"): .TH without $VERSION"
done
ok "layout, SONAME links, pkg-config $(pc --modversion) and man pages under DESTDIR='$d'"
lay uninstall || fail "make uninstall"
left=$(cd "$d" && find . ! -type d)
[ -z "$left" ] || fail "uninstall left: $left"
[ -d "$d$pre/include/amxshim" ] || [ -d "$d$lib/cmake/amxresolver" ] && fail "uninstall left amxshim's directories"
ok "uninstall removed every file"

# 2. A real prefix (no DESTDIR): the installed tools run from it.
p=$T/prefix lib=$T/prefix/lib64-multiarch
inst() { make -s BUILD="$B" PREFIX="$p" LIBDIR="$lib" "$@" >"$T/make.log" 2>&1 || { cat "$T/make.log"; false; }; }
inst install || { fail "make install PREFIX=$p LIBDIR=$lib"; finish; }
pv=$(PKG_CONFIG_PATH="$lib/pkgconfig" pkg-config --modversion amxresolver)
for t in amxinfo amxscan amxrun; do
	v=$("$p/bin/$t" --version 2>&1 | head -n 1)
	case $v in
	*" $pv"|"$pv") ;;
	*) fail "$t --version says '$v', pkg-config says $pv" ;;
	esac
done
out=$("$p/bin/amxrun" sh -c 'echo "$LD_PRELOAD"')
[ "$out" = "$(readlink -f "$lib/libamxshim.so")" ] || fail "installed amxrun preloaded '$out', not LIBDIR's shim"
"$p/bin/amxrun" --debug true 2>"$T/debug"
grep -q '^amxshim\[[0-9]*\]: AMX' "$T/debug" || fail "the installed shim did not report: $(cat "$T/debug")"

# Build a -z lazy IFUNC library from the installed files only, through pkg-config.
cat >"$T/lib.c" <<'SRC'
#include <amxshim/resolver.h>
int pick(void);
static int pick_amx(void) { return 1; }
static int pick_c(void) { return 0; }
static const struct amxshim_variant pick_variants[] = {
	AMXSHIM_VARIANT(pick_amx, AMXSHIM_TILE, 0),
	AMXSHIM_VARIANT(pick_c, 0, 0),
};
AMXSHIM_IFUNC(pick, pick_variants)
SRC
printf '#include <stdio.h>\nint pick(void);\nint main(void) { printf("%%d\\n", pick()); return 0; }\n' >"$T/main.c"
flags=$(PKG_CONFIG_PATH="$lib/pkgconfig" pkg-config --cflags --libs --static amxresolver)
# shellcheck disable=SC2086 # flags is a list of words
$CC -fPIC -shared -Wl,-z,lazy -o "$T/libpick.so" "$T/lib.c" $flags || fail "pkg-config build"
$CC -o "$T/main" "$T/main.c" -L"$T" -lpick -Wl,-rpath,"$T" || fail "link main"
${NM:-nm} -D --defined-only "$T/libpick.so" | grep -q amxshim && fail "resolver symbols leaked from the library"
[ "$(AMXSHIM_DISABLE=1 "$T/main")" = 0 ] || fail "AMXSHIM_DISABLE=1 did not bind the fallback"
# The oracle: amxtruth (independent of the resolver) asks the kernel itself.
expect=0
[ "$("$H/amxtruth" reason)" = ok ] && expect=1
[ "$("$T/main")" = "$expect" ] || fail "IFUNC chose $("$T/main"), amxtruth reason says $expect"

# The same library as C++ (the header's extern "C" and the resolver's assembler name).
sed 's/^int pick(void);/extern "C" int pick(void);/' "$T/lib.c" >"$T/lib.cc"
# shellcheck disable=SC2086 # flags is a list of words
$CXX -Wall -Wextra -Werror -fPIC -shared -o "$T/libpickxx.so" "$T/lib.cc" $flags ||
	fail "C++ build of an AMXSHIM_IFUNC library"
$CC -o "$T/mainxx" "$T/main.c" -L"$T" -lpickxx -Wl,-rpath,"$T" || fail "link C++ library"
[ "$("$T/mainxx")" = "$expect" ] || fail "C++ IFUNC chose $("$T/mainxx"), expected $expect"
ok "installed tools (--version $pv), amxrun from LIBDIR, pkg-config IFUNC library (bound variant $expect)"
inst uninstall || fail "make uninstall"
left=$(cd "$p" && find . ! -type d)
[ -z "$left" ] || fail "uninstall left: $left"
finish
