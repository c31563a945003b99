#!/bin/sh
# SPDX-License-Identifier: MIT
# The main job in one screen: an unmodified AMX program without the shim, then under it. Every claim below
# is read from what actually happened (exit statuses, amxinfo), so it stays true on a machine without AMX.
set -u
B=${BUILD:-build}
NAIVE=$B/demo/naive-amx
say() { printf '\n== %s\n' "$*"; }
# status N: what an exit status means.
status() {
	case $1 in
	0) echo "   -> exit status 0" ;;
	132) echo "   -> exit status 132: killed by SIGILL" ;;
	*) if [ "$1" -gt 128 ]; then echo "   -> exit status $1: killed by signal $(($1 - 128))"; else echo "   -> exit status $1"; fi ;;
	esac
}

say "amxinfo: what this machine and kernel say (no permission requested)"
"$B/amxinfo" | sed -n '/^Decision/,$p'
reason=$("$B/amxinfo" --json --request | sed -n 's/.*"reason":"\([a-z-]*\)".*/\1/p')

if [ "$reason" = ok ]; then
	say "1. the unmodified program, alone"
	"$NAIVE"
	rc=$?
	status $rc
	[ $rc = 132 ] && echo "   (CPUID and XCR0 said AMX, but the program never asked the kernel for permission)"

	say "2. the same binary under the shim: amxrun --debug $NAIVE"
	"$B/amxrun" --debug "$NAIVE"
	status $?

	say "3. with the opt-out: amxrun --debug --disable (the shim makes no arch_prctl call at all)"
	"$B/amxrun" --debug --disable "$NAIVE"
	status $?
	exit 0
fi

echo "   AMX cannot be made usable here ($reason), so this machine shows the story differently:"
say "1. the unmodified program, alone: it asks CPUID, which says no AMX"
"$NAIVE"
status $?

say "2. its tile path forced (naive-amx --force-tiles), as it runs on an AMX machine without permission"
"$NAIVE" --force-tiles
rc=$?
status $rc
[ $rc = 132 ] && echo "   (here because the CPU has no AMX; on an AMX machine because the program never asked the kernel)"

say "3. the same tile path under the AMX emulator: LD_PRELOAD=$B/libamxemu.so naive-amx --force-tiles"
LD_PRELOAD=$B/libamxemu.so "$NAIVE" --force-tiles
status $?

say "4. the unmodified program under the shim: amxrun --debug $NAIVE"
"$B/amxrun" --debug "$NAIVE"
status $?
echo "   (the shim reports why AMX is not usable; on an AMX machine it asks the kernel before main)"

say "5. with the opt-out: amxrun --debug --disable (the shim makes no arch_prctl call at all)"
"$B/amxrun" --debug --disable "$NAIVE"
status $?
exit 0
