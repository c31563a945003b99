#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Asserts facts about amxscan --json output: jcheck.py FILE EXPR...
FILE holds one JSON object per line; each EXPR is a Python expression over d (the first object) and
objs (all of them). Prints every false expression; exit 1 if any (or if the JSON does not parse)."""
import json
import sys

path, exprs = sys.argv[1], sys.argv[2:]
with open(path, encoding="utf-8") as f:
    lines = [ln for ln in f.read().split("\n") if ln]
objs = [json.loads(ln) for ln in lines]  # raises (exit 1) on malformed JSON
d = objs[0] if objs else {}
failed = 0
for e in exprs:
    try:
        ok = eval(e, {"d": d, "objs": objs, "sorted": sorted, "len": len, "set": set, "all": all, "any": any})
    except Exception as exc:  # a missing field is a failed assertion, not a crash of the test
        ok, e = False, f"{e}  ({type(exc).__name__}: {exc})"
    if not ok:
        failed += 1
        print(f"  assertion failed on {path}: {e}")
sys.exit(1 if failed else 0)
