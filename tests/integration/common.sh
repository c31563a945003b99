# SPDX-License-Identifier: MIT
# Sourced by the integration drivers. Sets ROOT, B (the build dir), SHIM, H (helpers), T (scratch dir) and
# clears AMXSHIM_*/LD_* variables, so every run below states exactly what it sets.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 99
BUILD=${BUILD:-build}
case $BUILD in /*) B=$BUILD ;; *) B=$ROOT/$BUILD ;; esac
SHIM=$B/libamxshim.so
H=$B/tests/integration
for v in $(env | sed -n 's/^\(AMXSHIM_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
unset LD_PRELOAD LD_LIBRARY_PATH LD_BIND_NOW LD_AUDIT LD_DEBUG GLIBC_TUNABLES
export LC_ALL=C
T=$(mktemp -d "${TMPDIR:-/tmp}/amxshim-it.XXXXXX") || exit 99
trap 'rm -rf "$T"' EXIT
failures=0

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
need_tool() { for t in "$@"; do command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"; done; }
need_built() {
	for f in "$SHIM" "$@"; do
		[ -e "$f" ] || skip "$f is not built (run make first)"
	done
}
finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
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

# The independent ground truth (amxtruth shares no code with the resolver).
real_amx() { "$H/amxtruth" real >/dev/null 2>&1; }
