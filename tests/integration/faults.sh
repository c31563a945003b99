#!/bin/sh
# SPDX-License-Identifier: MIT
# Seccomp fault injection: arch_prctl XCOMP calls answered EPERM, ENOSYS, EINVAL, EOPNOTSUPP or ENOSPC.
# Under the shim programs run unchanged and silent; AMXSHIM_DEBUG=1 adds exactly one line
# `amxshim[PID]: AMX not usable: REASON: DETAIL`; AMXSHIM_STRICT=1 exits 125 before main. The expected
# REASON comes from amxtruth (CPUID/XCR0 read independently): on an AMX machine the errno's layer, elsewhere
# the first hardware layer that disagrees (cpu on AMD, say).
. "$(dirname "$0")/../lib.sh"
need_built "$H/seccomp-run" "$H/hello" "$H/cxxthreads" "$H/forkexec" "$H/amxtruth"

layer=$("$H/amxtruth" layer)
echo "hardware layers: $layer; unrestricted reason: $("$H/amxtruth" reason)"

errno_reason() {
	case $1 in
	EPERM | ENOSYS) echo denied ;;
	EINVAL) echo kernel-old ;;
	EOPNOTSUPP) echo kernel-unsupported ;;
	ENOSPC) echo altstack ;;
	esac
}

# check_report NAME REASON DETAIL_WORD SUFFIX: NAME.err is the reference stderr plus exactly one report line
# for NAME.pid with that reason, a detail containing DETAIL_WORD (when given), ending in SUFFIX.
check_report() {
	_n=$1 _reason=$2 _word=$3 _suffix=$4 _ref=$5
	_pid=$(cat "$T/$_n.pid")
	grep '^amxshim\[' "$T/$_n.err" >"$T/$_n.lines"
	grep -v '^amxshim\[' "$T/$_n.err" >"$T/$_n.rest"
	_line=$(cat "$T/$_n.lines")
	if [ "$(wc -l <"$T/$_n.lines")" -ne 1 ]; then
		fail "$_n: $(wc -l <"$T/$_n.lines") report lines, want exactly 1"; cat "$T/$_n.err"; return
	fi
	case $_line in
	"amxshim[$_pid]: AMX not usable: $_reason: "?*"$_suffix") ;;
	*) fail "$_n: report line '$_line', want 'amxshim[$_pid]: AMX not usable: $_reason: ...$_suffix'"; return ;;
	esac
	if [ -n "$_word" ]; then
		case $_line in
		*"$_word"*) ;;
		*) fail "$_n: detail does not name $_word: '$_line'"; return ;;
		esac
	fi
	if [ -n "$_ref" ] && ! cmp -s "$T/$_n.rest" "$T/$_ref.err"; then
		fail "$_n: the program's own stderr changed"; diff "$T/$_ref.err" "$T/$_n.rest"; return
	fi
	ok "$_n: $_line"
}

for e in EPERM ENOSYS EINVAL EOPNOTSUPP ENOSPC; do
	if [ "$layer" = ok ]; then want=$(errno_reason $e) word=$e; else want=$layer word=; fi
	# Unchanged, silent programs (no variable): same as the run without the shim under the same filter.
	run ref_$e "$H/seccomp-run" $e "$H/hello"
	run shim_$e "$H/seccomp-run" $e env LD_PRELOAD="$SHIM" "$H/hello"
	same ref_$e shim_$e "$e: hello runs unchanged and silent under the shim"
	run cref_$e "$H/seccomp-run" $e "$H/cxxthreads"
	run cshim_$e "$H/seccomp-run" $e env LD_PRELOAD="$SHIM" "$H/cxxthreads"
	same cref_$e cshim_$e "$e: C++ threads run unchanged under the shim"
	run fref_$e "$H/seccomp-run" $e "$H/forkexec" 2
	run fshim_$e "$H/seccomp-run" $e env LD_PRELOAD="$SHIM" "$H/forkexec" 2
	same fref_$e fshim_$e "$e: a fork+exec chain runs unchanged under the shim"

	# AMXSHIM_DEBUG=1: the same stdout and status, one line more on stderr.
	bg dbg_$e "$H/seccomp-run" $e env LD_PRELOAD="$SHIM" AMXSHIM_DEBUG=1 "$H/hello"
	if cmp -s "$T/dbg_$e.out" "$T/ref_$e.out" && cmp -s "$T/dbg_$e.rc" "$T/ref_$e.rc"; then
		check_report dbg_$e "$want" "$word" "" ref_$e
	else
		fail "dbg_$e: stdout or status changed under AMXSHIM_DEBUG (exit $(cat "$T/dbg_$e.rc"))"
	fi

	# AMXSHIM_STRICT=1: exit 125 and main never ran (hello prints as its first act).
	bg strict_$e "$H/seccomp-run" $e env LD_PRELOAD="$SHIM" AMXSHIM_STRICT=1 "$H/hello"
	if [ "$(cat "$T/strict_$e.rc")" = 125 ] && [ ! -s "$T/strict_$e.out" ] && ! grep -q '^hello' "$T/strict_$e.err"; then
		check_report strict_$e "$want" "$word" " (AMXSHIM_STRICT: exit 125)" ""
	else
		fail "strict_$e: exit $(cat "$T/strict_$e.rc") (want 125) or main ran:"; cat "$T/strict_$e.out" "$T/strict_$e.err"
	fi

	# Only the request refused (GETs allowed, as some policies do): on an AMX machine the detail names REQ.
	if [ "$layer" = ok ]; then
		bg req_$e "$H/seccomp-run" $e:0x1023 env LD_PRELOAD="$SHIM" AMXSHIM_DEBUG=1 "$H/hello"
		check_report req_$e "$want" "arch_prctl(ARCH_REQ_XCOMP_PERM) failed: $e" "" ref_$e
	fi
done

# No filter: what amxtruth found in an unrestricted process.
want=$("$H/amxtruth" reason)
run ref "$H/hello"
bg dbg "env" LD_PRELOAD="$SHIM" AMXSHIM_DEBUG=1 "$H/hello"
bg strict env LD_PRELOAD="$SHIM" AMXSHIM_STRICT=1 "$H/hello"
pid=$(cat "$T/dbg.pid")
if [ "$want" = ok ]; then
	line=$(grep '^amxshim\[' "$T/dbg.err")
	[ "$(grep -c '^amxshim\[' "$T/dbg.err")" = 1 ] || fail "no filter, DEBUG: not exactly one report line"
	case $line in
	"amxshim[$pid]: AMX usable: ok: "?*) ok "no filter, DEBUG: $line" ;;
	*) fail "no filter, DEBUG: '$line', want 'amxshim[$pid]: AMX usable: ok: ...'" ;;
	esac
	same ref strict "no filter, AMX usable: AMXSHIM_STRICT=1 lets the program run"
else
	check_report dbg "$want" "" "" ref
	[ "$(cat "$T/strict.rc")" = 125 ] && [ ! -s "$T/strict.out" ] && ok "no filter, $want: STRICT exits 125" ||
		fail "no filter, $want: STRICT exit $(cat "$T/strict.rc"), want 125"
fi
finish
