# SPDX-License-Identifier: MIT
# shellcheck shell=sh disable=SC2034
# The one test harness, sourced by every test script (directly, or through its directory's common.sh, which
# adds that directory's paths). A test reports each check with ok or fail, skips with skip (exit 77), and
# ends with finish: exit 0 when every check passed, 1 when one failed or when none ran (a test that checks
# nothing cannot fail). Tests run after `make all $(TEST_DEPS)`: their inputs are built, never made here.
#
# Sets ROOT (the checkout, also the working directory), B (the build directory, absolute), SHIM, H (the
# integration helpers, amxtruth among them), T (a scratch directory removed on exit), CC and CXX (from the
# environment, else gcc and g++), and clears the AMXSHIM_* and LD_* variables and GLIBC_TUNABLES, so every
# run below states exactly what it sets.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 99
BUILD=${BUILD:-build}
case $BUILD in /*) B=$BUILD ;; *) B=$ROOT/$BUILD ;; esac
SHIM=$B/libamxshim.so
H=$B/tests/integration
CC=${CC:-gcc}
CXX=${CXX:-g++}
for v in $(env | sed -n 's/^\(AMXSHIM_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
unset LD_PRELOAD LD_LIBRARY_PATH LD_BIND_NOW LD_AUDIT LD_DEBUG GLIBC_TUNABLES
export LC_ALL=C
T=$(mktemp -d "${TMPDIR:-/tmp}/amxshim-test.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
checks_passed=0 checks_failed=0

ok() { echo "ok: $*"; checks_passed=$((checks_passed + 1)); }
fail() { echo "FAIL: $*"; checks_failed=$((checks_failed + 1)); }
skip() { echo "SKIP: $*"; exit 77; }
finish() {
	if [ "$checks_failed" -ne 0 ]; then
		echo "$checks_failed of $((checks_passed + checks_failed)) check(s) failed"
		exit 1
	fi
	if [ "$checks_passed" -eq 0 ]; then
		echo "FAIL: no check ran (a test that checks nothing cannot fail)"
		exit 1
	fi
	echo "all $checks_passed checks passed"
	exit 0
}

# can_link CC FLAGS...: CC links a program with FLAGS. A sanitizer or profiling runtime is a package of its
# own (clang-22 without libclang-rt-22-dev): its absence is a skip with the reason, not a failure.
can_link() {
	_cc=$1
	shift
	echo 'int main(void) { return 0; }' >"$T/can_link.c"
	"$_cc" "$@" -o "$T/can_link" "$T/can_link.c" >"$T/can_link.err" 2>&1 && return 0
	echo "note: $_cc cannot link with $*, those cases skipped: $(grep -m1 -i -e error -e 'cannot find' "$T/can_link.err")"
	return 1
}
need_tool() { for t in "$@"; do command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"; done; }
# need_built FILE...: skip unless the shim and each FILE exist (make check builds them first: TEST_DEPS).
need_built() {
	for f in "$SHIM" "$@"; do
		[ -e "$f" ] || skip "$f is not built (run make first)"
	done
}

# delegate WHAT CMD...: CMD is a test program that checks for itself and exits 0, 77 or anything else.
delegate() {
	_w=$1
	shift
	"$@"
	case $? in
	0) ok "$_w" ;;
	77) exit 77 ;; # its own last line says why
	*) fail "$_w" ;;
	esac
}

# run NAME CMD...: stdout, stderr and exit status into $T/NAME.out, .err, .rc
run() {
	_n=$1
	shift
	"$@" >"$T/$_n.out" 2>"$T/$_n.err"
	echo $? >"$T/$_n.rc"
}

# bg NAME CMD...: like run, and $T/NAME.pid is the pid (every exec keeps it: seccomp-run, env), to match
# the PID in the shim's report line.
bg() {
	_n=$1
	shift
	"$@" >"$T/$_n.out" 2>"$T/$_n.err" &
	echo $! >"$T/$_n.pid"
	wait $!
	echo $? >"$T/$_n.rc"
}

# same NAME_A NAME_B WHAT: the two runs gave byte-identical stdout, stderr and exit status
same() {
	if cmp -s "$T/$1.out" "$T/$2.out" && cmp -s "$T/$1.err" "$T/$2.err" && cmp -s "$T/$1.rc" "$T/$2.rc"; then
		ok "$3 (exit $(cat "$T/$1.rc"))"
		return 0
	fi
	fail "$3: runs differ"
	for s in out err rc; do
		cmp -s "$T/$1.$s" "$T/$2.$s" || { echo "--- $s without / with:"; diff "$T/$1.$s" "$T/$2.$s" | head -20; }
	done
	return 1
}

# The independent ground truth (tests/integration/amxtruth.c shares no code with the resolver): the oracle
# wherever the code under test would otherwise judge itself.
real_amx() { "$H/amxtruth" real >/dev/null 2>&1; }
