#!/bin/sh
# SPDX-License-Identifier: MIT
# Building never installs anything: with a test-only package missing `make` builds without calling
# apt-get; with a build dependency missing it stops and names it, still without apt-get; `make check`
# (as root) is what installs. dpkg-query and apt-get are fakes in front of PATH; id says root.
. "$(dirname "$0")/common.sh"
[ -f "$B/libamxshim.so" ] || skip "build first"
mkdir "$T/bin"
cat >"$T/bin/dpkg-query" <<'SH'
#!/bin/sh
# Every package is installed except those in $FAKE_MISSING.
for p; do :; done
case " $FAKE_MISSING " in *" $p "*) exit 1 ;; esac
echo "install ok installed"
SH
cat >"$T/bin/apt-get" <<SH
#!/bin/sh
echo "apt-get \$*" >>"$T/apt.log"
SH
printf '#!/bin/sh\necho 0\n' >"$T/bin/id"
chmod +x "$T/bin/"*
run() { # FAKE_MISSING GOAL...
	m=$1; shift
	: >"$T/apt.log"
	PATH="$T/bin:$PATH" FAKE_MISSING=$m make -n BUILD="$B" "$@" >"$T/out" 2>&1
}
if run "valgrind libcmocka-dev" all; then
	[ -s "$T/apt.log" ] && fail "make called apt-get: $(cat "$T/apt.log")" ||
		ok "make with test-only packages missing: builds, no apt-get"
else
	fail "make failed with only test packages missing: $(cat "$T/out")"
fi
if run libelf-dev all; then
	fail "make went on without libelf-dev"
else
	grep -q 'missing Debian packages: libelf-dev' "$T/out" || fail "the missing package is not named: $(cat "$T/out")"
	[ -s "$T/apt.log" ] && fail "make called apt-get: $(cat "$T/apt.log")" ||
		ok "make with a build package missing: stops, names it, no apt-get"
fi
run valgrind check
grep -q 'install.*valgrind' "$T/apt.log" && ok "make check as root installs the missing test package" ||
	fail "make check did not install valgrind: $(cat "$T/apt.log") $(tail -n 3 "$T/out")"
finish
