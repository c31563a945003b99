#!/bin/sh
# SPDX-License-Identifier: MIT
# amxscan on the real-world corpus: every file of manifest.tsv (checked by sha256) and every patched
# copy must get exactly the verdict and request sites the manifest records. SKIP without a corpus
# (fetch it with `make realcheck` or tests/realworld/fetch.sh).
. "$(dirname "$0")/../lib.sh"
C=${AMXSCAN_CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/amxshim/realworld}
DIR=tests/realworld
W=$T # one per run: make check and make realcheck may overlap
[ -x "$B/amxscan" ] || { fail "$B/amxscan is not built"; finish; }
[ -d "$C/root" ] || skip "no corpus in $C (run make realcheck online)"
checked=0
grep -v '^#' "$DIR/manifest.tsv" >"$W/manifest"
while IFS='	' read -r src pkg ver file sum verdict sites _note; do
	case $src in
	patch:*) root=$C/root/${src#patch:}/$pkg@$ver ;;
	*) root=$C/root/$src/$pkg@$ver ;;
	esac
	orig=$root/$file
	[ -f "$orig" ] || { echo "note: $pkg@$ver $file not in the corpus, skipped"; continue; }
	if [ "${src%%:*}" = patch ]; then
		f=$W/patched$checked
		python3 - "$orig" "$f" "$sum" <<'PY' || { fail "patch $sum does not apply to $orig"; continue; }
import sys
src, dst, edit = sys.argv[1:]
old, new = (bytes.fromhex(x.replace(" ", "")) for x in edit.split(">"))
b = open(src, "rb").read()
assert b.count(old) == 1, "pattern not unique"
open(dst, "wb").write(b.replace(old, new))
PY
		name="$pkg@$ver $file patched ($sum)"
	else
		f=$orig
		[ "$(sha256sum <"$f" | cut -d' ' -f1)" = "$sum" ] || { fail "$f: sha256 differs from the manifest"; continue; }
		name="$pkg@$ver $file"
	fi
	timeout 120 "$B/amxscan" --json "$f" >"$W/out" 2>"$W/err"
	python3 - "$W/out" "$verdict" "$sites" "$name" <<'PY' && ok "$name" || fail "$name (above)"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
verdict, sites, name = sys.argv[2:]
want = [] if sites == "-" else sites.split(",")
worst = {"no-amx": 0, "requests-permission": 1, "may-need-shim": 2, "needs-shim": 3}
got_v = max((o["verdict"] for o in objs), key=lambda v: worst[v]) if objs else "none"
got_s = sorted(f'{s["function"] or s["section"]}+{s["offset"]:#x}' for o in objs for s in o["permission_request"]["sites"])
if got_v != verdict or got_s != sorted(want):
    print(f"{name}: {got_v} {got_s}, manifest says {verdict} {want}")
    sys.exit(1)
print(f"{name}: {got_v} {got_s}")
PY
	checked=$((checked + 1))
done <"$W/manifest"
# (a sha256 or patch failure is no skip)
[ "$checked" -gt 0 ] || [ "$checks_failed" -gt 0 ] || skip "corpus present but no file of the manifest in it"
echo "realworld: $checked files checked against the manifest"
finish
