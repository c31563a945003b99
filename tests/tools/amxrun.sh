#!/bin/sh
# SPDX-License-Identifier: MIT
# amxrun: LD_PRELOAD order (the user's entries first, an ASan runtime before everything, the shim once),
# 32-bit programs without ld.so noise, static executables (the request injected with ptrace at the entry
# point, proven with the fake platform and seccomp, and refused plainly where ptrace cannot be used), and
# the interface (--print-env, --version, errors without shell line numbers, nothing of amxrun's own reported).
# ok/fail always succeed, so "A && ok || fail" is an if-then-else here.
# shellcheck disable=SC2015
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
# amxrun preloads the shim by its canonical path (build/libamxshim.so links to the SONAME file).
SHIM=$(readlink -f "$SHIM")
TT=$B/tests/tools
need_built "$B/amxrun" "$B/amxrun-exec" "$H/hello" "$H/seccomp-run" "$H/amxtruth" "$TT/static-perm" \
	"$TT/asan-prog" "$TT/amxrun-exec-fake"
RUN=$B/amxrun
SECCOMP=$H/seccomp-run
SP=$TT/static-perm
version=$(sed -n 's/^#define AMXSHIM_VERSION_STRING "\(.*\)"/\1/p' include/amxshim/resolver.h)
# A line that leaks the shell's line numbers looks like "amxrun: 12: ...".
no_line_numbers() { ! grep -Eq '(^|: )[0-9]+: ' "$1"; }

# ---- Interface ---------------------------------------------------------------------------------------
[ "$("$RUN" --version)" = "amxrun (amxshim) $version" ] && ok "--version: $version" || fail "--version: $("$RUN" --version)"
"$RUN" --help >"$T/help.out" 2>&1 && grep -q '^usage: amxrun' "$T/help.out" && ok "--help exits 0" || fail "--help"
run badopt "$RUN" --bogus "$H/hello"
[ "$(cat "$T/badopt.rc")" = 2 ] && grep -q '^amxrun: unknown option: --bogus' "$T/badopt.err" &&
	no_line_numbers "$T/badopt.err" && ok "unknown option: exit 2, plain message" || fail "unknown option: $(cat "$T/badopt.err")"
run missing "$RUN" "$T/no-such-program"
[ "$(cat "$T/missing.rc")" = 127 ] && [ "$(cat "$T/missing.err")" = "amxrun: $T/no-such-program: No such file or directory" ] &&
	ok "missing program: exit 127, plain message" || fail "missing program: $(cat "$T/missing.rc" "$T/missing.err")"
run nocmd "$RUN" no-such-command-amxshim
[ "$(cat "$T/nocmd.rc")" = 127 ] && no_line_numbers "$T/nocmd.err" && ok "command not found: exit 127" ||
	fail "command not found: $(cat "$T/nocmd.rc" "$T/nocmd.err")"

# --print-env: what would be set, nothing run.
[ "$("$RUN" --print-env "$H/hello")" = "LD_PRELOAD=$SHIM" ] && ok "--print-env: the shim" ||
	fail "--print-env: $("$RUN" --print-env "$H/hello")"
out=$("$RUN" --debug --strict --disable --print-env "$T/never-run")
[ "$out" = "$(printf 'AMXSHIM_DEBUG=1\nAMXSHIM_DISABLE=1\nAMXSHIM_STRICT=1\nLD_PRELOAD=%s' "$SHIM")" ] &&
	ok "--print-env with options" || fail "--print-env with options: $out"
out=$(LD_PRELOAD="/opt/a.so /opt/b.so" "$RUN" --print-env "$H/hello" 2>/dev/null)
[ "$out" = "LD_PRELOAD=/opt/a.so:/opt/b.so:$SHIM" ] && ok "the user's LD_PRELOAD stays first" || fail "user preload: $out"
out=$(LD_PRELOAD="/opt/a.so:$SHIM" "$RUN" --print-env "$H/hello" 2>/dev/null)
[ "$out" = "LD_PRELOAD=/opt/a.so:$SHIM" ] && ok "a shim already preloaded is not added again" || fail "shim twice: $out"

