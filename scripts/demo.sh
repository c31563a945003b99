#!/bin/sh
# SPDX-License-Identifier: MIT
# The main job in one screen: an unmodified AMX program without the shim, then under it.
set -u
B=${BUILD:-build}
say() { printf '\n== %s\n' "$*"; }

say "amxinfo: what this machine and kernel say (no permission requested)"
"$B/amxinfo" | sed -n '/^Decision/,$p'

say "1. the unmodified program, alone"
"$B/demo/naive-amx"
echo "   -> exit status $? (132 = killed by SIGILL: the program never asked the kernel)"

say "2. the same binary under the shim: amxrun --debug $B/demo/naive-amx"
"$B/amxrun" --debug "$B/demo/naive-amx"
echo "   -> exit status $?"

say "3. with the opt-out: amxrun --debug --disable (the shim makes no arch_prctl call at all)"
"$B/amxrun" --debug --disable "$B/demo/naive-amx"
echo "   -> exit status $?"
exit 0
