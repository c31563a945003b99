#!/bin/sh
# SPDX-License-Identifier: MIT
# amxinfo --nfd: a Node Feature Discovery feature file valid under NFD v0.19's and Kubernetes' label rules
# (tests/tools/nfd_check.py) for every CPU fixture and every fake kernel outcome, whose answer is the one a
# process that requests permission gets (amxinfo --json --request, the same process model), with the
# request made in a child; then --verify's labels, and the real machine.
. "$(dirname "$0")/../lib.sh"
FAKE=$B/tests/tools/amxinfo-fake
INFO=$B/amxinfo
EMU=$(readlink -f "$B/libamxemu.so")
SECCOMP=$H/seccomp-run
CHECK="python3 tests/tools/nfd_check.py"
F=tests/fixtures/cpuid
P=feature.node.kubernetes.io/amxshim.
need_built "$FAKE" "$INFO" "$EMU" "$SECCOMP" "$H/amxtruth"
need_tool python3
field() { printf '%s' "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"; }
label() { sed -n "s|^$P$1=||p" "$2"; } # NAME FILE: the value NFD would give the label

$CHECK --self-test && ok "the checker rejects bad names, values and directives" || fail "checker self-test"

# The names, fixed: 4 + 2 per sub-feature, every one on every machine (a selector never meets a missing one).
names="version amx-usable amx-reason amx-verified"
for f in tile int8 bf16 fp16 complex fp8 avx512 movrs; do names="$names amx-$f amx-$f.verify"; done
echo "$names" | tr ' ' '\n' | sed "s|^|$P|" | sort >"$T/names"

# check_file FILE WHAT: valid for NFD and exactly the fixed names.
check_file() {
	$CHECK "$1" >"$T/labels" 2>"$T/errors" || { fail "$2: not a valid feature file: $(cat "$T/errors")"; return 1; }
	cut -d= -f1 "$T/labels" | cmp -s - "$T/names" || { fail "$2: other names: $(cut -d= -f1 "$T/labels")"; return 1; }
}

