#!/bin/sh
# SPDX-License-Identifier: MIT
# amxinfo --verify without AMX hardware. amxinfo-fake is amxinfo linked with the fake platform: the recorded
# CPU (AMXSHIM_FAKE_CPU) makes the decision "usable" and the fake kernel grants the child's request; the tile
# instructions then really execute: under libamxemu they run, without it (this CPU has no AMX, or no
# permission was really granted) they fault. A feature advertised but faulting must give its own line and
# exit 3; an unusable decision must mean no child and no request.
. "$(dirname "$0")/../lib.sh"
FAKE=$B/tests/tools/amxinfo-fake
EMU=$(readlink -f "$B/libamxemu.so")
SECCOMP=$H/seccomp-run
F=tests/fixtures/cpuid
need_built "$FAKE" "$EMU" "$SECCOMP" "$B/amxinfo" "$H/amxtruth"
field() { printf '%s' "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"; }

# 1. The measured SPR VM under the emulator: TILE, INT8, BF16 run; FP16 and COMPLEX are not tried.
out=$(AMXSHIM_FAKE_CPU=$F/sapphire-rapids-firecracker-vm-measured.txt LD_PRELOAD=$EMU "$FAKE" --verify --json); rc=$?
[ $rc = 0 ] && ok "SPR VM under libamxemu: exit 0" || fail "SPR VM under libamxemu: exit $rc: $out"
got=$(field "$out" '" ".join(k + "=" + v["result"] for k, v in d["verify"]["features"].items()), d["verify"]["faulting"]')
want="tile=runs int8=runs bf16=runs fp16=not-tried complex=not-tried []"
[ "$got" = "$want" ] && ok "SPR VM results: $got" || fail "SPR VM results: $got, want $want"
[ "$(field "$out" 'd["reason"]')" = not-requested ] || fail "the parent must not have requested: $out"

# 2. Granite Rapids advertises AMX-FP16: TDPFP16PS runs under the emulator, text mode.
out=$(AMXSHIM_FAKE_CPU=$F/granite-rapids.txt LD_PRELOAD=$EMU "$FAKE" --verify); rc=$?
echo "$out" | grep -q '^  AMX-FP16 *TDPFP16PS *runs$' && [ $rc = 0 ] && ok "GNR: AMX-FP16 runs" ||
	fail "GNR: exit $rc: $out"

# 3. Injected fault: a CPU state advertising AMX-COMPLEX (7.1:EDX b8) where TCMMIMFP16PS traps (the
# emulator told to run only the other sets, as a CPU without the feature would): its own line, exit 3.
sed 's/^\(leaf 0x00000007 subleaf 1: .* edx=0x\)000e4000/\1000e4100/' $F/granite-rapids.txt >"$T/complex.txt"
grep -q 'edx=0x000e4100' "$T/complex.txt" || fail "could not make the AMX-COMPLEX fixture"
export AMXEMU_SETS=AMX-TILE,AMX-INT8,AMX-BF16,amx-fp16
out=$(AMXSHIM_FAKE_CPU=$T/complex.txt LD_PRELOAD=$EMU "$FAKE" --verify); rc=$?
[ $rc = 3 ] && ok "advertised AMX-COMPLEX that faults: exit 3" || fail "AMX-COMPLEX fault: exit $rc, want 3: $out"
echo "$out" | grep -q '^  AMX-COMPLEX *TCMMIMFP16PS *SIGILL' || fail "no SIGILL line for AMX-COMPLEX: $out"
echo "$out" | grep -q '^the CPU or hypervisor advertises AMX-COMPLEX but it faults (SIGILL): a hypervisor/CPUID bug; use AMXSHIM_DISABLE=1' ||
	fail "no advice line for AMX-COMPLEX: $out"
echo "$out" | grep -q '^  AMX-FP16 *TDPFP16PS *runs$' || fail "AMX-FP16 should still run: $out"
n=$(echo "$out" | grep -c 'but it faults')
[ "$n" = 1 ] || fail "$n advice lines, want 1 (only AMX-COMPLEX faults): $out"
json=$(AMXSHIM_FAKE_CPU=$T/complex.txt LD_PRELOAD=$EMU "$FAKE" --verify --json); rc=$?
got=$(field "$json" 'd["verify"]["faulting"], d["verify"]["features"]["complex"]["signal"]')
[ $rc = 3 ] && [ "$got" = "['complex'] SIGILL" ] && ok "--json: faulting $got" || fail "--json exit $rc: $json"
unset AMXEMU_SETS
# The emulator runs AMX-COMPLEX itself when not told otherwise.
out=$(AMXSHIM_FAKE_CPU=$T/complex.txt LD_PRELOAD=$EMU "$FAKE" --verify); rc=$?
echo "$out" | grep -q '^  AMX-COMPLEX *TCMMIMFP16PS *runs$' && [ $rc = 0 ] && ok "AMX-COMPLEX runs under libamxemu" ||
	fail "AMX-COMPLEX under libamxemu: exit $rc: $out"

# 4. No emulator: the tile instructions themselves trap (no AMX here, or no real permission): AMX-TILE is
# reported at the instruction that trapped, every feature faults, exit 3.
out=$(AMXSHIM_FAKE_CPU=$F/sapphire-rapids.txt "$FAKE" --verify); rc=$?
[ $rc = 3 ] && ok "without the emulator: exit 3" || fail "without the emulator: exit $rc: $out"
echo "$out" | grep -q '^  AMX-TILE .* SIGILL .*in \(LDTILECFG\|TILEZERO\)' || fail "AMX-TILE fault line: $out"
echo "$out" | grep -q 'advertises AMX-TILE but it faults' || fail "AMX-TILE advice line: $out"

# 5. The decision says no: no child, no request. A zero-palette VM (the palette layer) and AMXSHIM_DISABLE.
not_run() { # REASON ENV...
	reason=$1
	shift
	out=$(env "$@" "$FAKE" --verify --json 2>&1) || fail "$reason: exit $?"
	got=$(field "$out" 'd["verify"]')
	[ "$got" = "{'run': False, 'reason': '$reason'}" ] && ok "$reason: not run" || fail "$reason: $got"
}
not_run palette AMXSHIM_FAKE_CPU=$F/sapphire-rapids-vm-zero-palettes-synthesized.txt
not_run disabled AMXSHIM_FAKE_CPU=$F/sapphire-rapids.txt AMXSHIM_DISABLE=1
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -e trace=clone,clone3,fork,vfork -o "$T/strace" "$B/amxinfo" --verify >/dev/null 2>&1
	if "$B/amxinfo" --check --request; then
		echo "(this machine has usable AMX: the real no-child case is not reachable here)"
	elif [ -s "$T/strace" ]; then
		fail "amxinfo --verify made a child while AMX is not usable: $(cat "$T/strace")"
	else
		ok "real amxinfo --verify, AMX not usable: no child (strace)"
	fi
fi
# A request would be killed: the real tool on a machine where the decision says no must not make one.
if ! real_amx; then
	out=$("$SECCOMP" kill:0x1023-0x1023 "$B/amxinfo" --verify); rc=$?
	[ $rc = 0 ] && echo "$out" | grep -q 'not run: the decision says AMX is not usable' &&
		ok "real amxinfo --verify: no ARCH_REQ_XCOMP_PERM" || fail "real --verify under seccomp: exit $rc: $out"
fi
finish
