#!/bin/sh
# SPDX-License-Identifier: MIT
# One release number everywhere: <amxshim/resolver.h>'s MAJOR.MINOR.PATCH is its VERSION_STRING and its
# VERSION_NUMBER (usable in #if), is at least the newest symbol-version node of amxshim.map (an API
# release ships the API it exports), and is the version of debian/changelog and of NEWS's newest entry.
# The files generated from it (amxresolver.pc, the CMake version file, the man pages' .TH) then satisfy
# a request for that newest API: pkg-config --atleast-version, find_package(amxresolver X.Y).
. "$(dirname "$0")/common.sh"
h=include/amxshim/resolver.h
part() { sed -n "s/^#define AMXSHIM_VERSION_$1 \\([0-9][0-9]*\\)\$/\\1/p" "$h"; }
major=$(part MAJOR) minor=$(part MINOR) patch=$(part PATCH)
[ -n "$major" ] && [ -n "$minor" ] && [ -n "$patch" ] || { fail "no AMXSHIM_VERSION_MAJOR/MINOR/PATCH in $h"; finish; }
v=$major.$minor.$patch
[ "$VERSION" = "$v" ] && ok "AMXSHIM_VERSION_STRING \"$VERSION\" is MAJOR.MINOR.PATCH" ||
	fail "AMXSHIM_VERSION_STRING \"$VERSION\", the parts say $v"

# The integer, as a compiler sees it, in #if and in an expression.
cat >"$T/n.c" <<'SRC'
#include <stdio.h>
#include <amxshim/resolver.h>
#if !defined(AMXSHIM_VERSION_NUMBER) || AMXSHIM_VERSION_NUMBER < 10000
#error "AMXSHIM_VERSION_NUMBER is missing or not usable in #if"
#endif
int main(void) { printf("%ld\n", (long)AMXSHIM_VERSION_NUMBER); return 0; }
SRC
want=$((major * 10000 + minor * 100 + patch))
if $CC -Wall -Wextra -Werror -Iinclude -o "$T/n" "$T/n.c" 2>"$T/n.err"; then
	[ "$("$T/n")" = "$want" ] && ok "AMXSHIM_VERSION_NUMBER $want" ||
		fail "AMXSHIM_VERSION_NUMBER $("$T/n"), MAJOR*10000+MINOR*100+PATCH = $want"
else
	fail "AMXSHIM_VERSION_NUMBER: $(head -n 3 "$T/n.err")"
fi

# The newest node of the exported ABI: AMXSHIM_X.Y.
node=$(sed -n 's/^AMXSHIM_\([0-9][0-9]*\.[0-9][0-9]*\) *{.*/\1/p' amxshim.map | sort -t. -k1,1n -k2,2n | tail -n 1)
[ -n "$node" ] || { fail "no AMXSHIM_X.Y node in amxshim.map"; finish; }
nmaj=${node%.*} nmin=${node#*.}
if [ "$major" -gt "$nmaj" ] || { [ "$major" -eq "$nmaj" ] && [ "$minor" -ge "$nmin" ]; }; then
	ok "header $v >= amxshim.map's newest node AMXSHIM_$node"
else
	fail "header says $v, but amxshim.map exports AMXSHIM_$node: the release is older than its API"
fi

# debian/changelog (dpkg-parsechangelog where installed, else its first line) and NEWS's newest entry.
if command -v dpkg-parsechangelog >/dev/null; then
	deb=$(dpkg-parsechangelog -l debian/changelog -S Version 2>"$T/deb.err") || fail "dpkg-parsechangelog: $(cat "$T/deb.err")"
else
	deb=$(sed -n '1s/^amxshim (\([^)]*\)) .*/\1/p' debian/changelog)
fi
[ "$deb" = "$v" ] && ok "debian/changelog is at $v" || fail "debian/changelog is at '$deb', the header at $v"
news=$(sed -n 's/^\([0-9][0-9.]*\) (.*)$/\1/p' NEWS | head -n 1)
[ "$news" = "$v" ] && ok "NEWS begins with $v" || fail "NEWS's newest entry is '$news', the header says $v"

# What the build generates from it (the install rules, into a private build directory).
g=$T/b
mkdir -p "$g"
if make -s BUILD="$g" "$g/amxresolver.pc" "$g/cmake/amxresolverConfigVersion.cmake" "$g/man/amxshim.7" \
	>"$T/make.log" 2>&1; then
	if command -v pkg-config >/dev/null; then
		pc() { PKG_CONFIG_PATH="$g" pkg-config "$@" amxresolver; }
		[ "$(pc --modversion)" = "$v" ] || fail "amxresolver.pc says $(pc --modversion), not $v"
		pc --atleast-version="$node" && ok "pkg-config --atleast-version=$node amxresolver" ||
			fail "pkg-config --atleast-version=$node amxresolver refused"
		pc --atleast-version="$major.$((minor + 1))" && fail "pkg-config accepts $major.$((minor + 1)) from $v"
	fi
	if command -v cmake >/dev/null; then
		cm() { # REQUESTED-VERSION: what find_package(amxresolver REQUESTED-VERSION) decides
			printf 'set(PACKAGE_FIND_VERSION %s)\nstring(REGEX MATCH "^[0-9]+" PACKAGE_FIND_VERSION_MAJOR %s)\ninclude(%s)\nmessage(STATUS "compatible=${PACKAGE_VERSION_COMPATIBLE}")\n' \
				"$1" "$1" "$g/cmake/amxresolverConfigVersion.cmake" >"$T/v.cmake"
			cmake -P "$T/v.cmake" 2>&1 | sed -n 's/.*compatible=//p'
		}
		[ "$(cm "$node")" = TRUE ] && ok "find_package(amxresolver $node) accepts $v" ||
			fail "find_package(amxresolver $node) refuses the CMake package ($(cm "$node"))"
		[ "$(cm "$major.$((minor + 1))")" = FALSE ] || fail "find_package(amxresolver $major.$((minor + 1))) accepts $v"
	fi
	grep -q "^\.TH AMXSHIM 7 [0-9-]* \"amxshim $v\"" "$g/man/amxshim.7" && ok "amxshim(7) .TH says $v" ||
		fail "amxshim(7): $(grep '^\.TH' "$g/man/amxshim.7")"
else
	fail "make the generated files: $(tail -n 5 "$T/make.log")"
fi
finish
