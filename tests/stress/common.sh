# SPDX-License-Identifier: MIT
# shellcheck shell=sh disable=SC2034
# Sourced by the stress drivers: the harness (tests/lib.sh: ROOT, B, SHIM, H, T, run/same/ok/fail/skip/
# finish, real_amx; AMXSHIM_*/LD_* cleared), plus S, the directory of this module's helpers.
. "$(dirname "$0")/../lib.sh"
S=$B/tests/stress
FIXTURES=$ROOT/tests/fixtures/cpuid
# field NAME LINE: the value of NAME=... in a "k=v k=v" line
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
