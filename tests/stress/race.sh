#!/bin/sh
# SPDX-License-Identifier: MIT
# 64 threads make the first resolver call of a freshly dlopen()ed library at the same moment (race.c).
# Every answer must agree with the ground truth, the REQ count must be possible (at least one when the
# permission was granted, at most one per probe; none where the CPU lacks AMX), and under ThreadSanitizer
# (program, librace and every resolver source instrumented) there must be no report at all.
#   librace-real.so: the real platform (build/libamxresolver.a); truth from amxtruth.
#   librace-fake.so: the fake platform over recorded CPUs, so the granted/denied paths race on any machine.
# The test also fails when no run saw contention (a loser probing privately), on machines with 2+ CPUs:
# then the race would not have been exercised at all.
. "$(dirname "$0")/common.sh"
need_built "$S/race" "$S/librace-real.so" "$S/librace-fake.so" "$H/amxtruth"
RUNS=${STRESS_RACE_RUNS:-20}
TSAN_RUNS=${STRESS_TSAN_RUNS:-4}
truth=$("$H/amxtruth" reason)
layer=$("$H/amxtruth" layer)
[ "$truth" = ok ] && want_usable=1 || want_usable=0
echo "ground truth: reason $truth, CPU layers $layer"
contended=0 total=0

# check WHAT LINE RC WANT_USABLE WANT_REASON KERNEL(touched|untouched) PERM18(1|not1|any)
check() {
	cw=$1 line=$2 rc=$3
	u=$(field usable "$line") r=$(field reason "$line") p=$(field probes "$line") req=$(field req "$line")
	get=$(field get "$line") perm=$(field perm18 "$line")
	bad=
	[ "$rc" = 0 ] && [ "$(field agree "$line")" = yes ] || bad="$bad threads-disagree"
	[ "$u" = "$4" ] && [ "$r" = "$5" ] || bad="$bad want-usable=$4/$5"
	case $6 in
	untouched) [ "$req" = 0 ] && [ "$get" = 0 ] || bad="$bad kernel-touched" ;;
	granted) [ "${req:-0}" -ge 1 ] && [ "$req" -le "${p:-0}" ] || bad="$bad req-count" ;;
	esac
	case $7 in
	1) [ "$perm" = 1 ] || bad="$bad perm18" ;;
	not1) [ "$perm" != 1 ] || bad="$bad real-kernel-touched-by-fake" ;;
	esac
	total=$((total + 1))
	[ "${p:-0}" -gt 1 ] && contended=$((contended + 1))
	if [ -n "$bad" ]; then fail "$cw: $line ($bad)"; return 1; fi
	return 0
}

# series WHAT N RUNNER LIB WANT_USABLE WANT_REASON KERNEL PERM18 [VAR=VALUE...]
series() {
	what=$1 n=$2 runner=$3 lib=$4 wu=$5 wr=$6 k=$7 pm=$8
	shift 8
	i=0 good=0 maxp=0
	while [ $i -lt "$n" ]; do
		i=$((i + 1))
		line=$(env "$@" "$runner" "$lib" 64 2>"$T/race.err")
		rc=$?
		if [ -s "$T/race.err" ]; then
			fail "$what: run $i wrote to stderr:"; head -40 "$T/race.err"; continue
		fi
		check "$what, run $i" "$line" "$rc" "$wu" "$wr" "$k" "$pm" && good=$((good + 1))
		p=$(field probes "$line")
		[ "${p:-0}" -gt "$maxp" ] && maxp=$p
	done
	[ "$good" = "$n" ] && ok "$what: $n runs agree ($wu, $wr); most probes in one run: $maxp"
}

if [ "$layer" != ok ]; then kreal=untouched; elif [ "$truth" = ok ]; then kreal=granted; else kreal=any; fi
[ "$truth" = ok ] && preal=1 || preal=any
SPR=$FIXTURES/sapphire-rapids.txt ZEN=$FIXTURES/zen3-epyc-milan.txt

series "real platform" "$RUNS" "$S/race" "$S/librace-real.so" $want_usable "$truth" $kreal $preal
series "fake SPR, granted" "$RUNS" "$S/race" "$S/librace-fake.so" 1 ok granted not1 AMXSHIM_FAKE_CPU="$SPR"
series "fake SPR, EPERM" 5 "$S/race" "$S/librace-fake.so" 0 denied any not1 AMXSHIM_FAKE_CPU="$SPR" \
	AMXSHIM_FAKE_KERNEL=eperm
series "fake Zen 3" 5 "$S/race" "$S/librace-fake.so" 0 cpu untouched not1 AMXSHIM_FAKE_CPU="$ZEN"

# ThreadSanitizer: any report makes the run exit 66 and print "WARNING: ThreadSanitizer" on stderr.
TS=$S/tsan
if [ -x "$TS/race" ] && [ -e "$TS/librace-real.so" ] && [ -e "$TS/librace-fake.so" ]; then
	export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
	tsan_runner=$TS/race
	# Older libtsan cannot map its shadow under a high mmap randomisation; a run without ASLR can.
	if ! "$tsan_runner" "$TS/librace-fake.so" 2 >/dev/null 2>"$T/tsan.err" &&
		grep -q 'unexpected memory mapping\|FATAL: ThreadSanitizer' "$T/tsan.err"; then
		command -v setarch >/dev/null && tsan_runner="setarch $(uname -m) -R $TS/race"
		echo "note: ThreadSanitizer needs ASLR off here: $(head -1 "$T/tsan.err")"
	fi
	series "TSan, real platform" "$TSAN_RUNS" "$tsan_runner" "$TS/librace-real.so" $want_usable "$truth" $kreal $preal
	series "TSan, fake SPR, granted" "$TSAN_RUNS" "$tsan_runner" "$TS/librace-fake.so" 1 ok granted not1 \
		AMXSHIM_FAKE_CPU="$SPR"
	series "TSan, fake SPR, EPERM" 2 "$tsan_runner" "$TS/librace-fake.so" 0 denied any not1 \
		AMXSHIM_FAKE_CPU="$SPR" AMXSHIM_FAKE_KERNEL=eperm
else
	echo "note: no ThreadSanitizer build ($CC cannot link -fsanitize=thread): TSan part not run"
	tsan_missing=1
fi

echo "contention (a loser probed privately) in $contended of $total runs"
if [ "$contended" -eq 0 ] && [ "$(nproc)" -ge 2 ]; then
	fail "no run saw two first callers overlap: the race was not exercised"
fi
[ "$checks_failed" -eq 0 ] && [ -n "${tsan_missing:-}" ] && skip "race checks passed, but the TSan part could not run"
finish
