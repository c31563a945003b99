#!/bin/sh
# SPDX-License-Identifier: MIT
# The library authors' test kit, from an install: a four-variant library (tests/build/dotlib: AMX-INT8,
# AVX-512 VNNI, AVX2, C) built against amxresolver-test with pkg-config, CMake and Meson, its own test run
# under amxshim-test --all: the AMX variant bound and correct (run by libamxemu) on the recorded AMX CPUs,
# the others where they belong, "not runnable here" where this machine lacks a set; a broken AMX variant
# and a registry whose last entry needs AMX fail the table; the test build refuses its settings in a
# secure-execution process and says on stderr that it is a test build; the production amxresolver ignores
# every test variable.
. "$(dirname "$0")/common.sh"
[ -f "$B/libamxresolver-test.a" ] || skip "build first"
pre=$T/pre lib=$T/pre/lib/x86_64-linux-gnu
make -s BUILD="$B" PREFIX="$pre" LIBDIR="$lib" install >"$T/make.log" 2>&1 || { cat "$T/make.log"; fail "install"; finish; }
KIT=$pre/bin/amxshim-test
[ -x "$KIT" ] && [ -f "$lib/libamxresolver-test.a" ] && [ -f "$lib/pkgconfig/amxresolver-test.pc" ] &&
	ok "installed: amxshim-test, libamxresolver-test.a, amxresolver-test.pc" || fail "the kit is not installed"
names=$("$KIT" --list)
n_data=$(find "$pre/share/amxshim/cpuid" -name '*.txt' | wc -l)
n_fix=$(find tests/fixtures/cpuid -name '*.txt' | wc -l)
[ "$(echo "$names" | wc -l)" = "$n_fix" ] && [ "$n_data" = "$n_fix" ] &&
	ok "--list names the $n_fix recorded CPUs installed as data" || fail "--list: $(echo "$names" | wc -l), data $n_data, fixtures $n_fix"
grep -L '^# source' "$pre/share/amxshim/cpuid/"*.txt >"$T/nosource"
[ ! -s "$T/nosource" ] && ok "each installed CPU cites its source" || fail "no source line: $(cat "$T/nosource")"

src=tests/build/dotlib
export PKG_CONFIG_PATH="$lib/pkgconfig"
# build DIR PKG [CFLAGS]: libdot.so and dot_test from pkg-config module PKG
build() {
	mkdir -p "$1"
	# shellcheck disable=SC2046 # pkg-config prints a list of words
	$CC -O2 -fPIC -shared ${3:-} -o "$1/libdot.so" "$src/dot.c" $(pkg-config --cflags --libs --static "$2") &&
		$CC -O2 -o "$1/dot_test" "$src/dot_test.c" -L"$1" -ldot -Wl,-rpath,"$1"
}
build "$T/pc" amxresolver-test 2>"$T/build.err" || { fail "pkg-config build: $(head -5 "$T/build.err")"; finish; }

# The host's sets, read here from the kernel's flags (the oracle for "runnable").
flags=" $(sed -n 's/^flags[[:space:]]*: //p' /proc/cpuinfo | head -n 1) "
case $flags in *" avx512_vnni "*) vnni_exit=0 ;; *) vnni_exit=- ;; esac

"$KIT" --all --kernels "$T/pc/dot_test" >"$T/table" 2>&1
rc=$?
cat "$T/table"
[ $rc = 0 ] && grep -q ' 0 failed' "$T/table" && ok "--all --kernels: exit 0, no run failed" || fail "--all --kernels: exit $rc"
for name in $names; do
	[ "$(grep -c "^$name " "$T/table")" = 8 ] || fail "$name: not 8 rows (one per kernel outcome)"
done
# row CPU KERNEL EXIT VARIANT: the table's row says it
row() {
	if grep -q "^$1 *$2 *[a-z0-9-]* *$3 *dot_u8s8=dot_u8s8_$4\( \|\$\)" "$T/table"; then
		ok "$1, kernel $2: dot_u8s8_$4, exit $3"
	else
		fail "$1, kernel $2: want dot_u8s8_$4 exit $3: $(grep "^$1 *$2 " "$T/table")"
	fi
}
# Recorded AMX-INT8 CPUs with the OS state on: the AMX variant, computed correctly under libamxemu.
for cpu in sapphire-rapids granite-rapids emerald-rapids emerald-rapids-vm-measured \
	sapphire-rapids-firecracker-vm-measured diamond-rapids-synthesized; do
	for k in granted already overwrite; do row $cpu $k 0 amx; done
