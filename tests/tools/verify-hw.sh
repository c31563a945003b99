#!/bin/sh
# SPDX-License-Identifier: MIT
# amxinfo --verify on real AMX: every sub-feature the decision calls usable must run (exit 0), and the parent
# must still hold no permission. SKIP where the decision says AMX cannot be made usable.
. "$(dirname "$0")/../lib.sh"
need_built "$B/amxinfo" "$H/amxtruth"
real_amx || skip "AMX is not usable here ($("$H/amxtruth" reason))"
out=$("$B/amxinfo" --verify --json); rc=$?
echo "$out"
[ $rc = 0 ] && ok "amxinfo --verify exits 0" || fail "amxinfo --verify exit $rc"
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
' && ok "every advertised sub-feature runs" || fail "verify results"
finish
