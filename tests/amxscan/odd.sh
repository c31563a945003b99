#!/bin/sh
# SPDX-License-Identifier: MIT
# Trees and odd files: -r skips other machines, core files and non-ELF files without exit 2, scans
# ar archives member by member; may-need-shim from JIT evidence; static executables; the GNU property
# TMM bit; a non-UTF-8 file name comes back byte for byte from --json; --version; -j keeps the order.
. "$(dirname "$0")/../lib.sh"
# The fixtures are GNU-toolchain inputs (AT&T AMX mnemonics GNU as knows, -Wa,-mx86-used-note, GNU as
# relocation choices in .o files), their expected results read from GNU objdump: built with gcc whatever
# CC is, since amxscan, not the compiler, is under test here.
FCC=${AMXSCAN_FIXTURE_CC:-gcc}
SCAN=$B/amxscan
TD=tests/amxscan
FX=$TD/fixtures
W=$T
[ -x "$SCAN" ] || { fail "$SCAN is not built"; finish; }
need_tool python3
mkdir -p "$W/tree" || exit 1

"$FCC" -O1 -c -mamx-tile -mamx-int8 -mamx-bf16 -Wa,-mx86-used-note=yes -o "$W/amx.o" $FX/amx_all.c || exit 1
"$FCC" -O2 -c -o "$W/noamx.o" $FX/noamx.c || exit 1
ar rcs "$W/tree/libmix.a" "$W/noamx.o" "$W/amx.o" || exit 1
"$FCC" -O2 -o "$W/tree/prog" $FX/noamx.c || exit 1
python3 $TD/mangle.py "$W/tree/prog" "$W/tree/prog.arm64" ehdr e_machine 183 || exit 1
python3 $TD/mangle.py "$W/tree/prog" "$W/tree/core" ehdr e_type 4 || exit 1
echo "#!/bin/sh" >"$W/tree/script"
# a JIT library: oneDNN's AMX tile configuration entry point, no AMX instruction, no request
printf 'void amx_tile_configure(const char *p) { (void)p; }\n' >"$W/jit.c"
"$FCC" -O2 -shared -fPIC -o "$W/tree/libjit.so" "$W/jit.c" || exit 1

timeout 60 "$SCAN" -r -j1 --quiet "$W/tree" >"$W/out" 2>"$W/err"
rc=$?
[ "$rc" = 1 ] && ok "-r tree: exit 1" || fail "-r tree: exit $rc (want 1: the archive member needs the shim); $(cat "$W/err")"
printf '%s\n' "$W/tree/libjit.so: may-need-shim" "$W/tree/libmix.a(noamx.o): no-amx" "$W/tree/libmix.a(amx.o): needs-shim" \
	"$W/tree/prog: no-amx" "amxscan: 3 files skipped: 3 not x86-64 code, 0 not regular files (--verbose names them)" >"$W/want"
cmp -s "$W/out" "$W/want" && ok "-r tree output" || fail "-r tree output: $(cat "$W/out")"
[ ! -s "$W/err" ] && ok "-r --quiet: stderr empty" || fail "-r --quiet wrote on stderr: $(cat "$W/err")"
timeout 60 "$SCAN" -r -j3 --quiet "$W/tree" >"$W/out3" 2>/dev/null
cmp -s "$W/out" "$W/out3" && ok "-j3: the same output as -j1" || fail "-j3 changed the output"
timeout 60 "$SCAN" -r --verbose --quiet "$W/tree" >/dev/null 2>"$W/err"
for f in prog.arm64 core script; do
	grep -q "^amxscan: $W/tree/$f: skipped: " "$W/err" && ok "--verbose names $f" || fail "--verbose does not name $f: $(cat "$W/err")"
done

