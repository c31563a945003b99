#!/bin/sh
# SPDX-License-Identifier: MIT
# The main job in one screen: an unmodified AMX program without the shim, then under it. Every claim below
# is read from what actually happened (exit statuses, amxinfo), so it stays true on a machine without AMX.
set -u
B=${BUILD:-build}
NAIVE=$B/demo/naive-amx
say() { printf '\n== %s\n' "$*"; }
# step TITLE: the next numbered section (the numbers run on whichever story this machine tells)
n=0
step() { n=$((n + 1)); say "$n. $*"; }
# The caller's next section (make demo's library part), numbered after ours.
next_section() { [ -z "${DEMO_NEXT:-}" ] || step "$DEMO_NEXT"; }
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
	step "the unmodified program, alone"
	"$NAIVE"
	rc=$?
	status $rc
	[ $rc = 132 ] && echo "   (CPUID and XCR0 said AMX, but the program never asked the kernel for permission)"

	step "the same binary under the shim: amxrun --debug $NAIVE"
	"$B/amxrun" --debug "$NAIVE"
	status $?

	step "with the opt-out: amxrun --debug --disable (the shim makes no arch_prctl call at all)"
	"$B/amxrun" --debug --disable "$NAIVE"
	status $?
	next_section
	exit 0
fi

echo "   AMX cannot be made usable here ($reason), so this machine shows the story differently:"
step "the unmodified program, alone: it asks CPUID, which says no AMX"
"$NAIVE"
status $?

step "its tile path forced (naive-amx --force-tiles), as it runs on an AMX machine without permission"
"$NAIVE" --force-tiles
rc=$?
status $rc
[ $rc = 132 ] && echo "   (here because the CPU has no AMX; on an AMX machine because the program never asked the kernel)"

step "the same tile path under the AMX emulator: LD_PRELOAD=$B/libamxemu.so naive-amx --force-tiles"
LD_PRELOAD=$B/libamxemu.so "$NAIVE" --force-tiles
status $?

step "the unmodified program under the shim: amxrun --debug $NAIVE"
"$B/amxrun" --debug "$NAIVE"
status $?
echo "   (the shim reports why AMX is not usable; on an AMX machine it asks the kernel before main)"

step "with the opt-out: amxrun --debug --disable (the shim makes no arch_prctl call at all)"
"$B/amxrun" --debug --disable "$NAIVE"
status $?
next_section
exit 0
