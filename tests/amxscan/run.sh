#!/bin/sh
# SPDX-License-Identifier: MIT
# amxscan end to end: builds the fixtures from tests/amxscan/fixtures, checks every output field,
# compares with objdump -d on each fixture, and feeds it malformed files. Run from the repository root.
. "$(dirname "$0")/../lib.sh"
# The fixtures are GNU-toolchain inputs (AT&T AMX mnemonics GNU as knows, -Wa,-mx86-used-note, GNU as
# relocation choices in .o files), their expected results read from GNU objdump: built with gcc whatever
# CC is, since amxscan, not the compiler, is under test here.
FCC=${AMXSCAN_FIXTURE_CC:-gcc}
SCAN=$B/amxscan
TD=tests/amxscan
W=$T
FX=$TD/fixtures
[ -x "$SCAN" ] || { fail "$SCAN is not built (make $SCAN)"; finish; }
need_tool python3 objdump

# scan ARGS...: runs amxscan with a time limit; stdout in $W/out, stderr in $W/err, status in $rc.
scan() { timeout 20 "$SCAN" "$@" >"$W/out" 2>"$W/err"; rc=$?; }
expect_rc() { if [ "$rc" = "$1" ]; then ok "$2: exit $1"; else fail "$2: exit $rc, expected $1; stderr: $(head -c 300 "$W/err")"; fi; }
quiet_stderr() { [ ! -s "$W/err" ] || fail "$1: unexpected stderr: $(head -c 300 "$W/err")"; }
jcheck() { n=$1; shift; if python3 $TD/jcheck.py "$W/out" "$@"; then ok "$n: JSON"; else fail "$n: JSON assertions above"; fi; }
vs_objdump() { if python3 $TD/vs_objdump.py "$1" "$W/out"; then ok "$1: as objdump -d"; else fail "$1: differs from objdump -d"; fi; }

# --- fixtures, compiled now -------------------------------------------------------------------
CCF="$FCC -O1 -fno-pie -no-pie"
build() { out=$1; shift; "$@" -o "$W/$out" || { fail "cannot build fixture $out"; finish; }; }
build amx_all $CCF -mamx-tile -mamx-int8 -mamx-bf16 $FX/amx_all.c
build amx_all.o "$FCC" -O1 -c -mamx-tile -mamx-int8 -mamx-bf16 $FX/amx_all.c
build amx_perm "$FCC" -O2 -mamx-tile -mamx-int8 $FX/amx_perm.c
build amx_rawsys "$FCC" -O2 -mamx-tile $FX/amx_rawsys.c
build noamx "$FCC" -O2 $FX/noamx.c
build amx_hidden "$FCC" -O2 $FX/amx_hidden.c
build libifunc.so "$FCC" -O2 -shared -fPIC $FX/libifunc.c
strip -s -o "$W/amx_all.stripped" "$W/amx_all" || exit 1
strip -s -o "$W/amx_hidden.stripped" "$W/amx_hidden" || exit 1
python3 $TD/mangle.py "$W/amx_all" "$W/amx_all.noshdr" noshdr || exit 1
ALL15='list(d["counts"].values())[:15] == [1] * 15 and sum(d["counts"].values()) == 15'

# --- every instruction, attributed, no permission: needs-shim, exit 1 ---------------------------
scan --json "$W/amx_all"
expect_rc 1 amx_all; quiet_stderr amx_all
jcheck amx_all 'len(objs) == 1' 'd["file"].endswith("/amx_all")' 'd["verdict"] == "needs-shim"' \
	'd["amx_total"] == 15' "$ALL15" 'd["symbols"] == ".symtab"' 'd["source"] == "sections"' \
	'd["ifuncs"] == []' 'd["imports"] == []' 'd["permission_request"]["found"] is False' \
	'd["permission_request"]["possible"] == []' 'len(d["sites"]) == 15' \
	'all(s["section"] == ".text" for s in d["sites"])' \
	'set(s["function"] for s in d["sites"] if s["mnemonic"] in ("tdpfp16ps", "tcmmimfp16ps", "tcmmrlfp16ps")) == {"amx_newer"}' \
	'set(s["function"] for s in d["sites"] if s["mnemonic"] not in ("tdpfp16ps", "tcmmimfp16ps", "tcmmrlfp16ps")) == {"amx_tiles"}' \
	'[s["offset"] for s in d["sites"] if s["mnemonic"] == "tdpfp16ps"] == [0]'
vs_objdump "$W/amx_all"

