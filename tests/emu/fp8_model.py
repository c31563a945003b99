#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks libamxemu's AMX-FP8 dot products (printed by fp8-cases) against an exact rational model written
from the rules in emu/README.md ("AMX-FP8 rules"), independent of emu/fp8.c: values are Python Fractions,
the sum over K is exact, then rounded once to FP32 (ties to even), then added to C (DAZ on C, FTZ, RNE)."""
import os
import struct
import subprocess
import sys
from fractions import Fraction

QNAN = 0xFFC00000
NAN, INF = "nan", "inf"


def fp8(v, hf8):
    """(kind, sign, value) of an FP8 byte: BF8 = E5M2 bias 15, HF8 = E4M3 bias 7 (OCP FP8)."""
    sign = -1 if v & 0x80 else 1
    if hf8:
        e, m = (v >> 3) & 15, v & 7
        if e == 15 and m == 7:
            return NAN, sign, None
        val = Fraction(m, 8) * Fraction(2) ** -6 if e == 0 else (1 + Fraction(m, 8)) * Fraction(2) ** (e - 7)
    else:
        e, m = (v >> 2) & 31, v & 3
        if e == 31:
            return (INF if m == 0 else NAN), sign, None
        val = Fraction(m, 4) * Fraction(2) ** -14 if e == 0 else (1 + Fraction(m, 4)) * Fraction(2) ** (e - 15)
    return "num", sign, sign * val


def f32_value(bits):
    return Fraction(struct.unpack("<f", struct.pack("<I", bits))[0])


def round_f32(x):
    """x rounded to 24 significant bits, ties to even (no overflow or underflow arises here)."""
    if x == 0:
        return Fraction(0)
    sign, a = (-1 if x < 0 else 1), abs(x)
    e = a.numerator.bit_length() - a.denominator.bit_length()
    while Fraction(2) ** e > a:
        e -= 1
    while Fraction(2) ** (e + 1) <= a:
        e += 1
    q = a / Fraction(2) ** (e - 23)
    r = q.numerator // q.denominator
    rem = q - r
    if rem > Fraction(1, 2) or (rem == Fraction(1, 2) and r % 2):
        r += 1
    return sign * r * Fraction(2) ** (e - 23)


def bits(x, negzero=False):
    if x == 0:
        return 0x80000000 if negzero else 0
    if abs(x) < Fraction(2) ** -126:  # FTZ
        return 0x80000000 if x < 0 else 0
    return struct.unpack("<I", struct.pack("<f", float(x)))[0]


def model(c, avals, bvals):
    if (c & 0x7FFFFFFF) > 0x7F800000:
        return QNAN
    pinf = ninf = False
    total = Fraction(0)
    for (ka, sa, va), (kb, sb, vb) in zip(avals, bvals):
        if NAN in (ka, kb):
            return QNAN
        if INF in (ka, kb):
            if (ka == "num" and va == 0) or (kb == "num" and vb == 0):
                return QNAN
            if sa * sb < 0:
                ninf = True
            else:
                pinf = True
            continue
        total += va * vb
    if pinf and ninf:
        return QNAN
    cinf = (c & 0x7FFFFFFF) == 0x7F800000
    csign = -1 if c >> 31 else 1
    if pinf or ninf:
        if cinf and (csign < 0) != ninf:
            return QNAN
        return 0xFF800000 if ninf else 0x7F800000
    if cinf:
        return c
    cval = Fraction(0) if (c & 0x7F800000) == 0 else f32_value(c)  # DAZ
    s = round_f32(total)  # an exact zero sum is +0
    r = round_f32(cval + s)
    return bits(r)  # -0 + +0 = +0: a zero result is +0 here


def main():
    build = os.environ.get("BUILD", "build")
    exe = os.path.join(build, "tests/emu/fp8-cases")
    out = subprocess.run([exe] + sys.argv[1:], check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    checked = bad = 0
    seen = set()
    kinds = {"nan": 0, "inf": 0, "finite": 0}
    for line in lines:
        name, m, k, n, ha, hb, hc, hout = line.split()
        m, k, n = int(m), int(k), int(n)
        a_hf8 = name in ("tdphbf8ps", "tdphf8ps")
        b_hf8 = name in ("tdpbhf8ps", "tdphf8ps")
        A = bytes.fromhex(ha)
        B = bytes.fromhex(hb)
        C = bytes.fromhex(hc)
        O = bytes.fromhex(hout)
        seen.add(name)
        for r in range(m):
            arow = [fp8(A[4 * k * r + j], a_hf8) for j in range(4 * k)]
            for col in range(n):
                e = 4 * (n * r + col)
                got = int.from_bytes(O[e:e + 4], "little")
                c = int.from_bytes(C[e:e + 4], "little")
                bcol = [fp8(B[4 * n * kk + 4 * col + i], b_hf8) for kk in range(k) for i in range(4)]
                want = model(c, arow, bcol)
                checked += 1
                kinds["nan" if want == QNAN else "inf" if want & 0x7FFFFFFF == 0x7F800000 else "finite"] += 1
                if got != want:
                    bad += 1
                    if bad <= 10:
                        print(f"{name} m{m} k{k} n{n} C[{r}][{col}]: emulated {got:08x}, model {want:08x}")
    print(f"{len(lines)} cases, {checked} elements checked ({kinds}), {bad} differ; instructions: {sorted(seen)}")
    if len(seen) != 4 or not lines:
        print("FAIL: not every AMX-FP8 instruction ran")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
