#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""nextgen_check.py FIXTURE.s JSONFILE TEXTFILE: amxscan's sites in the object assembled from FIXTURE.s
are exactly the instructions its `.byte` lines name in their comments (function, offset, mnemonic), with
the set, encoding and removed flag the comment and the function imply; the `(not AMX: ...)` lines give
no site. The text report says "removed from the ISA; will #UD" once per removed mnemonic row."""
import json
import re
import sys

REMOVED_FUNCS = {"transpose_removed", "tf32_removed"}
SETS = {"fp8_kernel": "AMX-FP8", "movrs_kernel": "AMX-MOVRS", "avx512_kernel": "AMX-AVX512",
        "apx_tile_kernel": "AMX-TILE", "tf32_removed": "AMX-TF32", "transpose_removed": "AMX-TRANSPOSE"}

fixture, jpath, tpath = sys.argv[1:4]
expect, func, off = {}, None, 0
for line in open(fixture, encoding="utf-8"):
    m = re.match(r"(\w+):$", line.strip())
    if m:
        func, off = m.group(1), 0
        continue
    m = re.match(r"\s*\.byte ([^#]*)#\s*(\S+)(?:\s+(\S+))?", line)
    if not m:
        continue
    n = len(m.group(1).split(","))
    word = m.group(3) if m.group(2) == "{evex}" else m.group(2)
    if not word.startswith("("):
        expect[(func, off)] = (word, m.group(1).strip().startswith("0x62"))
    off += n

result = json.loads(open(jpath, encoding="utf-8").readline())
problems = []
ours = {}  # function -> sites; offsets are section offsets, so each function is aligned on its first
for s in result["sites"]:
    ours.setdefault(s["function"], []).append(s)
for fn in set(f for f, _ in expect) | set(ours):
    want = sorted((o, m, e) for (f, o), (m, e) in expect.items() if f == fn)
    have = sorted(ours.get(fn, []), key=lambda s: s["offset"])
    if not have or len(have) != len(want):
        problems.append(f"{fn}: {len(want)} expected, amxscan {len(have)}")
        continue
    base = have[0]["offset"] - want[0][0]
    for (o, m, evex), s in zip(want, have):
        where = f"{fn}+{o:#x}"
        if s["offset"] - base != o or s["mnemonic"] != m:
            problems.append(f"{where}: expected {m}, amxscan {s['mnemonic']} at +{s['offset'] - base:#x}")
        if s["encoding"] != ("evex" if evex else "vex"):
            problems.append(f"{where}: {m} encoding {s['encoding']}")
        if s["removed"] != (fn in REMOVED_FUNCS):
            problems.append(f"{where}: {m} removed={s['removed']}")
        want_set = SETS.get(fn)
        if s["set"] != want_set:
            problems.append(f"{where}: {m} set {s['set']}, expected {want_set}")
if "not_amx" in ours:
    problems.append(f"not_amx: amxscan reports {[s['mnemonic'] for s in ours['not_amx']]}")
if result["removed_total"] != sum(1 for (f, _) in expect if f in REMOVED_FUNCS):
    problems.append(f"removed_total {result['removed_total']}")
text = open(tpath, encoding="utf-8").read()
rows = [l for l in text.splitlines() if "removed from the ISA; will #UD" in l]
want_rows = {(m, e) for (f, _), (m, e) in expect.items() if f in REMOVED_FUNCS}
if len(rows) != len(want_rows):
    problems.append(f"text: {len(rows)} 'removed from the ISA' lines, expected {len(want_rows)}")
print(f"{fixture}: {len(expect)} instructions expected, {len(result['sites'])} sites")
for p in problems:
    print("  DIFFERENCE: " + p)
sys.exit(1 if problems else 0)
