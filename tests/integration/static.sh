#!/bin/sh
# SPDX-License-Identifier: MIT
# The resolver in a static executable: AMXSHIM_DISABLE comes from the environment, not from argv (static
# glibc's __libc_stack_end is not where a dynamic program's is), and the IFUNC binds like the ground truth.
. "$(dirname "$0")/../lib.sh"
need_built "$H/static-prog" "$H/amxtruth"
[ "$(readelf -d "$H/static-prog" 2>/dev/null | grep -c NEEDED)" = 0 ] || fail "static-prog is not static"
want=portable
[ "$("$H/amxtruth" reason)" = ok ] && want=amx
reason=$("$H/amxtruth" reason)
run plain "$H/static-prog"
[ "$(cat "$T/plain.out")" = "bound=$want reason=$reason" ] && ok "bound $want, reason $reason" ||
	fail "plain: $(cat "$T/plain.out" "$T/plain.err"), want bound=$want reason=$reason"
run disabled env AMXSHIM_DISABLE=1 "$H/static-prog"
[ "$(cat "$T/disabled.out")" = "bound=portable reason=disabled" ] && ok "AMXSHIM_DISABLE=1 honoured" ||
	fail "AMXSHIM_DISABLE=1: $(cat "$T/disabled.out")"
run argv "$H/static-prog" AMXSHIM_DISABLE=1
[ "$(cat "$T/argv.out")" = "bound=$want reason=$reason" ] && ok "an argument that looks like the variable is ignored" ||
	fail "argv read as the environment: $(cat "$T/argv.out")"
finish