# ---- amxrun inside amxrun: the shim once, no report from amxrun's own commands -------------------------
# shellcheck disable=SC2016 # expanded by the inner sh
out=$("$RUN" "$RUN" sh -c 'echo "$LD_PRELOAD"')
[ "$out" = "$SHIM" ] && ok "amxrun in amxrun: LD_PRELOAD=$out" || fail "amxrun in amxrun: LD_PRELOAD=$out"
bg nested "$RUN" --debug "$RUN" --debug "$H/hello" 0
pid=$(cat "$T/nested.pid")
n=$(grep -c '^amxshim\[' "$T/nested.err")
others=$(grep '^amxshim\[' "$T/nested.err" | grep -vc "^amxshim\[$pid\]")
# One process (amxrun's PID) and one report: hello's. The inner amxrun's /bin/sh gets no shim.
[ "$n" = 1 ] && [ "$others" = 0 ] && ok "amxrun --debug amxrun --debug: one report, from PID $pid" ||
	{ fail "nested reports: $n lines, $others from other processes"; cat "$T/nested.err"; }
bg nested1 "$RUN" --debug "$RUN" "$H/hello" 0
[ "$(grep -c "^amxshim\[$(cat "$T/nested1.pid")\]" "$T/nested1.err")" = 1 ] && ok "amxrun --debug amxrun: one report" ||
	{ fail "amxrun --debug amxrun: $(cat "$T/nested1.err")"; }

# ---- The environment: amxrun adds the shim and nothing else (the wrapper's shell exports PWD) -----------
mkdir "$T/wd"
for pwd in unset "$T/wd" / "$T/wd/../wd"; do
	if [ "$pwd" = unset ]; then set --; else set -- PWD="$pwd"; fi
	want=$(cd "$T/wd" && env -i "$@" /usr/bin/env; echo "LD_PRELOAD=$SHIM")
	got=$(cd "$T/wd" && env -i "$@" "$RUN" /usr/bin/env)
	[ "$(echo "$got" | sort)" = "$(echo "$want" | sort)" ] && ok "env -i${1:+ $1} amxrun env: the environment plus LD_PRELOAD only" ||
		fail "env -i${1:+ $1} amxrun env: '$got', want '$want'"
done
# ... and the user's usual environment, PWD included.
want=$(cd "$T/wd" && env PWD="$T/wd" LD_PRELOAD="$SHIM" /usr/bin/env | sort)
got=$(cd "$T/wd" && env PWD="$T/wd" "$RUN" /usr/bin/env | sort)
[ "$got" = "$want" ] && ok "amxrun env in the caller's environment: the same plus LD_PRELOAD" ||
	fail "amxrun env: $(echo "$got" | diff - "$(echo "$want" >"$T/want.env"; echo "$T/want.env")")"

# ---- A text file without #!: run by /bin/sh, as execvp does (env, nice, timeout, every shell) ----------
# shellcheck disable=SC2016 # expanded by the script's shell
printf 'echo "script $0 $1 $#"\n' >"$T/noshebang"
chmod +x "$T/noshebang"
run nosb-env env "$T/noshebang" a
run nosb "$RUN" "$T/noshebang" a
[ "$(cat "$T/nosb.rc")" = 0 ] && [ "$(cat "$T/nosb.out")" = "$(cat "$T/nosb-env.out")" ] && [ "$(cat "$T/nosb.out")" = "script $T/noshebang a 1" ] &&
	ok "amxrun ./script-without-#!: run by /bin/sh as env runs it" ||
	fail "amxrun ./script-without-#!: exit $(cat "$T/nosb.rc"): '$(cat "$T/nosb.out" "$T/nosb.err")', env says '$(cat "$T/nosb-env.out")'"
mkdir "$T/bin" && cp "$T/noshebang" "$T/bin/nosb-cmd"
run nosb-path env PATH="$T/bin:$PATH" "$RUN" --debug nosb-cmd b
[ "$(cat "$T/nosb-path.rc")" = 0 ] && [ "$(cat "$T/nosb-path.out")" = "script $T/bin/nosb-cmd b 1" ] && grep -q '^amxshim\[' "$T/nosb-path.err" &&
	ok "found in PATH: run by /bin/sh, with the shim" || fail "nosb-cmd from PATH: exit $(cat "$T/nosb-path.rc"): '$(cat "$T/nosb-path.out" "$T/nosb-path.err")'"

