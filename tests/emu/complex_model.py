#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks libamxemu's AMX-COMPLEX products against an exact model written from the Operation section of
Intel's SDM for TCMMIMFP16PS/TCMMRLFP16PS (emu/README.md, "AMX-COMPLEX rules"), independent of emu/dot.c and
emu/fp.c: values are exact integers (units of 2^-200), each FMA and add is computed exactly and rounded once (RNE, FTZ,
DAZ), IEEE 754 rules for signed zeros, x86 rules for NaNs. complex-cases runs the instructions under
LD_PRELOAD=libamxemu.so (without the emulator they die of SIGILL on a CPU without AMX-COMPLEX) and prints
inputs and results; every result element is compared bit for bit. Usage: complex_model.py [cases] [seed]."""
import os
import subprocess
import sys

QNAN = 0xFFC00000  # x86 default NaN ("real indefinite")
S = 200  # values are exact integers in units of 2^-S: FP32 (down to 2^-149) and FP16 products (2^-48) fit
TINY = 1 << (S - 126)  # smallest normal FP32
HUGE = 1 << (S + 128)


# A working FP32 value: ("nan", bits), ("inf", negative), ("num", value in units of 2^-S, negative), the last
# flag only telling the sign of a zero.
def from_fp16(h):
    """Exact: FP16 subnormals are kept (the SDM: FP16 input denormals are not treated as zero)."""
    neg, e, m = bool(h & 0x8000), (h >> 10) & 31, h & 0x3FF
    if e == 31:
        return ("nan", (neg << 31) | 0x7F800000 | m << 13) if m else ("inf", neg)
    v = m << (S - 24) if e == 0 else (1024 + m) << (S + e - 25)
    return ("num", -v if neg else v, neg)


def from_fp32(u):
    """With DAZ: a subnormal reads as a zero of its sign."""
    neg, e, m = bool(u >> 31), (u >> 23) & 255, u & 0x7FFFFF
    if e == 255:
        return ("nan", u) if m else ("inf", neg)
    v = 0 if e == 0 else ((1 << 23) + m) << (S + e - 150)
    return ("num", -v if neg else v, neg)


def round_f32(x, zero_neg):
    """x (exact) rounded once to FP32: 24 bits, ties to even, overflow to Inf, tiny results (judged after
    rounding) flushed to a zero of x's sign. zero_neg: the sign of an exact zero."""
    if x == 0:
        return ("num", 0, zero_neg)
    neg, a = x < 0, abs(x)
    sh = a.bit_length() - 24  # bits below the 24 kept
    if sh > 0:
        r, rem = divmod(a, 1 << sh)
        half = 1 << (sh - 1)
        if rem > half or (rem == half and r % 2):
            r += 1
        a = r << sh
    if a >= HUGE:
        return ("inf", neg)
    if a < TINY:
        return ("num", 0, neg)
    return ("num", -a if neg else a, neg)


def to_bits(v):
    if v[0] == "nan":
        return v[1]
    if v[0] == "inf":
        return 0xFF800000 if v[1] else 0x7F800000
    x, neg = v[1], v[2]
    if x == 0:
        return 0x80000000 if neg else 0
    a = abs(x)
    e = a.bit_length() - 1  # a = 1.m * 2^e units
    assert a % (1 << (e - 23)) == 0 and -126 <= e - S <= 127
    return (x < 0) << 31 | (e - S + 127) << 23 | ((a >> (e - 23)) - (1 << 23))


def first_nan(*vals):
    """x86: the first NaN operand, quieted."""
    for v in vals:
        if v[0] == "nan":
            return ("nan", v[1] | 0x00400000)
    return None


def fma(a, b, c):
    """a * b + c, one rounding. NaN priority a, b, c (the operand order the emulator's TDPFP16PS was
    measured bit-exact with on hardware)."""
    nan = first_nan(a, b, c)
    if nan:
        return nan
    pneg = (a[1] if a[0] == "inf" else a[2]) != (b[1] if b[0] == "inf" else b[2])
    if "inf" in (a[0], b[0]):
        if (a[0] == "num" and a[1] == 0) or (b[0] == "num" and b[1] == 0):
            return ("nan", QNAN)  # Inf * 0
        if c[0] == "inf" and c[1] != pneg:
            return ("nan", QNAN)  # Inf - Inf
        return ("inf", pneg)
    if c[0] == "inf":
        return c
    p = (a[1] * b[1]) >> S  # exact: the product of two FP16 values is a multiple of 2^-48
    return round_f32(p + c[1], pneg and c[2])  # an exact zero sum is -0 only when both addends are -0


