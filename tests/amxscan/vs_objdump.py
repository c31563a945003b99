#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compares amxscan's AMX sites with objdump -d: vs_objdump.py BINARY JSONFILE.
Environment: VS_OBJDUMP names the disassembler (default objdump; llvm-objdump-22 knows the next-generation
sets), VS_SECTIONS a comma-separated list of the sections to compare (default all).
Every site must be an objdump line at the same section and address with the same mnemonic, and
objdump must show no AMX instruction that amxscan missed. The one accepted difference: objdump from
binutils < 2.41 does not know AMX-COMPLEX (tcmmimfp16ps, tcmmrlfp16ps): it prints (bad) after 4 of the
5 bytes and, out of step, runs the next instructions together (a tcmm right after one is then lost)."""
import json
import os
import re
import subprocess
import sys

AMX = {"ldtilecfg", "sttilecfg", "tilerelease", "tilezero", "tileloadd", "tileloaddt1", "tilestored",
       "tdpbf16ps", "tdpfp16ps", "tdpbssd", "tdpbsud", "tdpbusd", "tdpbuud", "tcmmimfp16ps", "tcmmrlfp16ps"}
COMPLEX = {"tcmmimfp16ps", "tcmmrlfp16ps"}

binary, jpath = sys.argv[1], sys.argv[2]
with open(jpath, encoding="utf-8") as f:
    result = json.loads(f.readline())
tool = os.environ.get("VS_OBJDUMP", "objdump")
only = set(filter(None, os.environ.get("VS_SECTIONS", "").split(",")))
CLASSIC = set(AMX)
AMX |= set(result["counts"])  # every mnemonic of the ISA table, the new sets included
if tool == "objdump":  # binutils 2.40 prints (bad) for every next-generation set (AMX-FP8 in libamxkernels)
    COMPLEX |= AMX - CLASSIC

dis = subprocess.run([tool, "-d"] + (["--insn-width=16"] if tool == "objdump" else []) + [binary],
                     capture_output=True, text=True, check=True).stdout
objdump = {}  # (section, address) -> first word of the instruction text
section = None
for line in dis.splitlines():
    m = re.match(r"Disassembly of section (\S+):", line)
    if m:
        section = m.group(1)
        continue
    m = re.match(r"\s*([0-9a-f]+):\s+(?:[0-9a-f]{2} )*[0-9a-f]{2}\s*\t(?:\{evex\}\s+)?(\S+)", line)
    if m and (not only or section in only):
        objdump[(section, int(m.group(1), 16))] = m.group(2)

problems, notes = [], []
ours = {(s["section"], s["address"]): s["mnemonic"] for s in result["sites"] if not only or s["section"] in only}
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
print(f"{binary}: amxscan {len(ours)}, {tool} {sum(counts.values())}")
for n in notes:
    print("  note: " + n)
for p in problems:
    print("  DIFFERENCE: " + p)
sys.exit(1 if problems else 0)
