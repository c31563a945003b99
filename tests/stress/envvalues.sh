#!/bin/sh
# SPDX-License-Identifier: MIT
# AMXSHIM_* variables with empty, huge and binary values (stress-exec builds the exact bytes; NUL cannot be
# in an environment string). The program (tests/integration/hello) must run unchanged; the shim must read
# "" as unset and every other value as set ("unrecognised value, treated as set"), seen through the
# AMXSHIM_DEBUG report line. Also: entries without '=', a longer name, duplicates (first wins, as getenv).
#
# "Huge": Linux limits ONE argument or environment string to MAX_ARG_STRLEN = 32 pages = 131072 bytes
# including "NAME=" and the NUL, so a 1 MiB value cannot reach a program at all: execve fails with E2BIG
# (checked). The largest value that passes is 131072 - len("NAME=") - 1 bytes (131055 for AMXSHIM_DISABLE);
# one byte more is E2BIG (checked, so the test knows it used the real maximum). All four variables at their
# maximum together (512 KiB) stay under ARG_MAX (a quarter of the 8 MiB stack limit).
. "$(dirname "$0")/common.sh"
FAKE=$B/tests/shim/libamxshim-fake.so
need_built "$H/hello" "$H/amxtruth" "$S/stress-exec" "$S/sigprog" "$FAKE"
X=$S/stress-exec
truth=$("$H/amxtruth" reason)
[ "$truth" = ok ] && verdict=usable || verdict="not usable"
BINARY=ff80c328a0a1e28228f0288cbc3d3d0a0d1b7f01fe   # invalid UTF-8 sequences, '=', newline, CR, ESC, DEL
maxlen() { echo $((131072 - ${#1} - 2)); }
echo "ground truth: $truth"

run plain "$H/hello"
# value SPEC...: stress-exec options that give the variable its value; NAME is substituted
specs() { # NAME KIND
	case $2 in
	empty) echo "-e $1=" ;;
	huge) echo "-n $1=$(maxlen "$1")" ;;
	binary) echo "-x $1=$BINARY" ;;
	hugebinary) echo "-N $1=$(maxlen "$1")" ;;
	esac
}
# unchanged NAME: stdout, exit status and stderr without the report lines equal the plain run
unchanged() {
	grep -v '^amxshim\[' "$T/$1.err" >"$T/$1.rest.err"
	cp "$T/$1.out" "$T/$1.rest.out"
	cp "$T/$1.rc" "$T/$1.rest.rc"
	cmp -s "$T/plain.out" "$T/$1.rest.out" && cmp -s "$T/plain.err" "$T/$1.rest.err" && cmp -s "$T/plain.rc" "$T/$1.rest.rc"
}
reports() { grep -c '^amxshim\[' "$T/$1.err"; }
report_is() { grep -q "^amxshim\[[0-9]*\]: $2" "$T/$1.err"; }