done
for k in einval eopnotsupp enospc eperm enosys; do row sapphire-rapids $k "$vnni_exit" vnni; done
row emerald-rapids-os-amx-off granted "$vnni_exit" vnni
row sapphire-rapids-vm-no-xfd-synthesized granted "$vnni_exit" vnni
row sapphire-rapids-vm-zero-palettes-synthesized granted "$vnni_exit" vnni
row zen4-genoa granted "$vnni_exit" vnni
row icelake-server granted "$vnni_exit" vnni
row zen3-epyc-milan granted 0 avx2
[ "$vnni_exit" = - ] && { grep -q '^zen4-genoa .*(not runnable here: this machine lacks AVX512' "$T/table" &&
	ok "a CPU whose AVX-512 this machine lacks: not runnable here, with the reason" || fail "no not-runnable reason"; }

# --cpu: CMD's own status and output.
"$KIT" --cpu sapphire-rapids "$T/pc/dot_test" >"$T/one.out" 2>"$T/one.err"
rc=$?
[ $rc = 0 ] && [ "$(cat "$T/one.out")" = "dot_u8s8_amx: correct" ] && grep -q 'bound: dot_u8s8=dot_u8s8_amx' "$T/one.err" &&
	ok "--cpu sapphire-rapids: the AMX variant runs, exit 0" || fail "--cpu: exit $rc: $(cat "$T/one.out" "$T/one.err")"
"$KIT" --cpu sapphire-rapids sh -c 'exit 7' 2>/dev/null
[ $? = 7 ] && ok "--cpu exits with the command's status" || fail "--cpu status"
"$KIT" --cpu no-such-cpu true 2>"$T/bad.err"
[ $? = 2 ] && grep -q "no recorded CPU named 'no-such-cpu'" "$T/bad.err" && ok "an unknown CPU: exit 2, named" || fail "unknown CPU"

# Mistakes the table must catch: a wrong AMX variant, a last entry that needs AMX.
build "$T/broken" amxresolver-test -DDOT_BREAK_AMX 2>"$T/build.err" || fail "broken build: $(head -3 "$T/build.err")"
"$KIT" --all "$T/broken/dot_test" >"$T/broken.table" 2>&1
rc=$?
[ $rc = 1 ] && grep -q '^sapphire-rapids *granted *ok *1 ' "$T/broken.table" && grep -q 'dot_u8s8_amx: n=64' "$T/broken.table" &&
	ok "a wrong AMX variant: its rows fail (exit 1), its output shown" || { fail "a wrong AMX variant passed (exit $rc)"; cat "$T/broken.table"; }
build "$T/last" amxresolver-test -DDOT_LAST_NEEDS_AMX 2>"$T/build.err" || fail "last-entry build: $(head -3 "$T/build.err")"
"$KIT" --all "$T/last/dot_test" >"$T/last.table" 2>&1
rc=$?
[ $rc = 1 ] && grep -q 'IFUNC dot_u8s8: its last variant dot_u8s8_amx needs AMX' "$T/last.table" &&
	ok "a last entry that needs AMX: every run fails with the reason" || { fail "last entry not caught (exit $rc)"; cat "$T/last.table"; }

# Outside the kit, the test build says what it is when its settings are used, and only then.
env AMXSHIM_FAKE_CPU="$pre/share/amxshim/cpuid/sapphire-rapids.txt" "$T/pc/dot_test" >"$T/n.out" 2>"$T/n.err"
grep -q 'built with the amxshim test resolver' "$T/n.err" && ok "outside the kit: a notice on stderr" || fail "no notice: $(cat "$T/n.err")"
"$T/pc/dot_test" >"$T/q.out" 2>"$T/q.err"
[ ! -s "$T/q.err" ] && [ "$(cat "$T/q.out")" = "dot_u8s8_c: correct" ] && ok "no settings: silent, the portable variant" ||
	fail "no settings: $(cat "$T/q.out" "$T/q.err")"
readelf -S "$T/pc/libdot.so" | grep -q '\.amxshim\.test' && ok "the library carries the test-build mark" || fail "no .amxshim.test section"
"$pre/bin/amxscan" "$T/pc/libdot.so" | grep -q '^  test-build  *built with the amxshim test resolver' &&
	ok "amxscan reports the test build" || fail "amxscan does not report the test build: $("$pre/bin/amxscan" "$T/pc/libdot.so")"