# 1. Every fixture x every kernel outcome: valid, and the answer of `--json --request` (usable, reason,
# each sub-feature). One Python run checks them all (a process per file takes minutes on a busy machine).
mkdir "$T/all"
for fx in "$F"/*.txt; do
	for k in granted already einval eopnotsupp enospc eperm enosys overwrite; do
		c=$T/all/$(basename "$fx" .txt)-$k
		AMXSHIM_FAKE_CPU=$fx AMXSHIM_FAKE_KERNEL=$k "$FAKE" --nfd >"$c.nfd" || fail "$c: exit $?"
		AMXSHIM_FAKE_CPU=$fx AMXSHIM_FAKE_KERNEL=$k "$FAKE" --json --request >"$c.json"
	done
done
python3 - "$T/names" "$T"/all/*.nfd <<'EOF_PY' && ok "$(ls "$T"/all/*.nfd | wc -l) fixture x kernel files valid, each the answer of a process that requests" || fail "fixture x kernel files"
import json, sys
sys.path.insert(0, "tests/tools")
import nfd_check
names = open(sys.argv[1]).read().split()
P = "feature.node.kubernetes.io/amxshim."
bad = 0
for path in sys.argv[2:]:
    labels, errors = nfd_check.parse(open(path, "rb").read())
    d = json.load(open(path[:-4] + ".json"))
    want = {P + "amx-usable": str(d["usable"]).lower(), P + "amx-reason": d["reason"], P + "amx-verified": "false"}
    for f, v in d["features"].items():
        want[P + "amx-" + f] = str(v["usable"]).lower()
        want[P + "amx-" + f + ".verify"] = "not-run"
    diff = {k: (labels.get(k), v) for k, v in want.items() if labels.get(k) != v}
    if errors or sorted(labels) != names or diff:
        print("FAIL: %s: errors %s, names %s, differs from --json --request: %s" % (path, errors, sorted(labels), diff))
        bad += 1
sys.exit(1 if bad else 0)
EOF_PY

# 2. The four machines the issue names, by value.
expect() { # WHAT WANT(usable reason tile bf16) ENV...
	what=$1 want=$2
	shift 2
	env "$@" "$FAKE" --nfd >"$T/nfd"
	got="$(label amx-usable "$T/nfd") $(label amx-reason "$T/nfd") $(label amx-tile "$T/nfd") $(label amx-bf16 "$T/nfd")"
	[ "$got" = "$want" ] && ok "$what: $got" || fail "$what: $got, want $want"
}
expect "no AMX (Zen 3)" "false cpu false false" AMXSHIM_FAKE_CPU=$F/zen3-epyc-milan.txt
expect "AMX (Sapphire Rapids)" "true ok true true" AMXSHIM_FAKE_CPU=$F/sapphire-rapids.txt
expect "permission denied" "false denied false false" AMXSHIM_FAKE_CPU=$F/sapphire-rapids.txt AMXSHIM_FAKE_KERNEL=eperm
expect "hypervisor hides XFD" "false xfd false false" AMXSHIM_FAKE_CPU=$F/sapphire-rapids-vm-no-xfd-synthesized.txt
expect "AMXSHIM_DISABLE=1" "false disabled false false" AMXSHIM_FAKE_CPU=$F/sapphire-rapids.txt AMXSHIM_DISABLE=1

# 3. --verify: labels per instruction. Under libamxemu Granite Rapids' four run; without it they fault.
AMXSHIM_FAKE_CPU=$F/granite-rapids.txt LD_PRELOAD=$EMU "$FAKE" --nfd --verify >"$T/nfd"; rc=$?
check_file "$T/nfd" "GNR --verify"
got=$(for f in tile int8 bf16 fp16 complex fp8; do printf '%s ' "$(label "amx-$f.verify" "$T/nfd")"; done)
[ $rc = 0 ] && [ "$got" = "runs runs runs runs not-run not-run " ] && [ "$(label amx-verified "$T/nfd")" = true ] &&
	ok "GNR under libamxemu --verify: $got, amx-verified=true" || fail "GNR --verify: exit $rc, $got: $(cat "$T/nfd")"
AMXSHIM_FAKE_CPU=$F/sapphire-rapids.txt "$FAKE" --nfd --verify >"$T/nfd"; rc=$?
check_file "$T/nfd" "SPR --verify, faulting"
got="$(label amx-usable "$T/nfd") $(label amx-verified "$T/nfd") $(label amx-tile.verify "$T/nfd") $(label amx-bf16.verify "$T/nfd")"
[ $rc = 3 ] && [ "$got" = "true false faults faults" ] && ok "tiles fault although every layer says yes: exit 3, $got" ||
	fail "SPR --verify without the emulator: exit $rc, $got"
AMXSHIM_FAKE_CPU=$F/sapphire-rapids.txt AMXSHIM_FAKE_KERNEL=eperm LD_PRELOAD=$EMU "$FAKE" --nfd --verify >"$T/nfd"; rc=$?
got="$(label amx-verified "$T/nfd") $(label amx-tile.verify "$T/nfd")"
[ $rc = 0 ] && [ "$got" = "false not-run" ] && ok "permission denied --verify: $got" || fail "denied --verify: exit $rc, $got"

# 4. The real machine: valid, the answer of `--json --request`; the request (if the CPU layers let one be
# made at all) comes from a child, never from amxinfo's own process.
"$INFO" --nfd --verify >"$T/nfd"; rc=$?
check_file "$T/nfd" "this machine"
want=$(field "$("$INFO" --json --request)" 'd["reason"]')
[ "$(label amx-reason "$T/nfd")" = "$want" ] && ok "this machine: amx-reason=$want, as --json --request (exit $rc)" ||
	fail "this machine: $(label amx-reason "$T/nfd"), --json --request says $want"
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=arch_prctl -o "$T/strace" "$INFO" --nfd >/dev/null
	parent=$(head -n 1 "$T/strace" | cut -d' ' -f1)
	if grep REQ_XCOMP "$T/strace" | grep -q "^$parent "; then
		fail "amxinfo --nfd requested permission in its own process: $(grep REQ_XCOMP "$T/strace")"
	else
		ok "no ARCH_REQ_XCOMP_PERM from amxinfo's own process ($(grep -c REQ_XCOMP "$T/strace") from its child)"
	fi
fi
# A policy that kills on the request: where it is made (AMX here), the child dies and no file is printed;
# where the CPU layers say no, none is made and the file is complete.
out=$("$SECCOMP" kill:0x1023-0x1023 "$INFO" --nfd 2>"$T/err"); rc=$?
if real_amx; then
	[ $rc = 2 ] && [ -z "$out" ] && grep -q 'killed by signal' "$T/err" && ok "request killed: exit 2, nothing printed" ||
		fail "request killed: exit $rc, '$out' $(cat "$T/err")"
else
	printf '%s\n' "$out" >"$T/nfd"
	[ $rc = 0 ] && check_file "$T/nfd" "under a kill filter" && ok "no AMX here: no request under a kill filter, a valid file" ||
		fail "under a kill filter: exit $rc $(cat "$T/err")"
fi

# 5. Errors: output error, mode conflicts.
err=$("$INFO" --nfd 2>&1 >/dev/full); rc=$?
[ $rc = 2 ] && [ -n "$err" ] && ok "--nfd >/dev/full: exit 2 with a message" || fail "--nfd >/dev/full: exit $rc"
for m in --json --check; do
	"$INFO" --nfd $m >/dev/null 2>&1; rc=$?
	[ $rc = 2 ] || fail "--nfd $m: exit $rc, want 2 (one mode)"
done
finish
