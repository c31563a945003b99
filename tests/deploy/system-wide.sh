#!/bin/sh
# SPDX-License-Identifier: MIT
# Deployment as README's "Deploying" section describes it, tested in a private mount namespace (an overlay
# on /etc: the real /etc/ld.so.preload and /etc/ld.so.cache are never written):
#   - /etc/ld.so.preload: a few dozen real programs (shells, make, gcc, python3 multiprocessing, perl, git,
#     set-user-ID programs run by a normal user) give byte-identical output and exit status with and without
#     the shim, and the shim is really loaded; ASan programs and 32-bit programs as the README says;
#   - ldconfig, then the bare soname: the README's systemd drop-in Environment= line and Dockerfile ENV line,
#     run as `env -i` would.
# ok/fail always succeed, so "A && ok || fail" is an if-then-else here.
# shellcheck disable=SC2015
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
TT=$B/tests/tools
need_built "$H/hello" "$TT/asan-prog" "$B/amxrun" "$B/amxrun-exec"

# The re-run inside the namespace is marked by its argument (tests/lib.sh clears AMXSHIM_* variables).
if [ "${1:-}" != --inside-private-namespace ]; then
	[ "$(id -u)" = 0 ] || skip "needs root for a private mount namespace"
	need_tool unshare mount
	sum=$(sha256sum /etc/ld.so.cache 2>/dev/null)
	had_preload=$([ -e /etc/ld.so.preload ] && sha256sum /etc/ld.so.preload)
	# Making every mount private needs / to be a mount point; in a chroot (many package builders) it is not,
	# and without private propagation the overlay below could reach the parent namespace: skip there.
	unshare -m --propagation private true 2>"$T/unshare.err" ||
		skip "no private mount namespace here (a chroot whose / is not a mount point?): $(cat "$T/unshare.err")"
	unshare -m --propagation private "$0" --inside-private-namespace
	rc=$?
	# The real files are as they were.
	[ "$(sha256sum /etc/ld.so.cache 2>/dev/null)" = "$sum" ] || fail "the real /etc/ld.so.cache changed"
	[ "$([ -e /etc/ld.so.preload ] && sha256sum /etc/ld.so.preload)" = "$had_preload" ] ||
		fail "the real /etc/ld.so.preload changed"
	[ "$checks_failed" = 0 ] || finish
	exit $rc
fi

# ---- Inside the namespace: /etc is an overlay, ldconfig's aux cache a tmpfs --------------------------
# Never on the real /etc: refuse unless this mount namespace is not init's.
[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] || { fail "not in a private mount namespace"; finish; }
mkdir -p "$T/upper" "$T/work" "$T/lib" "$T/data"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$T/upper,workdir=$T/work" /etc 2>"$T/mount.err" ||
	skip "cannot mount an overlay on /etc: $(cat "$T/mount.err")"
mkdir -p /var/cache/ldconfig && mount -t tmpfs tmpfs /var/cache/ldconfig || skip "cannot mount a tmpfs"
chmod 755 "$T" "$T/lib" "$T/data"
cp "$SHIM" "$T/lib/libamxshim.so.1"
LIBSHIM=$T/lib/libamxshim.so.1
PY=$(command -v /usr/bin/python3 python3 | head -n 1)
version=$(sed -n 's/^#define AMXSHIM_VERSION_STRING "\(.*\)"/\1/p' "$ROOT/include/amxshim/resolver.h")
asuser() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }

# Inputs the programs work on, created once so both phases see the same files.
cd "$T/data" || exit 99
printf 'all: out.txt\nout.txt: in.txt\n\tsort -r in.txt > out.txt\n\t@echo made\n' >Makefile
printf 'b\na\nc\n' >in.txt
printf '#include <stdio.h>\nint main(void) { puts("compiled"); return 4; }\n' >prog.c
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t \
	GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' HOME="$T/data"

