#!/bin/sh
# SPDX-License-Identifier: MIT
# deploy/kubernetes: the YAML parses (python3-yaml), every amxshim label a selector names is one that
# amxinfo --nfd prints, with a string value it can have; the DaemonSet writes into NFD's features.d (the
# path of NFD v0.19's local source), and its script, run once here, leaves a valid feature file (no dot
# file) whose expiry directive NFD accepts. The image itself cannot be built here (no container runtime).
. "$(dirname "$0")/../lib.sh"
need_built "$B/amxinfo"
need_tool python3
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml is not installed"
"$B/amxinfo" --nfd >"$T/nfd" || fail "amxinfo --nfd: exit $?"
python3 - "$T/nfd" "$T/script" <<'EOF_PY' && ok "the YAML parses; selectors name only amxinfo --nfd's labels and values" || fail "deploy/kubernetes YAML"
import glob, sys, yaml
printed = {}
for line in open(sys.argv[1]):
    if not line.startswith("#") and "=" in line:
        k, v = line.strip().split("=", 1)
        printed[k] = v
# The values each label can take (amxinfo --nfd's documented sets).
bools = {"true", "false"}
verify = {"runs", "faults", "not-run"}
def possible(key):
    return verify if key.endswith(".verify") else bools if not key.endswith(("amx-reason", "version")) else None
docs = [d for f in sorted(glob.glob("deploy/kubernetes/*.yaml")) for d in yaml.safe_load_all(open(f))]
bad, selectors, script = [], 0, None
def walk(node, path):
    global selectors, script
    if isinstance(node, dict):
        if path.endswith("nodeSelector"):
            for k, v in node.items():
                check(k, [v], path)
        if "key" in node and "values" in node:
            check(node["key"], node["values"], path)
        if node.get("name") == "amxshim-nfd" and "args" in node:
            script = node["args"][0]
            mounts = [m["mountPath"] for m in node["volumeMounts"]]
            if "/etc/kubernetes/node-feature-discovery/features.d" not in mounts:
                bad.append("the DaemonSet does not mount NFD's features.d: %s" % mounts)
        for k, v in node.items():
            walk(v, path + "." + k)
    elif isinstance(node, list):
        for v in node:
            walk(v, path)
def check(key, values, path):
    global selectors
    if not key.startswith("feature.node.kubernetes.io/amxshim."):
        return
    selectors += 1
    if key not in printed:
        bad.append("%s: %s is not printed by amxinfo --nfd" % (path, key))
    for v in values:
        if not isinstance(v, str):
            bad.append("%s: %s: value %r is not a string (quote it)" % (path, key, v))
        elif possible(key) is not None and v not in possible(key):
            bad.append("%s: %s: value %r is never printed" % (path, key, v))
for d in docs:
    walk(d, d["kind"])
kinds = sorted(d["kind"] for d in docs)
if kinds != ["DaemonSet", "Deployment"] or selectors < 3 or script is None:
    bad.append("kinds %s, %d amxshim selectors, DaemonSet script %s" % (kinds, selectors, script is not None))
for b in bad:
    print("FAIL: " + b)
open(sys.argv[2], "w").write(script or "exit 99\n")
sys.exit(1 if bad else 0)
EOF_PY
grep -q 'amxinfo --nfd --verify' "$T/script" || fail "the DaemonSet does not run amxinfo --nfd --verify"

# The DaemonSet's script, once, into a scratch features.d, with the amxinfo built here.
mkdir "$T/features.d"
PATH=$B:$PATH FEATURES_DIR=$T/features.d ONCE=1 INTERVAL=60 sh "$T/script"; rc=$?
files=$(ls -A "$T/features.d")
if [ $rc != 0 ] && [ $rc != 3 ]; then
	fail "the DaemonSet script: exit $rc"
elif [ "$files" != amxshim ]; then
	fail "the DaemonSet script left: $files"
elif python3 tests/tools/nfd_check.py "$T/features.d/amxshim" >/dev/null &&
	grep -q '^# +expiry-time=20[0-9-]*T[0-9:]*Z$' "$T/features.d/amxshim"; then
	ok "the DaemonSet script writes a valid feature file with an expiry (exit $rc)"
else
	fail "the DaemonSet's file: $(cat "$T/features.d/amxshim")"
fi
# A failing amxinfo removes the labels rather than leave stale ones.
printf '#!/bin/sh\nexit 2\n' >"$T/amxinfo" && chmod +x "$T/amxinfo"
PATH=$T:$PATH FEATURES_DIR=$T/features.d ONCE=1 sh "$T/script" 2>/dev/null
[ -z "$(ls -A "$T/features.d")" ] && ok "amxinfo failing: the file is removed" || fail "left after a failure: $(ls -A "$T/features.d")"
grep -q '^FROM debian:bookworm' deploy/kubernetes/Dockerfile && grep -q 'amxshim_\*_amd64.deb' deploy/kubernetes/Dockerfile ||
	fail "the Dockerfile does not install our .deb on Debian 12"
finish
