# SPDX-License-Identifier: MIT
# Shared by the build tests: each runs a make of its own (the build is what they test), never a job of the
# make that runs the tests.
set -u
unset MAKEFLAGS MFLAGS MAKELEVEL
B=${BUILD:-build}
CC=${CC:-cc}
fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
finish() { [ "$fails" -eq 0 ] || exit 1; exit 0; }
skip() { echo "SKIP: $*"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
VERSION=$(sed -n 's/^#define AMXSHIM_VERSION_STRING "\(.*\)"$/\1/p' include/amxshim/resolver.h)
