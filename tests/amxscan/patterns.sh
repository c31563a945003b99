#!/bin/sh
# SPDX-License-Identifier: MIT
# Register tracking of permission requests: every calling pattern in fixtures/perm_patterns.s is found
# at its own function, every look-alike is not; as a shared object (PLT, GOT) and as an object file
# (relocations). Run from the repository root.
. "$(dirname "$0")/../lib.sh"
# The fixtures are GNU-toolchain inputs (AT&T AMX mnemonics GNU as knows, -Wa,-mx86-used-note, GNU as
# relocation choices in .o files), their expected results read from GNU objdump: built with gcc whatever
# CC is, since amxscan, not the compiler, is under test here.
FCC=${AMXSCAN_FIXTURE_CC:-gcc}
SCAN=$B/amxscan
TD=tests/amxscan
W=$T
[ -x "$SCAN" ] || { fail "$SCAN is not built"; finish; }
need_tool python3
"$FCC" -shared -fPIC -o "$W/libpat.so" $TD/fixtures/perm_patterns.s || { fail "cannot build libpat.so"; finish; }
"$FCC" -c -o "$W/pat.o" $TD/fixtures/perm_patterns.s || { fail "cannot build pat.o"; finish; }
for f in libpat.so pat.o; do
	timeout 20 "$SCAN" --json "$W/$f" >"$W/$f.json" 2>"$W/$f.err"
	rc=$?
	[ "$rc" = 0 ] && ok "$f: exit 0" || fail "$f: exit $rc: $(cat "$W/$f.err")"
	python3 - "$W/$f.json" "$f" "$TD/fixtures/perm_patterns.s" <<'PY' && ok "$f: the requests of perm_patterns.s" || fail "$f: requests (above)"
import json, re, sys
d = json.loads(open(sys.argv[1]).read())
name = sys.argv[2]
src = open(sys.argv[3]).read()
funcs = re.findall(r"^fn (\w+)$", src, re.M)
want = {k: sorted(f for f in funcs if f.startswith(k + "_")) for k in ("req", "possible", "other")}
if name.endswith(".o"):
    # an object file's call to a global function of its own is a relocation against it: private
    # wrappers are followed in linked files only (amxscan(1), LIMITATIONS)
    want["req"] = [f for f in want["req"] if f != "req_private"]
p = d["permission_request"]
got = {"req": sorted(s["function"] for s in p["sites"]),
       "possible": sorted(s["function"] for s in p["possible"]),
       "other": sorted(s["function"] for s in p["other_feature"])}
bad = 0
for k in want:
    if got[k] != want[k]:
        print(f"FAIL: {name}: {k}: got {got[k]}, want {want[k]}")
        bad = 1
if [s["feature"] for s in p["other_feature"]] != [19]:
    print(f"FAIL: {name}: other feature numbers {p['other_feature']}")
    bad = 1
via = {s["function"]: s["via"] for s in p["sites"]}
exp = {"req_syscall_plt": "syscall", "req_arch_prctl_plt": "arch_prctl", "req_inline": "inline-syscall",
       "req_private": "private-wrapper", "req_gotpcrel": "syscall", "req_got_reg": "syscall"}
for f, v in exp.items():
    if f in via and via[f] != v:
        print(f"FAIL: {name}: {f} via {via[f]}, want {v}")
        bad = 1
if d["verdict"] != "requests-permission":
    print(f"FAIL: {name}: verdict {d['verdict']}")
    bad = 1
print(f"{name}: {len(got['req'])} requests, {len(got['possible'])} possible, {len(got['other'])} other feature")
sys.exit(bad)
PY
done
# The same requests compiled from C, with the compilers and flags users build with.
for cc in gcc clang; do
	command -v $cc >/dev/null || { echo "note: $cc missing, its variants skipped"; continue; }
	for flags in -O0 -O2 -Os "-O2 -fno-plt" "-O2 -fPIE -pie" -Oz "-O2 -static"; do
		[ "$cc" = gcc ] && [ "$flags" = -Oz ] && continue
		out=$W/c-$cc$(echo "$flags" | tr -d ' ')
		$cc $flags -o "$out" $TD/fixtures/perm_c.c 2>/dev/null || { echo "note: $cc $flags cannot link, skipped"; continue; }
		timeout 20 "$SCAN" --json "$out" >"$out.json" 2>&1
		python3 - "$out.json" "$cc $flags" <<'PY' && ok "$cc $flags: the three requests" || fail "$cc $flags (above)"
import json, sys
d = json.loads(open(sys.argv[1]).read())
p = d["permission_request"]
got = sorted(s["function"] for s in p["sites"])
want = ["ask_arch_prctl", "ask_inline", "ask_syscall"]
if got != want or p["possible"] or p["other_feature"]:
    print(f"FAIL: {sys.argv[2]}: requests {got}, possible {p['possible']}, other {p['other_feature']}")
    sys.exit(1)
PY
	done
done

finish