# ---- AddressSanitizer programs -------------------------------------------------------------------------
asan=$(readelf -d "$TT/asan-prog" 2>/dev/null | sed -n 's/.*NEEDED.*\[\(libasan\.so[^]]*\)\]/\1/p')
if [ -z "$asan" ]; then
	echo "note: $TT/asan-prog has no dynamic libasan (no gcc ASan runtime): ASan part skipped"
else
	run asan-plain "$TT/asan-prog"
	run asan-shim env LD_PRELOAD="$SHIM" "$TT/asan-prog"
	grep -q 'ASan runtime does not come first' "$T/asan-shim.err" && ok "control: the shim alone in front of $asan aborts" ||
		fail "control: LD_PRELOAD=shim asan-prog did not abort: $(cat "$T/asan-shim.err")"
	run asan "$RUN" --debug "$TT/asan-prog"
	[ "$(cat "$T/asan.out" "$T/asan.rc")" = "$(printf 'asan ok\n0')" ] && grep -q '^amxshim\[' "$T/asan.err" &&
		ok "amxrun runs the ASan program with the shim loaded" || fail "amxrun asan-prog: $(cat "$T/asan.rc" "$T/asan.err")"
	run asan-user env LD_PRELOAD="$asan" "$RUN" --debug "$TT/asan-prog"
	[ "$(cat "$T/asan-user.out" "$T/asan-user.rc")" = "$(printf 'asan ok\n0')" ] && grep -q '^amxshim\[' "$T/asan-user.err" &&
		ok "LD_PRELOAD=$asan amxrun: the user's runtime stays first" || fail "LD_PRELOAD=$asan amxrun: $(cat "$T/asan-user.err")"
	out=$(LD_PRELOAD=/opt/x.so "$RUN" --print-env "$TT/asan-prog" 2>/dev/null | sed -n 's/^LD_PRELOAD=//p')
	[ "$out" = "$asan:/opt/x.so:$SHIM" ] && ok "LD_PRELOAD order: $out" || fail "ASan order: $out"
	# The runtime is for the ASan program only: its children get what a plain LD_PRELOAD=shim gives them.
	# shellcheck disable=SC2016 # expanded by the child sh
	child='echo "LD_PRELOAD=${LD_PRELOAD-unset}"; grep -c libasan /proc/self/maps; env | grep -c "^AMXSHIM_"'
	run asan-child "$RUN" "$TT/asan-prog" run sh -c "$child"
	[ "$(cat "$T/asan-child.rc")" = 0 ] && [ "$(cat "$T/asan-child.out")" = "$(printf 'LD_PRELOAD=%s\n0\n0\nasan ok' "$SHIM")" ] &&
		ok "amxrun asan-prog: its child gets LD_PRELOAD=the shim, no ASan runtime" ||
		fail "amxrun asan-prog, the child: exit $(cat "$T/asan-child.rc"), '$(cat "$T/asan-child.out")' $(head -c 300 "$T/asan-child.err")"
	run asan-child-user env LD_PRELOAD="$asan" "$RUN" "$TT/asan-prog" run sh -c "$child"
	[ "$(head -n 1 "$T/asan-child-user.out")" = "LD_PRELOAD=$asan:$SHIM" ] &&
		ok "LD_PRELOAD=$asan amxrun asan-prog: the child keeps the user's runtime" ||
		fail "LD_PRELOAD=$asan, the child: '$(cat "$T/asan-child-user.out")'"
	run asan-bug "$RUN" "$TT/asan-prog" 8
	[ "$(cat "$T/asan-bug.rc")" != 0 ] && grep -q 'heap-buffer-overflow' "$T/asan-bug.err" &&
		ok "ASan still catches a heap overflow under amxrun" || fail "ASan under amxrun missed the overflow"
fi