# x32 objects are the same instruction set: decoded like x86-64, same counts
as --x32 -o "$W/forms-x32.o" $FX/amx_forms.s && as --64 -o "$W/forms-64.o" $FX/amx_forms.s || exit 1
timeout 20 "$SCAN" --json "$W/forms-x32.o" "$W/forms-64.o" >"$W/j" 2>"$W/err"
python3 - "$W/j" <<'PY' && ok "x32 object" || fail "x32 object: $(cat "$W/err")"
import json, sys
a, b = [json.loads(l) for l in open(sys.argv[1])]
assert a["amx_total"] == b["amx_total"] > 0 and a["counts"] == b["counts"] and a["verdict"] == "needs-shim", (a, b)
PY
# a separate debug file (code sections NOBITS) is skipped, not read as code
objcopy --only-keep-debug "$W/tree/prog" "$W/prog.debug" || exit 1
timeout 20 "$SCAN" --quiet "$W/prog.debug" >"$W/out" 2>"$W/err"
rc=$?
[ "$rc" = 0 ] && [ ! -s "$W/out" ] && grep -q "skipped: debug-only file" "$W/err" && ok "debug-only file" || fail "debug-only file: exit $rc, $(cat "$W/out" "$W/err")"

timeout 20 "$SCAN" --json "$W/tree/libjit.so" "$W/amx.o" >"$W/j" 2>"$W/err"
python3 - "$W/j" <<'PY' && ok "JIT / GNU property JSON" || fail "JIT / GNU property JSON"
import json, sys
a, b = [json.loads(l) for l in open(sys.argv[1])]
assert a["verdict"] == "may-need-shim" and a["jit_evidence"] and "amx_tile_configure" in a["jit_evidence"][0], a
assert b["gnu_property_tmm"] is True and b["static"] is False, b
PY

if "$FCC" -O2 -static -o "$W/static" $FX/noamx.c 2>/dev/null; then
	timeout 20 "$SCAN" --json "$W/static" >"$W/j" 2>&1
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["static"] else 1)' "$W/j" &&
		ok "static executable marked static" ||
		fail "static executable not marked: $(cat "$W/j")"
	timeout 20 "$SCAN" "$W/static" | grep -q "statically linked.*amxrun" && ok "static: amxrun advice" || fail "static: no amxrun advice"
fi

# a file name with bytes that are not UTF-8 comes back exactly through file_base64
name=$(printf "$W/bad\\377\\376name")
cp "$W/tree/prog" "$name" || exit 1
timeout 20 "$SCAN" --json "$name" >"$W/j" 2>&1
python3 - "$W/j" "$W" <<'PY' && ok "non-UTF-8 name round-trips" || fail "non-UTF-8 name does not round-trip"
import base64, json, os, sys
d = json.loads(open(sys.argv[1], encoding="utf-8").read())
raw = base64.b64decode(d["file_base64"])
assert raw == os.fsencode(sys.argv[2]) + b"/bad\xff\xfename", raw
assert os.path.exists(raw)
PY

# --deps: a program whose AMX is in a library found through DT_RUNPATH $ORIGIN/lib, plus a library
# found through LD_LIBRARY_PATH; each object listed once, the program's verdict the worst of them.
mkdir -p "$W/app/lib" "$W/ldp" || exit 1
"$FCC" -O2 -shared -fPIC -o "$W/app/lib/libifunc.so" $FX/libifunc.c || exit 1
printf 'int helper(void) { return 1; }\n' >"$W/helper.c"
"$FCC" -O2 -shared -fPIC -o "$W/ldp/libhelper.so" "$W/helper.c" || exit 1
printf 'int helper(void);\nint main(void) { return helper(); }\n' >"$W/main.c"
"$FCC" -O2 -o "$W/app/prog" "$W/main.c" -L"$W/app/lib" -L"$W/ldp" -Wl,--no-as-needed -lifunc -lhelper \
	-Wl,--enable-new-dtags,-rpath,'$ORIGIN/lib' || exit 1
LD_LIBRARY_PATH="$W/ldp" timeout 20 "$SCAN" --deps --quiet "$W/app/prog" "$W/app/prog" >"$W/out" 2>"$W/err"
rc=$?
[ "$rc" = 1 ] && ok "--deps: exit 1" || fail "--deps: exit $rc, want 1 (libifunc.so needs the shim): $(cat "$W/err")"
grep -q "/app/lib/libifunc.so: needs-shim$" "$W/out" && ok "--deps: \$ORIGIN runpath followed" || fail "--deps: \$ORIGIN runpath not followed: $(cat "$W/out")"
grep -q "/ldp/libhelper.so: no-amx$" "$W/out" && ok "--deps: LD_LIBRARY_PATH followed" || fail "--deps: LD_LIBRARY_PATH not followed: $(cat "$W/out")"
grep -q "libc.so.6: no-amx$" "$W/out" && ok "--deps: libc found through ld.so.cache" || fail "--deps: libc not found through ld.so.cache: $(cat "$W/out")"
[ "$(grep -c "libifunc.so: " "$W/out")" = 1 ] && ok "--deps: each object listed once" || fail "--deps: an object listed twice: $(cat "$W/out")"
[ "$(grep -c "^$W/app/prog: needs-shim (program: the worst of 5 objects)$" "$W/out")" = 2 ] &&
	ok "--deps: program verdicts, each once" ||
	fail "--deps: program verdicts: $(cat "$W/out")"