# One command per line; each runs as `sh -c LINE` in a fresh copy of the data directory.
cat >"$T/programs" <<'EOF'
echo plain sh; exit 3
bash -c 'declare -A a=([x]=1); echo "bash ${a[x]}"; exit 5'
make -s && cat out.txt && make -s
$CC -O1 -o prog prog.c && ./prog; echo "status $?"
$CXX -x c++ -o progxx prog.c && ./progxx; echo "status $?"
$PY -c 'import multiprocessing as m; p=m.Pool(2); print(sum(p.map(abs, range(-50, 50)))); p.close(); p.join()'
$PY -c 'import faulthandler, threading; faulthandler.enable(); t=threading.Thread(target=print, args=("thread",)); t.start(); t.join()'
$PY -c 'import subprocess; print(subprocess.run(["sh", "-c", "echo sub; exit 6"]).returncode)'
perl -e 'print join(",", map { $_ * 2 } 1..5), "\n"; exit 7'
git init -q repo && cd repo && echo x >f && git add f && git commit -qm first && git log --format='%H %s'
tar cf - Makefile in.txt | gzip -n | gzip -dc | tar tf -
xz -c in.txt | xz -dc | sha256sum
bzip2 -c in.txt | bzip2 -dc | md5sum
awk '{ n += length($0) } END { print n }' in.txt; sed -n 2p in.txt; grep -c . in.txt
find . -name '*.txt' | sort | xargs cat | sort | uniq -c
seq 1 100 | paste -sd+ | bc
od -c in.txt | head -2; wc -c in.txt; cut -c1 in.txt | tr a-c A-C
cp in.txt copy.txt && diff in.txt copy.txt && cmp in.txt copy.txt && rm copy.txt && echo same
stat -c '%s %n' in.txt; readlink -f /proc/self/exe; basename "$PWD"; expr 6 \* 7
dd if=in.txt bs=1 count=3 status=none; echo; head -c 2 in.txt; tail -n 1 in.txt
env -i /usr/bin/env; id -u; uname -s; date -u -d @0
timeout 5 sh -c 'sleep 0.1; echo timed'; nice -n 1 echo nice
sh -c 'kill -TERM $$'; echo "after signal $?"
openssl dgst -sha256 in.txt
file Makefile prog.c
/lib64/ld-linux-x86-64.so.2 /bin/echo ld.so direct
ls -l --time-style=+ Makefile in.txt
su --help | head -n 3
passwd -S root | cut -d' ' -f1,2
printf 'x\n' | sh -c 'read -r v; echo "read $v"'
printf '3\n1\n2\n' | sort -n | xargs -n1 -P2 echo | sort
ls /nonexistent-amxshim; echo "ls status $?"
$PY -c 'import sqlite3; c=sqlite3.connect(":memory:"); print(c.execute("select 6*7").fetchone()[0])'
$PY -c 'import ssl, hashlib; print(hashlib.sha256(b"x").hexdigest()[:16])'
perl -MPOSIX -e 'print POSIX::floor(2.5), "\n"'
echo 'scale=5; 4*a(1)' | bc -l
getconf PAGESIZE; sh -c 'ulimit -n'
curl --version | head -n 1 | cut -d' ' -f1,2; wget --version | head -n 1
ssh -V 2>&1 | cut -d, -f1; less --version | head -n 1
git init -q r2 && git -C r2 status --porcelain && echo clean
EOF
# Set-user-ID programs run by a normal user: secure-execution mode (AT_SECURE), where only
# /etc/ld.so.preload reaches them and the shim honours nothing but AMXSHIM_DISABLE.
suid_progs="su --help|passwd -S|newgrp --help|chfn --help|gpasswd --help"

# run_all PHASE: every program, stdout+stderr+status into $T/PHASE.N.
run_all() {
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		rm -rf "$T/run" && cp -a "$T/data" "$T/run" && cd "$T/run" || exit 99
		PY=$PY CC=$CC CXX=$CXX sh -c "$line" >"$T/$1.$n.out" 2>&1
		echo "$?" >>"$T/$1.$n.out"
	done <"$T/programs"
	IFS='|'
	n=0
	for cmd in $suid_progs; do
		n=$((n + 1))
		IFS=' '
		# shellcheck disable=SC2086 # cmd is a command line
		# setpriv is an ordinary program (preloaded too): the variables are set by amxrun's static helper,
		# which no preload enters, right before the exec of the set-user-ID program.
		asuser "$B/amxrun-exec" "$version" "$SHIM" --debug --strict $cmd >"$T/$1.suid$n.out" 2>&1
		echo "$?" >>"$T/$1.suid$n.out"
		IFS='|'
	done
	IFS=' '
	cd "$T/data" || exit 99
}