def add(x, y):
    nan = first_nan(x, y)
    if nan:
        return nan
    if x[0] == "inf" or y[0] == "inf":
        if x[0] == "inf" and y[0] == "inf" and x[1] != y[1]:
            return ("nan", QNAN)
        return x if x[0] == "inf" else y
    return round_f32(x[1] + y[1], x[2] and y[2])


def model(name, c, arow, bcol):
    """One element of C: the SDM's two FP32 lanes over K, added, then added to C."""
    lane0 = lane1 = ("num", 0, False)
    for x, y in zip(arow, bcol):
        ar, ai, br, bi = x & 0xFFFF, x >> 16, y & 0xFFFF, y >> 16
        if name == "tcmmimfp16ps":
            lane0 = fma(from_fp16(ai), from_fp16(br), lane0)
            lane1 = fma(from_fp16(ar), from_fp16(bi), lane1)
        else:  # tcmmrlfp16ps: the SDM negates the FP16 imaginary part of A before the conversion
            lane0 = fma(from_fp16(ar), from_fp16(br), lane0)
            lane1 = fma(from_fp16(ai ^ 0x8000), from_fp16(bi), lane1)
    return to_bits(add(from_fp32(c), add(lane0, lane1)))


def dwords(hexs):
    b = bytes.fromhex(hexs)
    return [int.from_bytes(b[i:i + 4], "little") for i in range(0, len(b), 4)]


def main():
    build = os.environ.get("BUILD", "build")
    exe = os.path.join(build, "tests/emu/complex-cases")
    emu = os.path.abspath(os.path.join(build, "libamxemu.so"))
    env = dict(os.environ, LD_PRELOAD=emu)
    env.pop("AMXEMU_DISABLE", None)
    proc = subprocess.run([exe] + sys.argv[1:], capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        print(f"FAIL: {exe} under LD_PRELOAD={emu} exited {proc.returncode} (-4: SIGILL, not emulated)")
        print(proc.stderr[-2000:])
        return 1
    lines = proc.stdout.splitlines()
    checked = bad = 0
    seen = set()
    kinds = {"nan": 0, "inf": 0, "+0": 0, "-0": 0, "finite": 0}
    for line in lines:
        name, m, k, n, ha, hb, hc, hout = line.split()
        m, k, n = int(m), int(k), int(n)
        A, B, C, O = dwords(ha), dwords(hb), dwords(hc), dwords(hout)
        seen.add(name)
        for r in range(m):
            for col in range(n):
                got, c = O[n * r + col], C[n * r + col]
                want = model(name, c, A[k * r:k * r + k], [B[n * kk + col] for kk in range(k)])
                checked += 1
                kinds["nan" if (want & 0x7FFFFFFF) > 0x7F800000 else "inf" if (want & 0x7FFFFFFF) == 0x7F800000
                      else "+0" if want == 0 else "-0" if want == 0x80000000 else "finite"] += 1
                if got != want:
                    bad += 1
                    if bad <= 10:
                        print(f"{name} m{m} k{k} n{n} C[{r}][{col}]: emulated {got:08x}, model {want:08x}")
    print(f"{len(lines)} cases, {checked} elements checked ({kinds}), {bad} differ; instructions: {sorted(seen)}")
    if seen != {"tcmmimfp16ps", "tcmmrlfp16ps"}:
        print("FAIL: not both AMX-COMPLEX instructions ran")
        return 1
    # (no -0 arises: the lanes start at +0, so a zero sum is +0, and -0 + +0 = +0 for a C of -0)
    if min(kinds[x] for x in ("nan", "inf", "+0", "finite")) == 0:
        print("FAIL: the cases missed a kind of result: the comparison proved less than it should")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
