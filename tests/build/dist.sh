#!/bin/sh
# SPDX-License-Identifier: MIT
# `make dist` writes amxshim-VERSION.tar.gz holding every committed file under amxshim-VERSION/, and the
# unpacked tarball builds on its own (`make all`, warnings as errors). Its full `make check` is not repeated
# here (it would double the test time): CI's Debian package is built from the same `git archive HEAD` tree
# and dh_auto_test runs `make check` there.
. "$(dirname "$0")/common.sh"
command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1 || skip "not a git checkout (make dist archives HEAD)"
make -s BUILD="$B" dist >"$T/make.log" 2>&1 || { cat "$T/make.log"; fail "make dist"; finish; }
tgz=$B/amxshim-$VERSION.tar.gz
[ -f "$tgz" ] || { fail "no $tgz"; finish; }
tar -tzf "$tgz" | grep -v '/$' | sed "s|^amxshim-$VERSION/||" | sort >"$T/in-tar"
git ls-files | sort >"$T/in-git"
cmp -s "$T/in-tar" "$T/in-git" && ok "$tgz: the $(wc -l <"$T/in-git") committed files" ||
	fail "tarball and git ls-files differ: $(diff "$T/in-git" "$T/in-tar" | head -n 5)"
tar -xzf "$tgz" -C "$T"
if (cd "$T/amxshim-$VERSION" && make -s -j2 WERROR=1 CC="$CC" BUILD=build all) >"$T/build.log" 2>&1; then
	ok "the unpacked tarball builds"
	[ -x "$T/amxshim-$VERSION/build/amxinfo" ] && [ -f "$T/amxshim-$VERSION/build/libamxshim.so.1" ] ||
		fail "the tarball's build lacks amxinfo or the shim"
else
	tail -n 20 "$T/build.log"; fail "the unpacked tarball does not build"
fi
finish
