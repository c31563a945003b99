#!/bin/sh
# SPDX-License-Identifier: MIT
# `make install` honours PREFIX and DESTDIR, installs every promised file, and what it installs works:
# the header and pkg-config file build an IFUNC library, and the installed amxrun finds the installed shim.
set -eu
fail() { echo "FAIL: $*"; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
make -s install PREFIX=/opt/amx DESTDIR="$root" >/dev/null
p=$root/opt/amx
for f in lib/libamxshim.so lib/libamxresolver.a include/amxshim/resolver.h lib/pkgconfig/amxresolver.pc \
	bin/amxinfo bin/amxrun share/man/man1/amxinfo.1 share/man/man1/amxrun.1 share/man/man7/amxshim.7; do
	[ -f "$p/$f" ] || fail "missing $f"
done
[ -x "$p/bin/amxrun" ] && [ -x "$p/bin/amxinfo" ] || fail "tools not executable"
grep -q '^prefix=/opt/amx$' "$p/lib/pkgconfig/amxresolver.pc" || fail "pkg-config prefix not PREFIX"

# Build a -z lazy IFUNC library from the installed files only, through pkg-config.
cat >"$root/lib.c" <<'SRC'
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
printf '#include <stdio.h>\nint pick(void);\nint main(void) { printf("%%d\\n", pick()); return 0; }\n' >"$root/main.c"
flags=$(PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_PATH="$p/lib/pkgconfig" pkg-config --cflags --libs --static amxresolver)
# shellcheck disable=SC2086 # flags is a list of words
cc -fPIC -shared -fno-stack-protector -Wl,-z,lazy -o "$root/libpick.so" "$root/lib.c" $flags || fail "pkg-config build"
cc -o "$root/main" "$root/main.c" -L"$root" -lpick -Wl,-rpath,"$root" || fail "link main"
nm -D --defined-only "$root/libpick.so" | grep -q amxshim && fail "resolver symbols leaked from the library"
[ "$(AMXSHIM_DISABLE=1 "$root/main")" = 0 ] || fail "AMXSHIM_DISABLE=1 did not bind the fallback"
expect=0
"$p/bin/amxinfo" --check --request && expect=1
[ "$("$root/main")" = "$expect" ] || fail "IFUNC chose $("$root/main"), amxinfo --request says $expect"

# The same library as C++ (the header's extern "C" and the resolver's assembler name).
sed 's/^int pick(void);/extern "C" int pick(void);/' "$root/lib.c" >"$root/lib.cc"
# shellcheck disable=SC2086 # flags is a list of words
c++ -Wall -Wextra -Werror -fPIC -shared -fno-stack-protector -o "$root/libpickxx.so" "$root/lib.cc" $flags ||
	fail "C++ build of an AMXSHIM_IFUNC library"
cc -o "$root/mainxx" "$root/main.c" -L"$root" -lpickxx -Wl,-rpath,"$root" || fail "link C++ library"
[ "$("$root/mainxx")" = "$expect" ] || fail "C++ IFUNC chose $("$root/mainxx"), expected $expect"

# The installed amxrun preloads the installed shim.
out=$("$p/bin/amxrun" sh -c 'echo "$LD_PRELOAD"')
[ "$out" = "$(readlink -f "$p/lib/libamxshim.so")" ] || fail "amxrun preloaded '$out'"
echo "install layout, pkg-config build and installed amxrun: ok (IFUNC bound variant $expect)"
