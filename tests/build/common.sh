# SPDX-License-Identifier: MIT
# shellcheck shell=sh disable=SC2034
# Shared by the build tests (and tests/install): the harness (tests/lib.sh), with B as make spells it
# (relative, so that `make -q` compares the same names). Unlike every other test, these run make
# themselves: the build is their subject. Each make is their own, never a job of the make running the tests.
. "$(dirname "$0")/../lib.sh"
unset MAKEFLAGS MFLAGS MAKELEVEL
B=$BUILD
VERSION=$(sed -n 's/^#define AMXSHIM_VERSION_STRING "\(.*\)"$/\1/p' include/amxshim/resolver.h)
