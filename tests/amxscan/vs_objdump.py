#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compares amxscan's AMX sites with objdump -d: vs_objdump.py BINARY JSONFILE.
Every site must be an objdump line at the same section and address with the same mnemonic, and
objdump must show no AMX instruction that amxscan missed. The one accepted difference: objdump from
binutils < 2.41 does not know AMX-COMPLEX (tcmmimfp16ps, tcmmrlfp16ps): it prints (bad) after 4 of the
5 bytes and, out of step, runs the next instructions together (a tcmm right after one is then lost)."""
import json
import re
import subprocess
import sys

AMX = {"ldtilecfg", "sttilecfg", "tilerelease", "tilezero", "tileloadd", "tileloaddt1", "tilestored",
       "tdpbf16ps", "tdpfp16ps", "tdpbssd", "tdpbsud", "tdpbusd", "tdpbuud", "tcmmimfp16ps", "tcmmrlfp16ps"}
COMPLEX = {"tcmmimfp16ps", "tcmmrlfp16ps"}

binary, jpath = sys.argv[1], sys.argv[2]
with open(jpath, encoding="utf-8") as f:
    result = json.loads(f.readline())

dis = subprocess.run(["objdump", "-d", "--insn-width=16", binary], capture_output=True, text=True,
                     check=True).stdout
objdump = {}  # (section, address) -> first word of the instruction text
section = None
for line in dis.splitlines():
    m = re.match(r"Disassembly of section (\S+):", line)
    if m:
        section = m.group(1)
        continue
    m = re.match(r"\s*([0-9a-f]+):\t[0-9a-f ]+\t(\S+)", line)
    if m:
        objdump[(section, int(m.group(1), 16))] = m.group(2)

problems, notes = [], []
ours = {(s["section"], s["address"]): s["mnemonic"] for s in result["sites"]}
for key, mnem in sorted(ours.items()):
    theirs = objdump.get(key)
    if theirs == mnem:
        continue
    if mnem in COMPLEX and theirs == "(bad)":
        notes.append(f"{mnem} at {key[0]}+{key[1]:#x}: objdump says (bad) (binutils < 2.41 lacks AMX-COMPLEX)")
        continue
    if mnem in COMPLEX and theirs is None and any(objdump.get((key[0], key[1] - k)) == "(bad)" for k in range(1, 16)):
        notes.append(f"{mnem} at {key[0]}+{key[1]:#x}: objdump out of step after a (bad) just before")
        continue
    problems.append(f"amxscan: {mnem} at {key[0]}+{key[1]:#x}, objdump: {theirs}")
for key, mnem in sorted(objdump.items()):
    if mnem in AMX and key not in ours:
        problems.append(f"objdump: {mnem} at {key[0]}+{key[1]:#x}, amxscan: nothing")

counts = {m: 0 for m in AMX}
for mnem in objdump.values():
    if mnem in counts:
        counts[mnem] += 1
print(f"{binary}: amxscan {result['amx_total']}, objdump {sum(counts.values())}")
for n in notes:
    print("  note: " + n)
for p in problems:
    print("  DIFFERENCE: " + p)
sys.exit(1 if problems else 0)
