#!/bin/sh
# SPDX-License-Identifier: MIT
# amxinfo against an independent ground truth (tests/integration/amxtruth) and under seccomp fault
# injection: every kernel field is shown unreadable with its errno, and the reason stays the first layer
# that disagrees.
set -u
B=${BUILD:-build}
INFO=$B/amxinfo
TRUTH=$B/tests/integration/amxtruth
SECCOMP=$B/tests/integration/seccomp-run
cd "$(dirname "$0")/../.." || exit 99
for f in "$INFO" "$TRUTH" "$SECCOMP"; do [ -x "$f" ] || { echo "skip: $f not built"; exit 77; }; done
for v in $(env | sed -n 's/^\(AMXSHIM_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
unset LD_PRELOAD
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
# field JSON EXPR: evaluates a Python expression over the parsed object `d`.
field() { printf '%s' "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"; }

layer=$("$TRUTH" layer)        # first CPU/OS layer that disagrees, or ok
reason=$("$TRUTH" reason)      # what a process that requests gets
echo "ground truth: layer=$layer reason=$reason"

json=$("$INFO" --json) || fail "amxinfo --json exit $?"
expect_plain=$layer
[ "$layer" = ok ] && expect_plain=not-requested
[ "$(field "$json" 'd["reason"]')" = "$expect_plain" ] && ok "reason without --request: $expect_plain" ||
	fail "reason without --request: $(field "$json" 'd["reason"], d["detail"]'), expected $expect_plain"
[ "$(field "$json" 'd["usable"]')" = False ] || fail "usable without a request"
[ -n "$(field "$json" 'd["detail"]')" ] || fail "empty detail"
[ "$(field "$json" 'd["request"]')" = None ] || fail "a request was made without --request"

json=$("$INFO" --json --request)
[ "$(field "$json" 'd["reason"]')" = "$reason" ] && ok "reason with --request: $reason" ||
	fail "reason with --request: $(field "$json" 'd["reason"], d["detail"]'), expected $reason"
[ "$(field "$json" 'd["usable"]')" = "$([ "$reason" = ok ] && echo True || echo False)" ] || fail "usable vs reason"

# --check: silent, exit status only.
out=$("$INFO" --check 2>&1); rc=$?
[ -z "$out" ] || fail "--check printed: $out"
[ $rc = 1 ] || fail "--check without permission exit $rc, expected 1"
"$INFO" --check --request; rc=$?
[ $rc = "$([ "$reason" = ok ] && echo 0 || echo 1)" ] && ok "--check --request exit $rc" || fail "--check --request exit $rc"
"$B/amxrun" "$INFO" --check; rc=$?
[ $rc = "$([ "$reason" = ok ] && echo 0 || echo 1)" ] && ok "amxrun amxinfo --check exit $rc" || fail "under the shim exit $rc"

# No request unless asked: strace sees no ARCH_REQ_XCOMP_PERM.
if command -v strace >/dev/null; then
	strace -f -e trace=arch_prctl -o "$B/amxinfo.strace" "$INFO" >/dev/null
	grep -q REQ_XCOMP "$B/amxinfo.strace" && fail "amxinfo requested permission without --request" ||
		ok "no ARCH_REQ_XCOMP_PERM without --request"
fi

# Seccomp answers every XCOMP call with an errno: fields unreadable, reason = first disagreeing layer.
for e in EPERM:1:denied ENOSYS:38:denied EINVAL:22:kernel-old EOPNOTSUPP:95:kernel-unsupported; do
	name=${e%%:*}; rest=${e#*:}; num=${rest%%:*}; kreason=${rest#*:}
	expect=$layer
	[ "$layer" = ok ] && expect=$kreason
	json=$("$SECCOMP" "$name" "$INFO" --json --request) || fail "$name: amxinfo exit $?"
	got=$(field "$json" 'd["xcomp_supp"]["errno"], d["xcomp_perm"]["errno"], d["xcomp_supp"]["error"], d["reason"]')
	[ "$got" = "$num $num $name $expect" ] && ok "$name: SUPP and PERM unreadable ($name), reason $expect" ||
		fail "$name: got '$got', expected '$num $num $name $expect'"
	text=$("$SECCOMP" "$name" "$INFO")
	printf '%s\n' "$text" | grep -q "ARCH_GET_XCOMP_SUPP *unreadable: $name (errno $num)" ||
		fail "$name: text output does not show SUPP unreadable"
done

# AMXSHIM_DISABLE: reason disabled, inputs still shown.
json=$(AMXSHIM_DISABLE=1 "$INFO" --json --request)
[ "$(field "$json" 'd["reason"], d["disable"], d["request"]')" = "disabled True None" ] &&
	ok "AMXSHIM_DISABLE=1: disabled, no request" || fail "AMXSHIM_DISABLE=1: $(field "$json" 'd["reason"], d["request"]')"

# --check touches the kernel only when the answer needs it: with AMXSHIM_DISABLE, or on a CPU whose layers
# disagree, a filter that kills on any XCOMP arch_prctl must not fire.
"$SECCOMP" kill env AMXSHIM_DISABLE=1 "$INFO" --check --request; rc=$?
[ $rc = 1 ] && ok "--check --request with AMXSHIM_DISABLE=1: no arch_prctl (exit 1)" || fail "--check disabled under kill filter: exit $rc"
if [ "$layer" != ok ]; then
	"$SECCOMP" kill "$INFO" --check; rc=$?
	[ $rc = 1 ] && ok "--check on a CPU without usable AMX ($layer): no arch_prctl (exit 1)" ||
		fail "--check ($layer) under kill filter: exit $rc"
fi

# --help and --version on stdout, exit 0; the version in --json.
version=$(sed -n 's/^#define AMXSHIM_VERSION_STRING "\(.*\)"/\1/p' include/amxshim/resolver.h)
for h in -h --help; do
	out=$("$INFO" $h 2>/dev/null); rc=$?
	[ $rc = 0 ] && printf '%s\n' "$out" | grep -q '^usage: amxinfo' && ok "$h: usage, exit 0" || fail "$h: exit $rc"
done
[ "$("$INFO" --version)" = "amxinfo (amxshim) $version" ] && ok "--version $version" || fail "--version: $("$INFO" --version)"
[ "$(field "$("$INFO" --json)" 'd["version"]')" = "$version" ] && ok "--json has the version" || fail "--json version"

# Output errors: a message and exit 2, never silence.
for mode in "" --json --help; do
	# shellcheck disable=SC2086 # an empty mode is no argument
	err=$("$INFO" $mode 2>&1 >/dev/full); rc=$?
	[ $rc = 2 ] && [ "$err" = "amxinfo: error writing standard output: No space left on device" ] &&
		ok "amxinfo $mode >/dev/full: exit 2 with a message" || fail "amxinfo $mode >/dev/full: exit $rc, '$err'"
done
err=$("$INFO" 2>&1 >&-); rc=$?
[ $rc = 2 ] && [ "$err" = "amxinfo: error writing standard output: Bad file descriptor" ] &&
	ok "amxinfo with stdout closed: exit 2 with a message" || fail "closed stdout: exit $rc, '$err'"

# Usage errors.
"$INFO" --bogus 2>/dev/null; [ $? = 2 ] || fail "unknown option not exit 2"
"$INFO" --json --check 2>/dev/null; [ $? = 2 ] || fail "--json --check not exit 2"
"$INFO" --help | grep -q 'usage: amxinfo' || fail "--help"

# Leaf 1EH.1 and the new flags, over the fake platform (amxinfo-fake): the synthesized Diamond Rapids has
# them, Granite Rapids (1EH.0 EAX=0) has no leaf 1EH.1 to show.
FAKE=$B/tests/tools/amxinfo-fake F=tests/fixtures/cpuid
if [ -x "$FAKE" ]; then
	json=$(AMXSHIM_FAKE_CPU=$F/diamond-rapids-synthesized.txt "$FAKE" --json)
	[ "$(field "$json" '[d["features"][f]["cpu"] for f in ("fp8", "avx512", "movrs")], d["cpuid"]["0x1e.1"][0], d["cpuid"]["0x24.0"][1]')" = "[True, True, True] 0x0000019f 0x00070002" ] &&
		ok "diamond rapids: leaf 0x1e.1 and the new flags" || fail "diamond rapids: $json"
	AMXSHIM_FAKE_CPU=$F/diamond-rapids-synthesized.txt "$FAKE" | grep -q '^  leaf 0x1e.1  eax=0x0000019f' ||
		fail "diamond rapids: text lacks leaf 0x1e.1"
	json=$(AMXSHIM_FAKE_CPU=$F/granite-rapids.txt "$FAKE" --json)
	[ "$(field "$json" '[d["features"][f]["cpu"] for f in ("fp8", "avx512", "movrs")], "0x1e.1" in d["cpuid"]')" = "[False, False, False] False" ] &&
		ok "granite rapids: no leaf 0x1e.1, no new flag" || fail "granite rapids: $json"
fi

[ $failures = 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all checks passed"