for kind in empty huge binary hugebinary; do
	# shellcheck disable=SC2046 # specs are split into options on purpose
	run dis "$X" -e LD_PRELOAD="$SHIM" -e AMXSHIM_DEBUG=1 $(specs AMXSHIM_DISABLE $kind) -- "$H/hello"
	if [ $kind = empty ]; then want="AMX $verdict: $truth: "; else
		want="AMX not usable: disabled: AMXSHIM_DISABLE has an unrecognised value, treated as set"; fi
	unchanged dis && [ "$(reports dis)" = 1 ] && report_is dis "$want" &&
		ok "AMXSHIM_DISABLE=<$kind>: program unchanged, report '$want'" ||
		fail "AMXSHIM_DISABLE=<$kind>: exit $(cat "$T/dis.rc"), stderr $(head -c 300 "$T/dis.err")"
	# shellcheck disable=SC2046
	run dbg "$X" -e LD_PRELOAD="$SHIM" $(specs AMXSHIM_DEBUG $kind) -- "$H/hello"
	[ $kind = empty ] && want=0 || want=1
	unchanged dbg && [ "$(reports dbg)" = $want ] && { [ $want = 0 ] || report_is dbg "AMX $verdict: $truth: "; } &&
		ok "AMXSHIM_DEBUG=<$kind>: program unchanged, $want report line(s)" ||
		fail "AMXSHIM_DEBUG=<$kind>: exit $(cat "$T/dbg.rc"), stderr $(head -c 300 "$T/dbg.err")"
	# STRICT exits 125 only when AMX cannot be made usable: force that with AMXSHIM_DISABLE=1.
	# shellcheck disable=SC2046
	run strict "$X" -e LD_PRELOAD="$SHIM" -e AMXSHIM_DISABLE=1 $(specs AMXSHIM_STRICT $kind) -- "$H/hello"
	if [ $kind = empty ]; then
		unchanged strict && [ "$(reports strict)" = 0 ] && ok "AMXSHIM_STRICT=<$kind>: unset, program unchanged" ||
			fail "AMXSHIM_STRICT=<$kind> with DISABLE: exit $(cat "$T/strict.rc"), $(head -c 300 "$T/strict.err")"
	else
		[ "$(cat "$T/strict.rc")" = 125 ] && [ ! -s "$T/strict.out" ] && report_is strict "AMX not usable: disabled: .*(AMXSHIM_STRICT: exit 125)" &&
			ok "AMXSHIM_STRICT=<$kind>: set: exit 125 before main (with DISABLE=1)" ||
			fail "AMXSHIM_STRICT=<$kind> with DISABLE: exit $(cat "$T/strict.rc"), $(head -c 300 "$T/strict.err")"
	fi
	# ALTSTACK: anything but an "off" word leaves the guard on; seen with the fake shim's substitute line.
	# shellcheck disable=SC2046
	run alt "$X" -e LD_PRELOAD="$FAKE" -e AMXSHIM_FAKE_CPU="$FIXTURES/sapphire-rapids.txt" -e AMXSHIM_DEBUG=1 \
		$(specs AMXSHIM_ALTSTACK $kind) -- "$S/sigprog" faults
	grep -q 'sigaltstack of 8192 bytes is smaller' "$T/alt.err" && grep -q '^sigaltstack(8192): 0$' "$T/alt.out" &&
		ok "AMXSHIM_ALTSTACK=<$kind>: the guard stays on" || fail "AMXSHIM_ALTSTACK=<$kind>: guard off? $(cat "$T/alt.err" "$T/alt.out")"
done
run altoff "$X" -e LD_PRELOAD="$FAKE" -e AMXSHIM_FAKE_CPU="$FIXTURES/sapphire-rapids.txt" -e AMXSHIM_DEBUG=1 \
	-e AMXSHIM_ALTSTACK=off -- "$S/sigprog" faults
grep -q 'sigaltstack of 8192' "$T/altoff.err" && fail "AMXSHIM_ALTSTACK=off (control): the guard still substituted" ||
	ok "AMXSHIM_ALTSTACK=off (control): no substitute"

# All four at their maximum at once.
run all "$X" -e LD_PRELOAD="$SHIM" -N AMXSHIM_DISABLE="$(maxlen AMXSHIM_DISABLE)" -n AMXSHIM_DEBUG="$(maxlen AMXSHIM_DEBUG)" \
	-N AMXSHIM_STRICT="$(maxlen AMXSHIM_STRICT)" -n AMXSHIM_ALTSTACK="$(maxlen AMXSHIM_ALTSTACK)" -- "$H/hello"
[ "$(cat "$T/all.rc")" = 125 ] && report_is all "AMX not usable: disabled: AMXSHIM_DISABLE has an unrecognised" &&
	ok "all four variables at 128 KiB at once: read as set (DISABLE + STRICT: exit 125)" ||
	fail "all four at their maximum: exit $(cat "$T/all.rc"), $(head -c 300 "$T/all.err")"

# The kernel's limits, so that "huge" above really was the largest possible.
for len in $(( $(maxlen AMXSHIM_DISABLE) + 1 )) 1048576; do
	run big "$X" -e LD_PRELOAD="$SHIM" -n AMXSHIM_DISABLE=$len -- "$H/hello"
	[ "$(cat "$T/big.rc")" = 126 ] && grep -q 'execve: E2BIG' "$T/big.err" &&
		ok "a $len-byte AMXSHIM_DISABLE value: execve fails with E2BIG (MAX_ARG_STRLEN)" ||
		fail "a $len-byte value: want E2BIG, got exit $(cat "$T/big.rc") $(cat "$T/big.err")"