# The table and --quiet say the same.
scan "$W/amx_all"
expect_rc 1 "amx_all table"
grep -qx "$W/amx_all: needs-shim" "$W/out" || fail "table: first line"
grep -Eq '^  amx +15$' "$W/out" || fail "table: amx total"
grep -Eq '^    tdpfp16ps +1  amx_newer\+0$' "$W/out" || fail "table: tdpfp16ps row"
grep -Eq '^  perm-request +no$' "$W/out" || fail "table: perm-request"
scan --quiet "$W/amx_all"
expect_rc 1 "amx_all quiet"
[ "$(cat "$W/out")" = "$W/amx_all: needs-shim" ] || fail "--quiet output: $(cat "$W/out")"

# Relocatable object: offsets are section offsets, functions still named.
scan --json "$W/amx_all.o"
expect_rc 1 amx_all.o; quiet_stderr amx_all.o
jcheck amx_all.o 'd["verdict"] == "needs-shim"' "$ALL15" \
	'set(s["function"] for s in d["sites"]) == {"amx_tiles", "amx_newer"}'
vs_objdump "$W/amx_all.o"

# Stripped: .dynsym only, so sites are section offsets; the counts must not change.
scan --json "$W/amx_all.stripped"
expect_rc 1 amx_all.stripped; quiet_stderr amx_all.stripped
jcheck amx_all.stripped 'd["symbols"] == ".dynsym"' "$ALL15" 'all(s["function"] is None for s in d["sites"])'
vs_objdump "$W/amx_all.stripped"

# No section headers at all: PF_X segments are walked. objdump -d shows nothing without sections,
# so compare with the unstripped file instead.
scan --json "$W/amx_all.noshdr"
expect_rc 1 amx_all.noshdr; quiet_stderr amx_all.noshdr
jcheck amx_all.noshdr 'd["source"] == "segments"' 'd["symbols"] is None' "$ALL15" \
	'all(s["section"] == "PT_LOAD" and s["function"] is None for s in d["sites"])'

# --- permission requests (register tracking) --------------------------------------------------------------
scan --json "$W/amx_perm"
expect_rc 0 amx_perm; quiet_stderr amx_perm
jcheck amx_perm 'd["verdict"] == "requests-permission"' 'd["imports"] == ["syscall"]' \
	'd["permission_request"]["found"] is True' \
	'[s["function"] for s in d["permission_request"]["sites"]] == ["main"]' \
	'd["amx_total"] == 7' 'd["counts"]["tileloadd"] == 2' 'd["counts"]["tdpbssd"] == 1' \
	'set(s["function"] for s in d["sites"]) == {"amx_dot"}'
vs_objdump "$W/amx_perm"

scan --json "$W/amx_rawsys"
expect_rc 0 amx_rawsys
jcheck amx_rawsys 'd["verdict"] == "requests-permission"' 'd["imports"] == []' \
	'[s["function"] for s in d["permission_request"]["sites"]] == ["ask"]' 'd["counts"]["tilerelease"] == 1'
vs_objdump "$W/amx_rawsys"

# printf("%d", 0x1023) is 0x1023 before a call, but nothing imports a wrapper: no request.
scan --json "$W/noamx"
expect_rc 0 noamx; quiet_stderr noamx
jcheck noamx 'd["verdict"] == "no-amx"' 'd["amx_total"] == 0' 'd["permission_request"]["found"] is False' \
	'd["sites"] == []'
vs_objdump "$W/noamx"

# --- AMX bytes that are not AMX instructions -----------------------------------------------------
# First make sure the bytes really are in the file, or this case would prove nothing.
python3 - "$W/amx_hidden" <<'PY' || fail "amx_hidden: the fixture lost its AMX byte patterns"
import sys
b = open(sys.argv[1], "rb").read()
sys.exit(0 if b.count(bytes.fromhex("c4e2725cda")) >= 2 and b.count(bytes.fromhex("c4e2735eda") * 2) == 1 else 1)
PY
scan --json "$W/amx_hidden"
expect_rc 0 amx_hidden; quiet_stderr amx_hidden
jcheck amx_hidden 'd["verdict"] == "no-amx"' 'd["amx_total"] == 0'
vs_objdump "$W/amx_hidden"
# Stripped, the table in .text loses its object symbol: both amxscan and objdump then decode it as
# code (2 tdpbssd). A known limit of any linear decoder; the immediate and .rodata still do not count.
scan --json "$W/amx_hidden.stripped"
expect_rc 1 amx_hidden.stripped
jcheck amx_hidden.stripped 'd["counts"]["tdpbssd"] == 2' 'd["amx_total"] == 2'
vs_objdump "$W/amx_hidden.stripped"