# ---- 32-bit programs: no shim, so no "wrong ELF class" from the 32-bit ld.so -------------------------
# shellcheck disable=SC2016 # assembler text
if printf '.globl _start\n_start:\n movl $1, %%eax\n movl $42, %%ebx\n int $0x80\n' >"$T/e32.s" &&
	as --32 -o "$T/e32.o" "$T/e32.s" 2>/dev/null && ld -m elf_i386 -o "$T/e32-static" "$T/e32.o" 2>/dev/null; then
	out=$("$RUN" --print-env "$T/e32-static")
	[ "$out" = "$(printf '# LD_PRELOAD unset\n# %s is a 32-bit program: no AMX there, so no shim' "$T/e32-static")" ] &&
		ok "--print-env: no shim for a 32-bit program" || fail "32-bit --print-env: $out"
	run e32s "$RUN" --debug "$T/e32-static"
	[ "$(cat "$T/e32s.rc")" = 42 ] && grep -q "32-bit program: AMX is 64-bit only" "$T/e32s.err" &&
		ok "32-bit static: runs (exit 42), --debug notes the skip" || fail "32-bit static: $(cat "$T/e32s.rc" "$T/e32s.err")"
	run e32strict "$RUN" --strict "$T/e32-static"
	[ "$(cat "$T/e32strict.rc")" = 125 ] && ok "32-bit under --strict: exit 125" || fail "32-bit --strict: $(cat "$T/e32strict.rc")"
	if [ -e /lib/ld-linux.so.2 ] && ld -m elf_i386 -pie -dynamic-linker /lib/ld-linux.so.2 -o "$T/e32-dyn" "$T/e32.o" 2>/dev/null &&
		"$T/e32-dyn"; [ $? = 42 ]; then
		run e32d-control env LD_PRELOAD="$SHIM" "$T/e32-dyn"
		grep -q 'wrong ELF class' "$T/e32d-control.err" && ok "control: LD_PRELOAD=shim makes the 32-bit ld.so complain" ||
			fail "control: no complaint from the 32-bit ld.so: $(cat "$T/e32d-control.err")"
		for pre in "" "$SHIM" "/opt/x.so:$SHIM"; do
			run e32d env ${pre:+LD_PRELOAD="$pre"} "$RUN" "$T/e32-dyn"
			[ "$(cat "$T/e32d.rc")" = 42 ] && ! grep -q 'wrong ELF class' "$T/e32d.err" &&
				ok "32-bit dynamic program, LD_PRELOAD='$pre': exit 42, no ELF class noise" ||
				fail "32-bit dynamic with LD_PRELOAD='$pre': $(cat "$T/e32d.rc" "$T/e32d.err")"
		done
	else
		echo "note: no 32-bit ld.so (/lib/ld-linux.so.2): the dynamic 32-bit case is not run"
	fi
else
	echo "note: cannot assemble a 32-bit program (binutils without i386): 32-bit part skipped"
fi

# ---- Static executables on this machine (real platform) ------------------------------------------------
layer=$("$H/amxtruth" layer)
run sp-plain "$SP" 7
bg sp "$RUN" "$SP" 7
pid=$(cat "$T/sp.pid")
[ "$(cat "$T/sp.rc")" = 7 ] && [ -z "$(cat "$T/sp.err")" ] && grep -q "^pid=$pid tracer=0 " "$T/sp.out" &&
	ok "static: runs in amxrun's process (PID $pid), untraced, exit 7, silent" ||
	fail "static: $(cat "$T/sp.rc" "$T/sp.out" "$T/sp.err") (PID $pid)"
run sp-sig "$RUN" "$SP" k15
[ "$(cat "$T/sp-sig.rc")" = 143 ] && ok "static: death by SIGTERM propagates (143)" || fail "static signal: $(cat "$T/sp-sig.rc")"
run sp-debug "$RUN" --debug "$SP"
run sp-strict "$RUN" --strict "$SP"
if [ "$layer" = ok ]; then
	grep -q 'xtiledata=1' "$T/sp-debug.out" && grep -q 'AMX usable: ok' "$T/sp-debug.err" &&
		ok "static on AMX hardware: the program holds XTILEDATA permission" ||
		fail "static on AMX: $(cat "$T/sp-debug.out" "$T/sp-debug.err")"
	[ "$(cat "$T/sp-strict.rc")" = 0 ] || fail "static --strict on AMX: exit $(cat "$T/sp-strict.rc")"
