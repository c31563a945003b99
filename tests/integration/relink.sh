#!/bin/sh
# SPDX-License-Identifier: MIT
# A resolver that runs before its own library is relocated: glibc's "Relink ... for IFUNC
# symbol" case (librelinka.c). amxshim_usable() there must not touch the GOT: no crash, with and without
# AMXSHIM_DISABLE=1, and AMXSHIM_DISABLE is still honoured (read from the kernel's copy of the start-up
# environment), also under a seccomp filter that kills on any XCOMP arch_prctl.
. "$(dirname "$0")/../lib.sh"
need_built "$H/relink-main" "$H/librelinka.so" "$H/librelinkb.so" "$H/amxtruth" "$H/seccomp-run"
A=$H/librelinka.so
truth=$("$H/amxtruth" reason)
[ "$truth" = ok ] && pick=1 || pick=2

check() { # NAME WANT-STDOUT WHAT
	if [ "$(cat "$T/$1.rc")" = 0 ] && [ "$(cat "$T/$1.out")" = "$2" ] && grep -q "Relink .*librelinkb.so.* for IFUNC symbol .relink_pick." "$T/$1.err"; then
		ok "$3: $(cat "$T/$1.out")"
	else
		fail "$3: exit $(cat "$T/$1.rc"), stdout '$(cat "$T/$1.out")' (want '$2'), stderr '$(head -c 300 "$T/$1.err")'"
	fi
}
run plain env LD_PRELOAD="$A" "$H/relink-main"
check plain "pick=$pick reason=$truth" "resolver before its relocation"
run dis env LD_PRELOAD="$A" AMXSHIM_DISABLE=1 "$H/relink-main"
check dis "pick=2 reason=disabled" "the same with AMXSHIM_DISABLE=1"
run kill env LD_PRELOAD="$A" AMXSHIM_DISABLE=yes "$H/seccomp-run" kill "$H/relink-main"
check kill "pick=2 reason=disabled" "AMXSHIM_DISABLE=yes under a kill-on-XCOMP filter"
run undo env LD_PRELOAD="$A" AMXSHIM_DISABLE=0 "$H/relink-main"
check undo "pick=$pick reason=$truth" "AMXSHIM_DISABLE=0 counts as unset there too"
finish