# --- shared library with IFUNCs ------------------------------------------------------------------
scan --json "$W/libifunc.so"
expect_rc 1 libifunc.so; quiet_stderr libifunc.so
jcheck libifunc.so 'd["verdict"] == "needs-shim"' 'sorted(d["ifuncs"]) == ["dot", "scale"]' \
	'd["counts"]["tdpbssd"] == 2' 'd["counts"]["tileloadd"] == 2' 'd["counts"]["tilerelease"] == 1' \
	'set(s["function"] for s in d["sites"]) == {"dot_amx"}'
vs_objdump "$W/libifunc.so"

# --- the project's own shim: no AMX instruction in it --------------------------------------------
if [ -f "$B/libamxshim.so" ]; then
	scan --json "$B/libamxshim.so"
	[ "$rc" = 0 ] || fail "libamxshim.so: exit $rc"
	jcheck libamxshim.so 'd["amx_total"] == 0' 'd["verdict"] in ("no-amx", "requests-permission")'
	vs_objdump "$B/libamxshim.so"
else
	echo "note: $B/libamxshim.so not built, its case skipped"
fi

# --- the example library: IFUNCs through the resolver, which asks the kernel itself -------------------
if [ -f "$B/libamxkernels.so" ]; then
	scan --json "$B/libamxkernels.so"
	expect_rc 0 libamxkernels.so
	jcheck libamxkernels.so 'd["verdict"] == "requests-permission"' \
		'sorted(d["ifuncs"]) == ["amxk_gemm_bf16", "amxk_gemm_hf8", "amxk_gemm_s8s8", "amxk_gemm_u8s8"]' \
		'd["counts"]["tdpbf16ps"] > 0 and d["counts"]["tdpbusd"] > 0 and d["counts"]["tdpbssd"] > 0' \
		'set(s["function"] for s in d["sites"]) == {"gemm_bf16_amx", "gemm_u8s8_amx", "gemm_s8s8_amx", "gemm_hf8_amx"}'
	vs_objdump "$B/libamxkernels.so"
else
	echo "note: $B/libamxkernels.so not built, its case skipped"
fi

# --- several files, directories -------------------------------------------------------------------
echo "just text" >"$W/notelf"
scan --json "$W/noamx" "$W/notelf" "$W/amx_all"
expect_rc 1 "mixed files"
jcheck "mixed files" 'len(objs) == 2' 'objs[0]["verdict"] == "no-amx"' 'objs[1]["verdict"] == "needs-shim"'
[ "$(wc -l <"$W/err")" = 1 ] && grep -q "^amxscan: $W/notelf: skipped: not an ELF file$" "$W/err" ||
	fail "mixed files: stderr: $(cat "$W/err")"

D=$W/tree
mkdir -p "$D/sub/deeper" && cp "$W/noamx" "$D/a-noamx" && cp "$W/amx_all" "$D/sub/b-amx" &&
	cp "$W/amx_perm" "$D/sub/deeper/c-perm" && echo text >"$D/sub/readme" &&
	ln -s ../a-noamx "$D/sub/link-to-file" && ln -s .. "$D/sub/deeper/link-up" &&
	ln -s loop2 "$D/loop1" && ln -s loop1 "$D/loop2" || exit 1
scan -r --quiet "$D"
expect_rc 1 "-r"; quiet_stderr "-r"
printf '%s\n' "$D/a-noamx: no-amx" "$D/sub/b-amx: needs-shim" "$D/sub/deeper/c-perm: requests-permission" \
	"amxscan: 1 file skipped: 1 not x86-64 code, 0 not regular files (--verbose names them)" >"$W/want"
cmp -s "$W/out" "$W/want" || fail "-r output differs: $(cat "$W/out")"
scan "$D"
expect_rc 2 "directory without -r"
grep -q "is a directory" "$W/err" || fail "directory without -r: $(cat "$W/err")"

scan
expect_rc 2 "no arguments"
[ -s "$W/out" ] && fail "usage printed on stdout"
scan --json --quiet "$W/noamx"
expect_rc 2 "--json --quiet"

