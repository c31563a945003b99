# SPDX-License-Identifier: MIT
# shellcheck shell=sh disable=SC2034
# Sourced by the drivers here: the harness (tests/lib.sh: clean environment, $B, $SHIM, $T, ok/fail/skip/
# finish), plus X, the directory of this module's helpers, and EMU, the AMX emulator.
. "$(dirname "$0")/../lib.sh"
X=$B/tests/examples
EMU=$B/libamxemu.so