done

# Unrecognised values are named with their value in the report line, escaped and cut
# at 40 bytes; AMXSHIM_STRICT=maybe counts as set and says so when it exits.
named() { # WHAT GREP-PATTERN ENTRIES...
	what=$1 want=$2
	shift 2
	for e in "$@"; do set -- "$@" -e "$e"; shift; done
	run named "$X" -e LD_PRELOAD="$SHIM" "$@" -- "$H/hello"
	grep -q "^amxshim\[[0-9]*\]: .*$want" "$T/named.err" && ok "$what" ||
		fail "$what: exit $(cat "$T/named.rc"), stderr '$(head -c 400 "$T/named.err")'"
}
named "AMXSHIM_STRICT=maybe (with DISABLE=1): exit 125 naming it" \
	'; AMXSHIM_STRICT="maybe" is not a recognised value, treated as set (AMXSHIM_STRICT: exit 125)$' \
	AMXSHIM_DISABLE=1 AMXSHIM_STRICT=maybe
[ "$(cat "$T/named.rc")" = 125 ] || fail "AMXSHIM_STRICT=maybe with DISABLE=1: exit $(cat "$T/named.rc"), want 125"
named "AMXSHIM_DEBUG=verbose is named" '; AMXSHIM_DEBUG="verbose" is not a recognised value, treated as set$' \
	AMXSHIM_DEBUG=verbose
named "AMXSHIM_ALTSTACK=sometimes is named" '; AMXSHIM_ALTSTACK="sometimes" is not a recognised value' \
	AMXSHIM_DEBUG=1 AMXSHIM_ALTSTACK=sometimes
named "AMXSHIM_DISABLE=perhaps: the value is added to the decision's detail" \
	'disabled: AMXSHIM_DISABLE has an unrecognised value, treated as set; AMXSHIM_DISABLE="perhaps"$' \
	AMXSHIM_DEBUG=1 AMXSHIM_DISABLE=perhaps
named "a binary value is escaped" '; AMXSHIM_STRICT="\\xff\\x80\\xc3(\\xa0' AMXSHIM_DEBUG=1 AMXSHIM_STRICT="$(printf '\377\200\303(\240')"
named "a long value is cut at 40 bytes" "; AMXSHIM_DEBUG=\"$(printf '%040d' 0)...\" is not" AMXSHIM_DEBUG="$(printf '%060d' 0)"
named "documented words are not named" 'AMX [a-z ]*: [a-z-]*: [^;]*$' AMXSHIM_DEBUG=YES AMXSHIM_ALTSTACK=On AMXSHIM_STRICT=false

# Odd entries: no '=', a longer name, duplicates (the first one counts, as for getenv).
edge() { # WANT_REPORT_PREFIX WHAT ENTRIES...
	want=$1 what=$2
	shift 2
	for e in "$@"; do set -- "$@" -e "$e"; shift; done
	run edge "$X" -e LD_PRELOAD="$SHIM" -e AMXSHIM_DEBUG=1 "$@" -- "$H/hello"
	unchanged edge && report_is edge "$want" && ok "$what" || fail "$what: $(head -c 300 "$T/edge.err")"
}
edge "AMX $verdict: $truth: " "an entry 'AMXSHIM_DISABLE' without '=' is not set" AMXSHIM_DISABLE
edge "AMX $verdict: $truth: " "AMXSHIM_DISABLEX=1 is not AMXSHIM_DISABLE" AMXSHIM_DISABLEX=1
edge "AMX $verdict: $truth: " "duplicates 'AMXSHIM_DISABLE=' then '=1': the first (unset) counts" \
	AMXSHIM_DISABLE= AMXSHIM_DISABLE=1
edge "AMX not usable: disabled: AMXSHIM_DISABLE is set" "duplicates '=1' then '=': the first (set) counts" \
	AMXSHIM_DISABLE=1 AMXSHIM_DISABLE=
finish