# --- bad input: one line on stderr naming the file, exit 2, nothing on stdout ----------------------
# bad NAME EXPECTED-TEXT: scans $W/NAME and checks all that.
bad() {
	scan --json "$W/$1"
	expect_rc 2 "bad input $1"
	[ -s "$W/out" ] && fail "bad input $1: printed $(head -c 200 "$W/out")"
	[ "$(wc -l <"$W/err")" = 1 ] || fail "bad input $1: stderr is not one line: $(cat "$W/err")"
	grep -q "^amxscan: $W/$1: .*$2" "$W/err" || fail "bad input $1: stderr '$(cat "$W/err")' lacks '$2'"
}
mangle() { python3 $TD/mangle.py "$W/amx_all" "$W/$1" "$@" 2>/dev/null; }
# Files that are no x86-64 code are skipped with a note, never exit 2 (exit 2: could not be read).
skipped() {
	scan --json "$W/$1"
	expect_rc 0 "skipped $1"
	[ -s "$W/out" ] && fail "skipped $1: printed $(head -c 200 "$W/out")"
	grep -q "^amxscan: $W/$1: skipped: .*$2" "$W/err" || fail "skipped $1: stderr '$(cat "$W/err")' lacks '$2'"
}
: >"$W/empty";                                  skipped empty "empty file"
skipped notelf "not an ELF file"
mangle() { out=$1; shift; python3 $TD/mangle.py "$W/amx_all" "$W/$out" "$@" || fail "mangle $out"; }
mangle trunc16 truncate 16;                       bad trunc16 ""
size=$(wc -c <"$W/amx_all")
mangle trunc_half truncate $((size / 2));          bad trunc_half ""
mangle trunc_last truncate $((size - 1));          bad trunc_last "section header table lies outside"
mangle text_outside shdr .text sh_offset 0x7fffffff; bad text_outside "section .* (.text) lies outside the file"
mangle text_huge shdr .text sh_size 0xffffffffffff; bad text_huge "lies outside the file"
mangle symtab_huge shdr .symtab sh_size 0x7fffffffffff; bad symtab_huge "outside the file"
mangle arm64 ehdr e_machine 183;                  skipped arm64 "not x86-64 (e_machine 183)"
mangle core ehdr e_type 4;                        skipped core "core file"
mangle shoff_far ehdr e_shoff 0x7fffffffffff;     bad shoff_far "section header table lies outside the file"
mangle shnum_absurd ehdr e_shnum 0xffff;           bad shnum_absurd "section header table lies outside"
mangle noshdr_nophdr noshdr && python3 $TD/mangle.py "$W/noshdr_nophdr" "$W/noshdr_nophdr" ehdr e_phnum 0
bad noshdr_nophdr "neither section headers nor program headers"
if "$FCC" -m32 -o "$W/real32" $FX/noamx.c 2>/dev/null; then skipped real32 "32-bit"; fi
ln -s selfloop "$W/selfloop";                     bad selfloop "symbolic links"
mkfifo "$W/fifo";                                 bad fifo "not a regular file"
bad nonexistent "No such file"
scan /dev/null; expect_rc 2 /dev/null
cp "$W/noamx" "$W/unreadable" && chmod 000 "$W/unreadable"
if [ "$(id -u)" != 0 ]; then bad unreadable "Permission denied"; else echo "note: root reads anything, unreadable case skipped"; fi

# Empty sections are not an error: an empty .text has nothing to count, an empty .symtab no names.
mangle text_empty shdr .text sh_size 0
scan --json "$W/text_empty"
expect_rc 0 text_empty; quiet_stderr text_empty
jcheck text_empty 'd["amx_total"] == 0' 'd["verdict"] == "no-amx"'
mangle symtab_empty shdr .symtab sh_size 0
scan --json "$W/symtab_empty"
expect_rc 1 symtab_empty; quiet_stderr symtab_empty
jcheck symtab_empty "$ALL15" 'all(s["function"] is None for s in d["sites"])'

# Sweeps: truncation points near the headers and across the file, and random header damage.
# Each must end with exit 0, 1 or 2 (no signal, no hang); a failure says so in exactly one line.
mkdir -p "$W/sweep" && python3 $TD/mangle.py "$W/amx_all" - sweep "$W/sweep" || exit 1
n=0
for f in "$W"/sweep/*; do
	scan --json "$f"
	n=$((n + 1))
	case $rc in
	0 | 1) if [ -s "$W/out" ] || ! grep -q ": skipped: " "$W/err"; then
		python3 $TD/jcheck.py "$W/out" 'len(objs) == 1' >/dev/null || fail "sweep $f: bad JSON"
	fi ;;
	2) [ "$(wc -l <"$W/err")" = 1 ] || fail "sweep $f: $(wc -l <"$W/err") stderr lines" ;;
	*) fail "sweep $f: exit $rc (crash or hang)" ;;
	esac
done
echo "sweeps: $n damaged files scanned"

finish
