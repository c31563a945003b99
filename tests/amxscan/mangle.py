#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Makes malformed ELF files from a good one: mangle.py IN OUT OP [ARGS...]
  truncate N                 keep the first N bytes
  ehdr FIELD VALUE           set an ELF header field (ei_class e_type e_machine e_phoff e_shoff
                             e_phnum e_shnum e_shstrndx)
  shdr SECTION FIELD VALUE   set a field (sh_offset sh_size sh_entsize sh_link sh_type) of a named section
  noshdr                     drop the section header table (what sstrip does)
  flip SEED COUNT            overwrite COUNT random bytes of the headers (ELF, program, section)
  sweep DIR                  write many damaged copies into DIR (OUT unused): truncations and flips"""
import random
import struct
import sys

EHDR = {"ei_class": (4, "B"), "e_type": (16, "H"), "e_machine": (18, "H"), "e_phoff": (32, "Q"),
        "e_shoff": (40, "Q"), "e_phnum": (56, "H"), "e_shnum": (60, "H"), "e_shstrndx": (62, "H")}
SHDR = {"sh_type": (4, "I"), "sh_offset": (24, "Q"), "sh_size": (32, "Q"), "sh_link": (40, "I"),
        "sh_entsize": (56, "Q")}


def get(buf, off, fmt):
    return struct.unpack_from("<" + fmt, buf, off)[0]


def put(buf, off, fmt, value):
    struct.pack_into("<" + fmt, buf, off, value & ((1 << (8 * struct.calcsize(fmt))) - 1))


def section_header(buf, name):
    shoff, shnum, shstrndx = get(buf, 40, "Q"), get(buf, 60, "H"), get(buf, 62, "H")
    strtab = get(buf, shoff + 64 * shstrndx + 24, "Q")
    for i in range(shnum):
        hdr = shoff + 64 * i
        start = strtab + get(buf, hdr, "I")
        if buf[start:buf.index(b"\0", start)].decode() == name:
            return hdr
    sys.exit(f"mangle.py: no section {name}")


def flip(buf, seed, count):
    rng = random.Random(seed)
    shoff, shnum = get(buf, 40, "Q"), get(buf, 60, "H")
    phoff, phnum = get(buf, 32, "Q"), get(buf, 56, "H")
    spots = list(range(64)) + list(range(phoff, phoff + 56 * phnum)) + list(range(shoff, shoff + 64 * shnum))
    for _ in range(count):
        buf[rng.choice(spots)] = rng.randrange(256)


def sweep(orig, outdir):
    """Every cut near the headers and every 397 bytes after, the last section headers cut, and 150
    random header corruptions of 4 bytes each."""
    size = len(orig)
    cuts = [0, 1, 4, 5, 17, 52, 63, 64, 65, 120, 200] + list(range(300, size, 397)) + [size - 64, size - 65]
    for cut in cuts:
        with open(f"{outdir}/cut-{cut}", "wb") as f:
            f.write(orig[:cut])
    for seed in range(1, 151):
        buf = bytearray(orig)
        flip(buf, seed, 4)
        with open(f"{outdir}/flip-{seed}", "wb") as f:
            f.write(buf)


def main():
    src, dst, op, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    with open(src, "rb") as f:
        buf = bytearray(f.read())
    if op == "sweep":
        sweep(bytes(buf), args[0])
        return
    if op == "truncate":
        buf = buf[: int(args[0], 0)]
    elif op == "ehdr":
        off, fmt = EHDR[args[0]]
        put(buf, off, fmt, int(args[1], 0))
    elif op == "shdr":
        off, fmt = SHDR[args[1]]
        put(buf, section_header(buf, args[0]) + off, fmt, int(args[2], 0))
    elif op == "noshdr":
        for field in ("e_shoff", "e_shnum", "e_shstrndx"):
            put(buf, EHDR[field][0], EHDR[field][1], 0)
    elif op == "flip":
        flip(buf, int(args[0]), int(args[1]))
    else:
        sys.exit(f"mangle.py: unknown operation {op}")
    with open(dst, "wb") as f:
        f.write(buf)


main()
