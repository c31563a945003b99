#!/bin/sh
# SPDX-License-Identifier: MIT
# amxscan on files as they are found in the field: stripped (every distribution binary), without
# section headers (sstrip) or with a useless e_shstrndx, section headers all zero, kernel images and
# modules; -r trees with FIFOs, sockets and foreign files (the summary, last, in every mode); --deps
# with a library ld.so would not find. Run from the repository root.
. "$(dirname "$0")/../lib.sh"
# GNU-toolchain fixtures, as in run.sh: gcc whatever CC is, since amxscan is under test here.
FCC=${AMXSCAN_FIXTURE_CC:-gcc}
SCAN=$B/amxscan
TD=tests/amxscan
FX=$TD/fixtures
W=$T
[ -x "$SCAN" ] || { fail "$SCAN is not built"; finish; }
need_tool python3 strip
for f in amxinfo libamxshim.so amxrun-exec libamxkernels.so; do
	[ -f "$B/$f" ] || { fail "$B/$f is not built"; finish; }
done

# verdict FILE: the --json verdict, or the exit status when there is none
verdict() { timeout 20 "$SCAN" --json "$1" 2>/dev/null | sed -n 's/^{"file":.*,"verdict":"\([a-z-]*\)".*/\1/p;q'; }

build() { out=$1; shift; "$@" -o "$W/$out" || { fail "cannot build fixture $out"; finish; }; }
build amx_perm "$FCC" -O2 -mamx-tile -mamx-int8 $FX/amx_perm.c
build amx_rawsys "$FCC" -O2 -mamx-tile $FX/amx_rawsys.c
build amx_all "$FCC" -O1 -mamx-tile -mamx-int8 -mamx-bf16 $FX/amx_all.c
build noamx "$FCC" -O2 $FX/noamx.c
build libifunc.so "$FCC" -O2 -shared -fPIC $FX/libifunc.c
build libpat.so "$FCC" -shared -fPIC $FX/perm_patterns.s

