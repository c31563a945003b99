#!/bin/sh
# SPDX-License-Identifier: MIT
# amxinfo --verify on real AMX: every sub-feature the decision calls usable must run (exit 0), and the parent
# must still hold no permission. SKIP where the decision says AMX cannot be made usable.
set -u
B=${BUILD:-build}
[ -x "$B/amxinfo" ] || { echo "skip: $B/amxinfo not built"; exit 77; }
for v in $(env | sed -n 's/^\(AMXSHIM_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
unset LD_PRELOAD
"$B/amxinfo" --check --request || { echo "skip: AMX is not usable here"; exit 77; }
out=$("$B/amxinfo" --verify --json); rc=$?
echo "$out"
[ $rc = 0 ] || { echo "FAIL: amxinfo --verify exit $rc"; exit 1; }
printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
v = d["verify"]
assert v["run"] and v["faulting"] == [], v
assert v["features"]["tile"]["result"] == "runs", v
for k, f in v["features"].items():
    want = "runs" if d["features"][k]["cpu"] else "not-tried"
    assert f["result"] == want, (k, f, d["features"][k])
assert d["reason"] == "not-requested", "the parent requested: " + d["reason"]
' || { echo "FAIL: verify results"; exit 1; }
echo "ok: every advertised sub-feature runs"