run_all without
echo "$LIBSHIM" >/etc/ld.so.preload
# The shim is really in every process: in a plain program's map, and its report under AMXSHIM_DEBUG.
[ "$(grep -c libamxshim.so /proc/self/maps)" -ge 1 ] &&
	ok "/etc/ld.so.preload: the shim is mapped in every new process" || fail "the shim is not mapped"
AMXSHIM_DEBUG=1 /bin/true 2>"$T/dbg.err"
grep -q '^amxshim\[[0-9]*\]: AMX ' "$T/dbg.err" && ok "AMXSHIM_DEBUG report from /bin/true" || fail "no report: $(cat "$T/dbg.err")"
AMXSHIM_DEBUG=1 su root -c true 2>"$T/su.err"
grep -q '^amxshim\[' "$T/su.err" && ok "the set-user-ID su (run by root) has the shim loaded" || fail "su: $(cat "$T/su.err")"
run_all with

total=0 same_n=0
for f in "$T"/without.*.out; do
	g=$T/with.${f#"$T"/without.}
	total=$((total + 1))
	if cmp -s "$f" "$g"; then
		same_n=$((same_n + 1))
	else
		fail "output differs with the shim for $(basename "$f"):"
		diff "$f" "$g" | head -n 10
	fi
done
[ "$total" -ge 40 ] || fail "only $total programs ran"
ok "$same_n of $total program runs identical with and without /etc/ld.so.preload (set-user-ID ones as uid 65534)"

# ---- AddressSanitizer programs under /etc/ld.so.preload ---------------------------------------------
asan=$(readelf -d "$TT/asan-prog" 2>/dev/null | sed -n 's/.*NEEDED.*\[\(libasan\.so[^]]*\)\]/\1/p')
if [ -n "$asan" ]; then
	run a1 "$TT/asan-prog"
	grep -q 'ASan runtime does not come first' "$T/a1.err" && ok "ASan program under ld.so.preload alone: aborts (the documented caveat)" ||
		fail "ASan program under ld.so.preload: $(cat "$T/a1.rc" "$T/a1.err")"
	run a2 env ASAN_OPTIONS=verify_asan_link_order=0 "$TT/asan-prog"
	run a3 env LD_PRELOAD="$asan" "$TT/asan-prog"
	run a4 "$B/amxrun" "$TT/asan-prog"
	for r in a2 a3 a4; do
		[ "$(cat "$T/$r.out" "$T/$r.rc")" = "$(printf 'asan ok\n0')" ] || fail "ASan answer $r: $(cat "$T/$r.err")"
	done
	ok "ASan program: verify_asan_link_order=0, LD_PRELOAD=$asan and amxrun each make it run"
	[ "$("$B/amxrun" --print-env "$TT/asan-prog" | head -n 1)" = "LD_PRELOAD=$asan" ] &&
		ok "amxrun sees the shim in /etc/ld.so.preload: adds only the ASan runtime" ||
		fail "amxrun --print-env: $("$B/amxrun" --print-env "$TT/asan-prog")"
else
	echo "note: no gcc ASan runtime: the ASan part is not run"
fi

# ---- 32-bit programs: the plain path makes the 32-bit ld.so complain; the $LIB recipe does not ---------
# shellcheck disable=SC2016 # assembler text
if [ -e /lib/ld-linux.so.2 ] && printf '.globl _start\n_start:\n movl $1, %%eax\n movl $42, %%ebx\n int $0x80\n' >"$T/e32.s" &&
	as --32 -o "$T/e32.o" "$T/e32.s" 2>/dev/null && ld -m elf_i386 -pie -dynamic-linker /lib/ld-linux.so.2 -o "$T/e32" "$T/e32.o" 2>/dev/null; then
	run e32 "$T/e32"
	[ "$(cat "$T/e32.rc")" = 42 ] && grep -q 'wrong ELF class' "$T/e32.err" &&
		ok "32-bit program with a plain path in ld.so.preload: runs, ld.so complains (the documented caveat)" ||
		fail "32-bit plain: $(cat "$T/e32.rc" "$T/e32.err")"
	# The recipe: $LIB in the path, the shim in the 64-bit directory, a 32-bit no-op in the 32-bit one.
	lib64=$(LD_PRELOAD="$T/\$LIB/x.so" strace -e trace=openat /bin/true 2>&1 | sed -n "s|.*\"$T/\(.*\)/x.so\".*|\1|p" | head -n 1)
	lib32=$(LD_PRELOAD="$T/\$LIB/x.so" strace -e trace=openat,open "$T/e32" 2>&1 | sed -n "s|.*\"$T/\(.*\)/x.so\".*|\1|p" | head -n 1)
	if [ -n "$lib64" ] && [ -n "$lib32" ]; then
		mkdir -p "$T/$lib64" "$T/$lib32"
		cp "$SHIM" "$T/$lib64/libamxshim.so.1"
		as --32 -o "$T/empty.o" /dev/null && ld -m elf_i386 -shared -o "$T/$lib32/libamxshim.so.1" "$T/empty.o"
		printf '%s\n' "$T/\$LIB/libamxshim.so.1" >/etc/ld.so.preload
		run e32lib "$T/e32"
		run lib64 env AMXSHIM_DEBUG=1 /bin/true
		[ "$(cat "$T/e32lib.rc")" = 42 ] && [ ! -s "$T/e32lib.err" ] && grep -q '^amxshim\[' "$T/lib64.err" &&
			ok "\$LIB recipe ($lib64, $lib32): 32-bit program silent, 64-bit programs get the shim" ||
			fail "\$LIB recipe: $(cat "$T/e32lib.rc" "$T/e32lib.err" "$T/lib64.err")"
		echo "$LIBSHIM" >/etc/ld.so.preload
	else
		echo "note: strace could not show \$LIB: the \$LIB recipe is not run"
	fi
else
	echo "note: no 32-bit ld.so or binutils for i386: the 32-bit part is not run"
fi

# ---- ldconfig, then the bare soname: the README's systemd and Dockerfile lines -----------------------
rm -f /etc/ld.so.preload
echo "$T/lib" >/etc/ld.so.conf.d/zz-amxshim-test.conf
ldconfig -X 2>"$T/ldconfig.err" || fail "ldconfig: $(cat "$T/ldconfig.err")"
ldconfig -p | grep -q "libamxshim.so.1 .*=> $LIBSHIM" && ok "ldconfig lists libamxshim.so.1" || fail "ldconfig -p has no libamxshim.so.1"
# The lines as README prints them (the Deploying section), so the documentation cannot rot.
unit=$(sed -n 's/^ *Environment=\(LD_PRELOAD=.*\)$/\1/p' "$ROOT/README.md")
docker=$(sed -n 's/^ *ENV \(LD_PRELOAD=.*\)$/\1/p' "$ROOT/README.md")
[ "$unit" = "LD_PRELOAD=libamxshim.so.1" ] && [ "$docker" = "LD_PRELOAD=libamxshim.so.1" ] ||
	fail "README recipes: Environment='$unit' ENV='$docker'"
for line in "$unit" "$docker"; do
	[ -n "$line" ] || continue
	run unit env -i "$line" AMXSHIM_DEBUG=1 /bin/sh -c 'echo started'
	[ "$(cat "$T/unit.out")" = started ] && grep -q '^amxshim\[' "$T/unit.err" &&
		ok "env -i $line: the shim found through ld.so.cache" || fail "$line: $(cat "$T/unit.out" "$T/unit.err")"
done
finish
