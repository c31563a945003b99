#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Ground truth for the manifest, from objdump -d (not from amxscan): groundtruth.py FILE
Prints how many instructions use 0x1023 as an immediate (mov/cmp/...), as a displacement or branch
target, and every call of syscall/arch_prctl (PLT, GOT or direct) and every SYSCALL instruction
with the 8 instructions before it, for a person to read."""
import re
import subprocess
import sys

path = sys.argv[1]
dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "-w", path], capture_output=True, text=True).stdout
lines = [l for l in dis.split("\n") if re.match(r"^\s+[0-9a-f]+:\t", l)]
imm = sum(1 for l in lines if "$0x1023," in l)
other = sum(1 for l in lines if "0x1023" in l and "$0x1023," not in l)
print(f"{path}: {len(lines)} instructions, {imm} with immediate $0x1023, {other} with 0x1023 elsewhere")
call = re.compile(r"\t(call|jmp)\s.*<(syscall|arch_prctl|__arch_prctl)(@plt)?>|\tcall\s+\*.*# .*<(syscall|arch_prctl)@|\tsyscall\s*$")
n = 0
for i, l in enumerate(lines):
    if call.search(l):
        window = lines[max(0, i - 8):i + 1]
        if any("0x9e" in w or "0x1023" in w for w in window) or "syscall" not in l.split("\t")[-1][:7]:
            n += 1
            print("----")
            print("\n".join(window))
print(f"{n} carrier sites shown")