timeout 20 "$SCAN" --deps --quiet "$W/app/prog" >"$W/out" 2>"$W/err"
grep -q "needs libhelper.so, which ld.so would not find" "$W/err" && ok "--deps: missing library named" || fail "--deps: missing library not named: $(cat "$W/err")"

# --pid: the objects a running process has mapped, here an AMX library it preloads
LD_PRELOAD="$W/app/lib/libifunc.so" sleep 20 &
pid=$!
sleep 0.5
timeout 20 "$SCAN" --pid $pid --quiet >"$W/out" 2>"$W/err"
rc=$?
kill $pid 2>/dev/null
[ "$rc" = 1 ] && ok "--pid: exit 1" || fail "--pid: exit $rc, want 1: $(cat "$W/err")"
grep -q "libifunc.so: needs-shim$" "$W/out" && grep -q "^pid $pid: needs-shim (program" "$W/out" &&
	ok "--pid: the preloaded library needs the shim" ||
	fail "--pid: $(cat "$W/out")"

# a file whose size changes while it is read is an error for that file only (here /proc/self/maps,
# which stat calls empty and which then reads as text); the next file is still scanned
timeout 20 "$SCAN" --quiet /proc/self/maps "$W/tree/prog" >"$W/out" 2>"$W/err"
rc=$?
[ "$rc" = 2 ] && ok "size change: exit 2" || fail "size change: exit $rc, want 2"
grep -q "^amxscan: /proc/self/maps: the file grew while it was read$" "$W/err" && ok "size change: named on stderr" || fail "size change: $(cat "$W/err")"
grep -q "/tree/prog: no-amx$" "$W/out" && ok "size change: the next file scanned" || fail "size change: the next file was not scanned: $(cat "$W/out")"

# amxscan on itself: it holds the JIT patterns, so it must not hold them as the strings it looks for
timeout 20 "$SCAN" --quiet "$SCAN" >"$W/out" 2>&1
[ "$(cat "$W/out")" = "$SCAN: no-amx" ] && ok "self-scan" || fail "self-scan: $(cat "$W/out")"

# a file cut short while it is mapped (SIGBUS on the pages past its new end) is an error for that
# file only: no report for it, the files after it are scanned, exit 2
"$FCC" -O2 -shared -fPIC -o "$W/truncate_on_mmap.so" $FX/truncate_on_mmap.c -ldl || exit 1
cp "$SCAN" "$W/victim" || exit 1
victim=$(readlink -f "$W/victim")
LD_PRELOAD="$W/truncate_on_mmap.so" TRUNCATE_ON_MMAP="$victim" timeout 20 "$SCAN" -j1 --quiet "$victim" "$W/tree/prog" \
	>"$W/out" 2>"$W/err"
rc=$?
[ "$(wc -c <"$W/victim")" = 4096 ] && ok "shrink: the helper cut the file" || fail "shrink: the helper did not cut the file"
[ "$rc" = 2 ] && ok "shrink: exit 2" || fail "shrink: exit $rc (want 2; 135 is death by SIGBUS): $(cat "$W/err")"
grep -q "^amxscan: $victim: the file changed while it was read$" "$W/err" && ok "shrink: named on stderr" || fail "shrink: $(cat "$W/err")"
[ "$(cat "$W/out")" = "$W/tree/prog: no-amx" ] && ok "shrink: the next file scanned" || fail "shrink: stdout $(cat "$W/out")"

v=$(timeout 5 "$SCAN" --version)
want=$(sed -n 's/^#define AMXSHIM_VERSION_STRING "\(.*\)"$/\1/p' include/amxshim/resolver.h)
[ -n "$want" ] && [ "$v" = "amxscan (amxshim) $want" ] && ok "--version: $v" || fail "--version printed '$v', header says '$want'"

finish