# Production: no test setting reaches it.
build "$T/prod" amxresolver 2>"$T/build.err" || fail "production build: $(head -3 "$T/build.err")"
"$T/prod/dot_test" >"$T/p0.out" 2>"$T/p0.err"
env AMXSHIM_FAKE_CPU="$pre/share/amxshim/cpuid/sapphire-rapids.txt" AMXSHIM_FAKE_KERNEL=granted AMXSHIM_FAKE_XCR0=0x602e7 \
	AMXSHIM_TEST_KIT=1 AMXSHIM_TEST_RECORD="$T/prod.rec" "$T/prod/dot_test" >"$T/p1.out" 2>"$T/p1.err"
cmp -s "$T/p0.out" "$T/p1.out" && cmp -s "$T/p0.err" "$T/p1.err" && [ ! -e "$T/prod.rec" ] &&
	ok "production amxresolver under every test variable: $(cat "$T/p1.out"), no record" || fail "production changed: $(cat "$T/p1.out" "$T/p1.err")"
readelf -S "$T/prod/libdot.so" | grep -q '\.amxshim\.test' && fail "production library has the test mark"
"$pre/bin/amxscan" --json "$T/prod/libdot.so" | grep -q '"test_build":false' || fail "amxscan calls the production library a test build"
grep -c AMXSHIM_FAKE "$lib/libamxresolver.a" >/dev/null && fail "libamxresolver.a contains AMXSHIM_FAKE" ||
	ok "libamxresolver.a holds no test setting's name"

# CMake (amxresolver::test) and Meson (dependency('amxresolver-test')) give the same kit build.
cat >"$T/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.13)
project(dot C)
find_package(amxresolver 1.0 REQUIRED)
add_library(dot SHARED $ROOT/$src/dot.c)
target_link_libraries(dot PRIVATE amxresolver::test)
add_executable(dot_test $ROOT/$src/dot_test.c)
target_link_libraries(dot_test dot)
CM
cat >"$T/meson.build" <<MB
project('dot', 'c')
kit = dependency('amxresolver-test', static: true)
lib = shared_library('dot', '$ROOT/$src/dot.c', dependencies: kit)
executable('dot_test', '$ROOT/$src/dot_test.c', link_with: lib)
MB
kit_row() { # WAY PROGRAM
	if "$KIT" --all "$2" >"$T/way.table" 2>&1 && grep -q '^sapphire-rapids *granted *ok *0 *dot_u8s8=dot_u8s8_amx' "$T/way.table"; then
		ok "$1: built with the test kit, --all binds and runs the AMX variant"
	else
		fail "$1: $(tail -5 "$T/way.table")"
	fi
}
if command -v cmake >/dev/null; then
	if CC=$CC cmake -S "$T" -B "$T/cm" -DCMAKE_PREFIX_PATH="$pre" >"$T/cmake.log" 2>&1 && cmake --build "$T/cm" >>"$T/cmake.log" 2>&1; then
		kit_row CMake "$T/cm/dot_test"
	else
		fail "CMake build: $(tail -5 "$T/cmake.log")"
	fi
fi
if command -v meson >/dev/null && command -v ninja >/dev/null; then
	if CC=$CC meson setup "$T/mb" "$T" >"$T/meson.log" 2>&1 && ninja -C "$T/mb" >>"$T/meson.log" 2>&1; then
		kit_row Meson "$T/mb/dot_test"
	else
		fail "Meson build: $(tail -5 "$T/meson.log")"
	fi
fi

# A secure-execution process (a setgid copy, run by root) ignores the settings: the portable variant.
if [ "$(id -u)" = 0 ]; then
	D=$(mktemp -d "$B/testkit-secure.XXXXXX") || exit 99
	trap 'rm -rf "$T" "$D"' EXIT
	chmod 755 "$D" "$T" "$T/pc"
	cp "$T/pc/dot_test" "$D/setgid"
	if chgrp 65534 "$D/setgid" && chmod 2755 "$D/setgid"; then
		env AMXSHIM_FAKE_CPU="$pre/share/amxshim/cpuid/sapphire-rapids.txt" "$D/setgid" >"$T/s.out" 2>"$T/s.err"
		if [ "$(cat "$T/s.out")" = "dot_u8s8_c: correct" ] && grep -q 'ignored in a secure-execution' "$T/s.err"; then
			ok "setgid: AMXSHIM_FAKE_CPU ignored, said on stderr, the portable variant"
		else
			fail "setgid: $(cat "$T/s.out" "$T/s.err")"
		fi
	fi
fi
finish