else
	echo "note: no usable AMX here ($layer): the granted-permission check of a static program is skipped"
	grep -q "^amxrun\[[0-9]*\]: static executable $SP: AMX not usable: $layer: " "$T/sp-debug.err" &&
		ok "static --debug: reports '$layer', nothing requested" || fail "static --debug: $(cat "$T/sp-debug.err")"
	[ "$(cat "$T/sp-strict.rc")" = 125 ] && [ ! -s "$T/sp-strict.out" ] && grep -q 'exit 125' "$T/sp-strict.err" &&
		ok "static --strict: exit 125 before main" || fail "static --strict: $(cat "$T/sp-strict.rc" "$T/sp-strict.out")"
	# No arch_prctl at all without AMX in the CPU: a filter that kills on XCOMP calls changes nothing.
	run sp-kill "$SECCOMP" kill:0x1023 "$RUN" "$SP" 7
	[ "$(cat "$T/sp-kill.rc")" = 7 ] && ok "static, CPU without AMX: no arch_prctl made" || fail "static under kill filter: $(cat "$T/sp-kill.rc")"
fi

# ---- Static executables, injection mechanics: the helper on the fake platform (Sapphire Rapids) -------
# The CPU layers agree, so the helper stops the program at exec and makes it call ARCH_REQ_XCOMP_PERM;
# the real kernel answers. Ground truth for that answer: the same call made from python.
export AMXSHIM_FAKE_CPU="$ROOT/tests/fixtures/cpuid/sapphire-rapids.txt"
FX=$TT/amxrun-exec-fake
req=$(python3 -c 'import ctypes,errno; c=ctypes.CDLL(None,use_errno=True); r=c.syscall(158,0x1023,18); print("ok" if r==0 else errno.errorcode[ctypes.get_errno()])')
case $req in
ok) want=ok ;; EINVAL) want=kernel-old ;; EOPNOTSUPP|ENOTSUP) want=kernel-unsupported ;; *) want=denied ;;
esac
bg inj "$FX" "$version" "$SHIM" --debug "$SP" 7
pid=$(cat "$T/inj.pid")
grep -q "^pid=$pid tracer=0 xtiledata=$([ "$req" = ok ] && echo 1 || echo 0)\$" "$T/inj.out" && [ "$(cat "$T/inj.rc")" = 7 ] &&
	grep -q "^amxrun\[$pid\]: static executable $SP: AMX [a-z ]*: $want: .*(requested with ptrace at the entry point)\$" "$T/inj.err" &&
	ok "injected request in PID $pid: the kernel's answer ($req) read back as '$want'; untraced afterwards, exit 7" ||
	fail "injection: $(cat "$T/inj.rc" "$T/inj.out" "$T/inj.err"), want $want (PID $pid)"
# Same output, exit status and signal as without amxrun (PID aside).
# shellcheck disable=SC2016 # expanded by the inner sh
run plain-sig sh -c '"$0" k10 2>&1' "$SP"
# shellcheck disable=SC2016 # expanded by the inner sh
run inj-sig sh -c '"$0" "$@" 2>&1' "$FX" "$version" "$SHIM" "$SP" k10
[ "$(cat "$T/inj-sig.rc")" = 138 ] && [ "$(sed 1d "$T/inj-sig.out")" = "$(sed 1d "$T/plain-sig.out")" ] &&
	ok "injected: SIGUSR1 death propagates (138), the shell says the same" ||
	fail "injected signal: $(cat "$T/inj-sig.rc" "$T/inj-sig.out")"
sed 's/^pid=[0-9]*/pid=/' "$T/sp-plain.out" >"$T/a"; run inj-plain "$FX" "$version" "$SHIM" "$SP" 7; sed 's/^pid=[0-9]*/pid=/' "$T/inj-plain.out" >"$T/b"
[ "$req" != ok ] && cmp -s "$T/a" "$T/b" && [ "$(cat "$T/inj-plain.rc")" = 7 ] && ok "injected: output identical to a plain run" ||
	[ "$req" = ok ] || fail "injected output differs: $(cat "$T/a" "$T/b")"
# seccomp makes the kernel answer EPERM to the request only: the errno the helper reports is that one.
bg inj-eperm "$SECCOMP" EPERM:0x1023 "$FX" "$version" "$SHIM" --debug "$SP" 7
pid=$(cat "$T/inj-eperm.pid")
grep -q "^amxrun\[$pid\]: static executable $SP: AMX not usable: denied: .*EPERM" "$T/inj-eperm.err" &&
	[ "$(cat "$T/inj-eperm.rc")" = 7 ] && ok "seccomp EPERM on the request: read back as denied (EPERM)" ||
	fail "seccomp EPERM: $(cat "$T/inj-eperm.rc" "$T/inj-eperm.err")"
