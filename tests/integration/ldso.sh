#!/bin/sh
# SPDX-License-Identifier: MIT
# Direct invocation `ld.so ./prog`: ld.so moves argv/envp past its own arguments, and the shim reads the
# initial environment from the stack (__libc_stack_end) before libc has set environ. With ld.so options in
# front (--preload, --argv0, --inhibit-cache) AMXSHIM_DISABLE/DEBUG/STRICT must still be seen, and the early
# request must still precede the program's library constructors.
. "$(dirname "$0")/../lib.sh"
need_built "$H/hello" "$H/ordering" "$H/seccomp-run" "$H/amxtruth"
need_tool readelf
LDSO=$(readelf -lW "$H/hello" | sed -n 's/.*interpreter: \(.*\)]$/\1/p')
[ -n "$LDSO" ] && [ -x "$LDSO" ] || skip "no executable program interpreter found ($LDSO)"
"$LDSO" --help 2>/dev/null | grep -q -- '--argv0' && argv0="--argv0 renamed" || argv0=
want=$("$H/amxtruth" reason)
if real_amx; then perm=1; else perm=0; fi
echo "ld.so: $LDSO; expected reason: $want"

for how in env preload; do
	# shellcheck disable=SC2086 # argv0 is split on purpose
	if [ $how = env ]; then set -- env LD_PRELOAD="$SHIM"; pre="$LDSO --inhibit-cache $argv0"; else
		set -- env; pre="$LDSO --inhibit-cache --preload $SHIM $argv0"; fi
	run ref "$H/hello" 3 x y z
	# shellcheck disable=SC2086
	run t "$@" $pre "$H/hello" 3 x y z
	same ref t "$how: ld.so hello (4 args) is unchanged under the shim"

	# shellcheck disable=SC2086
	bg dbg "$@" AMXSHIM_DEBUG=1 $pre "$H/hello" 0 x y z
	pid=$(cat "$T/dbg.pid")
	line=$(grep '^amxshim\[' "$T/dbg.err")
	if [ "$want" = ok ]; then exp="amxshim[$pid]: AMX usable: ok: "; else exp="amxshim[$pid]: AMX not usable: $want: "; fi
	case $line in
	"$exp"?*) [ "$(grep -c '^amxshim\[' "$T/dbg.err")" = 1 ] && ok "$how: DEBUG under ld.so: $line" ||
		fail "$how: more than one report line" ;;
	*) fail "$how: DEBUG under ld.so: '$line', want '$exp...'" ;;
	esac

	# shellcheck disable=SC2086
	run ord "$@" $pre "$H/ordering"
	[ "$(cat "$T/ord.out")" = "ctor_bit18=$perm main_bit18=$perm" ] &&
		ok "$how: ld.so ordering: $(cat "$T/ord.out")" ||
		fail "$how: ld.so ordering: '$(cat "$T/ord.out")', want ctor_bit18=$perm main_bit18=$perm"

	# DISABLE read from the moved stack: zero XCOMP calls (a seccomp kill filter proves it: hello itself
	# makes none) and reason disabled; no permission in ordering's constructor or main.
	# shellcheck disable=SC2086
	run dis "$H/seccomp-run" kill "$@" AMXSHIM_DISABLE=1 AMXSHIM_DEBUG=1 $pre "$H/hello" 3 x y z
	if [ "$(cat "$T/dis.rc")" = 3 ] && cmp -s "$T/dis.out" "$T/ref.out" &&
		grep -q '^amxshim\[[0-9]*\]: AMX not usable: disabled: ' "$T/dis.err"; then
		ok "$how: ld.so + AMXSHIM_DISABLE=1 under a seccomp kill filter: runs, reason disabled"
	else
		fail "$how: ld.so + DISABLE under seccomp kill: exit $(cat "$T/dis.rc"), '$(cat "$T/dis.out")' $(cat "$T/dis.err")"
	fi
	# shellcheck disable=SC2086
	run dord "$@" AMXSHIM_DISABLE=1 $pre "$H/ordering"
	[ "$(cat "$T/dord.out")" = "ctor_bit18=0 main_bit18=0" ] && ok "$how: ld.so + DISABLE: $(cat "$T/dord.out")" ||
		fail "$how: ld.so + DISABLE: '$(cat "$T/dord.out")', want ctor_bit18=0 main_bit18=0"

	# STRICT with the kernel refusing: exit 125 before main.
	# shellcheck disable=SC2086
	run strict "$H/seccomp-run" EPERM "$@" AMXSHIM_STRICT=1 $pre "$H/hello"
	if [ "$(cat "$T/strict.rc")" = 125 ] && [ ! -s "$T/strict.out" ]; then
		ok "$how: ld.so + STRICT with AMX refused: exit 125 before main"
	else
		fail "$how: ld.so + STRICT: exit $(cat "$T/strict.rc"), stdout '$(cat "$T/strict.out")', want 125 and nothing"
	fi
done
finish
