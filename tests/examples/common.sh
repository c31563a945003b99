# SPDX-License-Identifier: MIT
# Sourced by the drivers here: the integration helpers (clean environment, $B, $SHIM, $T, run/fail/ok/skip),
# plus X, the directory of this module's helpers, and EMU, the AMX emulator.
. "$(dirname "$0")/../integration/common.sh"
X=$B/tests/examples
EMU=$B/libamxemu.so
