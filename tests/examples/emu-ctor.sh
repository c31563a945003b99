#!/bin/sh
# SPDX-License-Identifier: MIT
# LD_PRELOAD=libamxemu.so emulates AMX code that a library's constructor runs, although that constructor
# runs before the emulator's own: the handler is installed while ld.so relocates libamxemu.so. Without
# the emulator (or with AMXEMU_DISABLE=1) the same program dies of SIGILL here, which shows the library
# really executes AMX instructions in its constructor. Also under LD_BIND_NOW=1 and with the shim.
. "$(dirname "$0")/common.sh"
need_built "$X/ctorprog" "$EMU"
run plain "$X/ctorprog"
if [ "$(cat "$T/plain.rc")" = 0 ]; then
	echo "note: this process may execute AMX natively; the emulator cases below still must pass"
elif [ "$(cat "$T/plain.rc")" = 132 ]; then
	ok "without the emulator the constructor's tile operation raises SIGILL"
else
	fail "without the emulator: exit $(cat "$T/plain.rc") (want 132, SIGILL): $(cat "$T/plain.err")"
fi
for extra in - LD_BIND_NOW=1 AMXEMU_DISABLE=0; do
	set -- LD_PRELOAD="$EMU"
	[ "$extra" = - ] || set -- "$@" "$extra"
	run emu env "$@" "$X/ctorprog"
	if [ "$(cat "$T/emu.rc")" = 0 ] && grep -qx 'constructor tile operation: 1' "$T/emu.out"; then
		ok "under libamxemu.so ($extra): $(cat "$T/emu.out")"
	else
		fail "under libamxemu.so ($extra): exit $(cat "$T/emu.rc"): $(cat "$T/emu.out" "$T/emu.err")"
	fi
done
run shimemu env AMXSHIM_DISABLE=1 LD_PRELOAD="$SHIM $EMU" "$X/ctorprog"
if [ "$(cat "$T/shimemu.rc")" = 0 ]; then
	ok "with the shim (AMXSHIM_DISABLE=1) and the emulator preloaded"
else
	fail "with the shim and the emulator: exit $(cat "$T/shimemu.rc"): $(cat "$T/shimemu.err")"
fi
if [ "$(cat "$T/plain.rc")" = 132 ]; then
	run off env AMXEMU_DISABLE=1 LD_PRELOAD="$EMU" "$X/ctorprog"
	if [ "$(cat "$T/off.rc")" = 132 ]; then
		ok "AMXEMU_DISABLE=1 leaves the process alone (SIGILL)"
	else
		fail "AMXEMU_DISABLE=1: exit $(cat "$T/off.rc"), want 132"
	fi
fi
finish