run inj-strict "$SECCOMP" EPERM:0x1023 "$FX" "$version" "$SHIM" --strict "$SP" 7
[ "$(cat "$T/inj-strict.rc")" = 125 ] && [ ! -s "$T/inj-strict.out" ] && ok "--strict: denied request ends the program with 125 before main" ||
	fail "--strict after injection: $(cat "$T/inj-strict.rc" "$T/inj-strict.out")"
# A filter that kills on the request kills the program itself, before it printed anything: the call was
# made in the program's process, ahead of its first instruction.
run inj-kill "$SECCOMP" kill:0x1023 "$FX" "$version" "$SHIM" "$SP" 7
# The tracer, a child of the program, says so after the program's death: wait for its line (5 s at most).
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q 'killed by signal 31' "$T/inj-kill.err" && break; sleep 0.5; done
[ "$(cat "$T/inj-kill.rc")" = 159 ] && [ ! -s "$T/inj-kill.out" ] && grep -q 'killed by signal 31' "$T/inj-kill.err" &&
	ok "seccomp kill on the request: the program dies of SIGSYS before main, and amxrun says so" ||
	fail "seccomp kill: $(cat "$T/inj-kill.rc" "$T/inj-kill.out" "$T/inj-kill.err")"
run inj-disable "$SECCOMP" kill:0x1023 "$FX" "$version" "$SHIM" --disable "$SP" 7
[ "$(cat "$T/inj-disable.rc")" = 7 ] && ok "--disable: no request injected" || fail "--disable injected: $(cat "$T/inj-disable.rc")"
# ptrace refused: already traced (strace), or a set-user-ID program run by a normal user.
if command -v strace >/dev/null; then
	run traced strace -f -o /dev/null "$FX" "$version" "$SHIM" --debug "$SP" 7
	[ "$(cat "$T/traced.rc")" = 7 ] && grep -q "static executable, AMX permission not requested: ptrace refused" "$T/traced.err" &&
		ok "ptrace refused (already traced): said plainly, program runs" || fail "traced: $(cat "$T/traced.rc" "$T/traced.err")"
	run traced-strict strace -f -o /dev/null "$FX" "$version" "$SHIM" --strict "$SP" 7
	[ "$(cat "$T/traced-strict.rc")" = 125 ] && ok "ptrace refused under --strict: exit 125" || fail "traced --strict: $(cat "$T/traced-strict.rc")"
fi
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$T"
	cp "$SP" "$T/suid-perm" && chmod 4755 "$T/suid-perm"
	cp "$TT/amxrun-exec-fake" "$T/fake-exec" && chmod 755 "$T/fake-exec"
	# (copies nobody can reach: the tree may sit below a 0700 directory, as in a package build)
	cp "$SHIM" "$T/libamxshim.so" && chmod 644 "$T/libamxshim.so"
	cp "$AMXSHIM_FAKE_CPU" "$T/cpu.txt" && chmod 644 "$T/cpu.txt"
	run suid env AMXSHIM_FAKE_CPU="$T/cpu.txt" setpriv --reuid=65534 --regid=65534 --clear-groups "$T/fake-exec" "$version" "$T/libamxshim.so" --debug "$T/suid-perm" 7
	[ "$(cat "$T/suid.rc")" = 7 ] && grep -q "set-user-ID.* cannot be requested" "$T/suid.err" && grep -q "^pid=" "$T/suid.out" &&
		ok "set-user-ID static program as a normal user: not traced, said plainly" || fail "setuid: $(cat "$T/suid.rc" "$T/suid.err")"
	run suid-strict env AMXSHIM_FAKE_CPU="$T/cpu.txt" setpriv --reuid=65534 --regid=65534 --clear-groups "$T/fake-exec" "$version" "$T/libamxshim.so" --strict "$T/suid-perm" 7
	[ "$(cat "$T/suid-strict.rc")" = 125 ] && ok "set-user-ID under --strict: exit 125" || fail "setuid --strict: $(cat "$T/suid-strict.rc")"
else
	echo "note: not root or no setpriv: the set-user-ID case is not run"
fi
finish