# --- 1. stripped: the same verdict as the unstripped build -------------------------------------
mkdir -p "$W/s" || exit 1
n=0
for f in "$B/amxinfo" "$B/libamxshim.so" "$B/amxrun-exec" "$B/libamxkernels.so" "$W/amx_perm" "$W/amx_rawsys" \
	"$W/amx_all" "$W/noamx" "$W/libifunc.so" "$W/libpat.so" $TD/corpus/*; do
	want=$(verdict "$f")
	for how in strip --strip-all --strip-unneeded; do
		out=$W/s/$(basename "$f")$how
		strip ${how#strip} -o "$out" "$f" 2>/dev/null || continue
		got=$(verdict "$out")
		n=$((n + 1))
		[ "$got" = "$want" ] || fail "$(basename "$f") after strip $how: '$got', unstripped '$want'"
	done
done
[ $n -gt 40 ] && ok "$n stripped files: the verdicts of their unstripped builds" || fail "only $n files could be stripped"
[ "$(verdict "$B/amxinfo")" = requests-permission ] && ok "amxinfo requests permission" || fail "amxinfo: $(verdict "$B/amxinfo")"
timeout 20 "$SCAN" "$W/s/amxinfo--strip-all" >"$W/out" 2>&1
grep -Eq '^  perm-request +yes at 0x[0-9a-f]+ \(private-wrapper\)$' "$W/out" && ok "stripped: the request at its address" ||
	fail "stripped amxinfo: $(grep perm-request "$W/out")"

# --- 3. no section headers, a useless e_shstrndx, section headers all zero -------------------------
python3 $TD/mangle.py "$W/amx_perm" "$W/perm.noshdr" noshdr || exit 1
python3 $TD/mangle.py "$W/amx_perm" "$W/perm.str0" ehdr e_shstrndx 0 || exit 1
python3 $TD/mangle.py "$W/amx_perm" "$W/perm.str999" ehdr e_shstrndx 999 || exit 1
python3 $TD/mangle.py "$B/libamxshim.so" "$W/shim.noshdr" noshdr || exit 1
for f in perm.noshdr perm.str0 perm.str999 shim.noshdr; do
	v=$(verdict "$W/$f")
	[ "$v" = requests-permission ] && ok "$f: requests-permission" || fail "$f: '$v', want requests-permission"
done
python3 - "$W/amx_all" "$W/all.zeroshdr" <<'PY' || exit 1
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
shoff, shnum = struct.unpack_from("<Q", b, 40)[0], struct.unpack_from("<H", b, 60)[0]
b[shoff:shoff + 64 * shnum] = bytes(64 * shnum)
open(sys.argv[2], "wb").write(b)
PY
timeout 20 "$SCAN" --json "$W/all.zeroshdr" >"$W/out" 2>"$W/err"
python3 $TD/jcheck.py "$W/out" 'd["verdict"] == "needs-shim"' 'd["amx_total"] == 15' 'd["source"] == "segments"' &&
	ok "section headers all zero: the PF_X segment walked" || fail "section headers all zero: $(cat "$W/out" "$W/err")"

# --- 4. a kernel module and a kernel image: what they are, no user-space advice --------------------
build kmod.ko "$FCC" -O2 -c $FX/kmod.c
build vmlinux "$FCC" -O2 -static -nostdlib -no-pie -fno-pie $FX/vmlinux.c
for k in "kmod.ko module" "vmlinux image"; do
	f=${k% *} what=${k#* }
	timeout 20 "$SCAN" "$W/$f" >"$W/out" 2>&1
	grep -q "^  kernel  *a Linux kernel $what: " "$W/out" && ok "$f: a Linux kernel $what" || fail "$f: $(cat "$W/out")"
	grep -Eq "statically linked|run it under amxrun" "$W/out" && fail "$f: user-space advice: $(cat "$W/out")" || ok "$f: no user-space advice"
	timeout 20 "$SCAN" --json "$W/$f" >"$W/out" 2>&1
	python3 $TD/jcheck.py "$W/out" "d['kernel'] == '$what'" 'd["static"] is False' 'd["counts"]["tilerelease"] == 1' &&
		ok "$f: JSON kernel $what" || fail "$f: JSON $(cat "$W/out")"
done
timeout 20 "$SCAN" --json "$W/amx_perm" >"$W/out" 2>&1
python3 $TD/jcheck.py "$W/out" 'd["kernel"] is None' && ok "a program is no kernel" || fail "amx_perm: kernel $(cat "$W/out")"

# --- 5, 6. -r: skipped files counted in every mode, the summary last on stdout ----------------------
D=$W/tree
mkdir -p "$D" || exit 1
cp "$W/amx_all" "$D/a-amx" && cp "$W/noamx" "$D/z-noamx" && echo text >"$D/readme" && mkfifo "$D/fifo" || exit 1
python3 $TD/mangle.py "$W/noamx" "$D/arm64" ehdr e_machine 183 || exit 1
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$D/sock" || exit 1
sum="amxscan: 4 files skipped: 2 not x86-64 code, 2 not regular files (--verbose names them)"
timeout 20 "$SCAN" -r "$D" >"$W/out" 2>"$W/err"
[ "$(tail -n 1 "$W/out")" = "$sum" ] && ok "table: the summary last on stdout" || fail "table: last line '$(tail -n 1 "$W/out")'"
[ "$(sed -n '/^  amx /p' "$W/out" | wc -l)" = 2 ] && [ ! -s "$W/err" ] && ok "table: both files, stderr empty" || fail "table: $(cat "$W/out" "$W/err")"
timeout 20 "$SCAN" -r --quiet "$D" >"$W/out" 2>"$W/err"
printf '%s\n' "$D/a-amx: needs-shim" "$D/z-noamx: no-amx" "$sum" >"$W/want"
cmp -s "$W/out" "$W/want" && [ ! -s "$W/err" ] && ok "--quiet: the same summary, last" || fail "--quiet: $(cat "$W/out" "$W/err")"
timeout 20 "$SCAN" -r --json "$D" >"$W/out" 2>"$W/err"
python3 - "$W/out" <<'PY' && [ ! -s "$W/err" ] && ok "--json: the summary as a last object" || fail "--json: $(tail -n 1 "$W/out") $(cat "$W/err")"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
assert [o.get("verdict") for o in objs[:2]] == ["needs-shim", "no-amx"], objs
assert objs[2] == {"skipped": {"total": 4, "not_x86_64_code": 2, "not_regular_file": 2}}, objs[2]
assert len(objs) == 3
PY
timeout 20 "$SCAN" -r --quiet --verbose "$D" >"$W/out" 2>"$W/err"
grep -q "^amxscan: $D/fifo: skipped: not a regular file$" "$W/err" && grep -q "^amxscan: $D/sock: skipped: not a regular file$" "$W/err" &&
	ok "--verbose names the FIFO and the socket" || fail "--verbose: $(cat "$W/err")"
timeout 20 "$SCAN" -r --quiet "$W/s" >"$W/out" 2>&1
grep -q "skipped" "$W/out" && fail "a tree without skipped files has a summary: $(tail -n 1 "$W/out")" || ok "nothing skipped: no summary"

# --- 7. --deps with a library ld.so would not find: unreadable, exit 2 -------------------------------
printf 'int helper(void) { return 1; }\n' >"$W/helper.c"
mkdir -p "$W/ldp" && "$FCC" -O2 -shared -fPIC -o "$W/ldp/libhelper.so" "$W/helper.c" || exit 1
printf 'int helper(void);\nint main(void) { return helper(); }\n' >"$W/main.c"
"$FCC" -O2 -o "$W/prog" "$W/main.c" -L"$W/ldp" -Wl,--no-as-needed -lhelper || exit 1
timeout 20 "$SCAN" --deps --quiet "$W/prog" >"$W/out" 2>"$W/err"
rc=$?
[ "$rc" = 2 ] && ok "--deps, a library missing: exit 2" || fail "--deps, a library missing: exit $rc"
grep -q "^$W/prog: unreadable (program: not found: libhelper.so; the worst of the [0-9]* found: no-amx)$" "$W/out" &&
	ok "--deps: the missing library in the verdict" || fail "--deps: $(cat "$W/out")"
grep -q "needs libhelper.so, which ld.so would not find" "$W/err" && ok "--deps: named on stderr" || fail "--deps: stderr $(cat "$W/err")"
timeout 20 "$SCAN" --deps --json "$W/prog" >"$W/out" 2>/dev/null
python3 $TD/jcheck.py "$W/out" 'objs[-1]["verdict"] == "unreadable"' 'objs[-1]["found_verdict"] == "no-amx"' \
	'objs[-1]["missing"] == ["libhelper.so"]' && ok "--deps --json: unreadable, missing named" || fail "--deps --json: $(tail -n 1 "$W/out")"
LD_LIBRARY_PATH="$W/ldp" timeout 20 "$SCAN" --deps --quiet "$W/prog" >"$W/out" 2>"$W/err"
rc=$?
[ "$rc" = 0 ] && grep -q "^$W/prog: no-amx (program: the worst of" "$W/out" && ok "--deps, all found: exit 0" || fail "--deps, all found: exit $rc $(cat "$W/out")"

finish
