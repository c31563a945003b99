#!/bin/sh
# SPDX-License-Identifier: MIT
# The early hook is relocation-time and private with every compiler (clang 14 turned the
# static ifunc into an exported GLOBAL IFUNC without an IRELATIVE relocation):
#  1. the built shim has an IRELATIVE relocation and exports no IFUNC and no early_* symbol;
#  2. a program that exports early_hook/early_resolve/early_noop itself still gets the early hook: the
#     AMXSHIM_DEBUG report needs the stderr identity the hook records (any machine), and on AMX machines
#     the program's constructor sees permission bit 18 (requested before any constructor).
. "$(dirname "$0")/../lib.sh"
need_tool readelf
need_built "$H/earlyhook-prog" "$H/amxtruth"
readelf -rW "$SHIM" >"$T/rel" && readelf --dyn-syms -W "$SHIM" >"$T/dyn" || { fail "readelf failed"; finish; }
n=$(grep -c 'R_X86_64_IRELATIV' "$T/rel")
[ "$n" -ge 1 ] && ok "$n IRELATIVE relocation(s)" || fail "no IRELATIVE relocation: the early hook is not relocation-time"
if grep -Eq ' (IFUNC|<OS specific>: 10) ' "$T/dyn" || awk '{ print $8 }' "$T/dyn" | grep -q '^early'; then
	fail "the shim exports an IFUNC or early_* symbol:"; grep -E 'IFUNC|OS specific|early' "$T/dyn"
else
	ok "no exported IFUNC and no exported early_* symbol"
fi
nm -D "$H/earlyhook-prog" | grep -q ' T early_hook$' || fail "earlyhook-prog does not export early_hook"

truth=$("$H/amxtruth" reason)
[ "$truth" = ok ] && verdict=usable || verdict="not usable"
run dbg env LD_PRELOAD="$SHIM" AMXSHIM_DEBUG=1 "$H/earlyhook-prog"
if [ "$(cat "$T/dbg.rc")" = 0 ] && grep -q "^amxshim\[[0-9]*\]: AMX $verdict: $truth: " "$T/dbg.err"; then
	ok "a program exporting early_hook: the shim's early hook still ran (its report line is there)"
else
	fail "a program exporting early_hook: exit $(cat "$T/dbg.rc"), no report line: '$(cat "$T/dbg.err")'"
fi
grep -q 'hooks_called=0$' "$T/dbg.out" || fail "the program's own early_* functions were called: $(cat "$T/dbg.out")"
if real_amx; then
	run amx env LD_PRELOAD="$SHIM" "$H/earlyhook-prog"
	grep -q '^ctor_bit18=1 ' "$T/amx.out" && ok "AMX: the program's constructor already holds permission" ||
		fail "AMX: the program's constructor saw '$(cat "$T/amx.out")', want ctor_bit18=1"
else
	echo "note: no usable AMX here ($truth): the permission-bit check needs it"
fi
finish
