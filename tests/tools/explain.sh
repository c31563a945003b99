#!/bin/sh
# SPDX-License-Identifier: MIT
# amxrun --explain: before a program (or a process it forks, or a thread) dies of SIGILL/SIGSEGV, one
# paragraph names the instruction (mnemonic, set), its object, address and nearest symbol, and the layer
# that refused; the program still dies as it would have, handled signals pass untouched. amxtruth is the
# oracle for which layer answers on this machine: cpu without AMX; with AMX, tilecfg once the shim got
# permission and permission under --disable. The program's own arch_prctl answers are reported, also when
# its own seccomp filter gives them. Prints (never asserts) the cost of 100,000 handled signals.
# ok/fail always succeed, so "A && ok || fail" is an if-then-else here.
# shellcheck disable=SC2015
# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
TT=$B/tests/tools
P=$TT/explain-prog
need_built "$B/amxrun" "$B/amxrun-exec" "$P" "$H/seccomp-run" "$H/amxtruth" "$TT/static-perm" "$TT/amxrun-exec-fake"
RUN=$B/amxrun
SECCOMP=$H/seccomp-run
version=$(sed -n 's/^#define AMXSHIM_VERSION_STRING "\(.*\)"/\1/p' include/amxshim/resolver.h)
if real_amx; then
	amx=1 layer=tilecfg layer_disabled=permission
else
	amx=0 layer=cpu layer_disabled=cpu
fi
echo "note: real AMX: $amx; tdpbssd is expected to stop at layer $layer ($layer_disabled under --disable)"
# The crash site's address as objdump and addr2line show it: amx_crash_site + 4 (endbr64 comes first).
site=$(nm "$P" | sed -n 's/^0*\([0-9a-f]*\) [Tt] amx_crash_site$/\1/p')
where="$P+0x$(printf '%x' $((0x$site + 4))) (amx_crash_site+0x4)"
para() { grep "^amxrun\[[0-9]*\]: --explain: " "$T/$1.err"; }

"$RUN" --help | grep -q -- '--explain' && ok "--help names --explain" || fail "--help: no --explain"

# ---- The program itself: the instruction, the place, the layer; output and exit status its own -----------
run plain-amx "$RUN" "$P" amx
run amx "$RUN" --explain "$P" amx
[ "$(cat "$T/amx.rc")" = 132 ] && cmp -s "$T/plain-amx.out" "$T/amx.out" && ok "AMX crash: dies of SIGILL (132), stdout unchanged" ||
	fail "AMX crash: rc $(cat "$T/amx.rc"), stdout $(cat "$T/amx.out")"
para amx | grep -qF "SIGILL (Illegal instruction) in explain-prog, thread " && para amx | grep -qF ": tdpbssd (AMX-INT8) at $where" &&
	ok "names tdpbssd (AMX-INT8) at $where" || { fail "instruction/place: expected $where"; cat "$T/amx.err"; }
para amx | grep -q "layer $layer: " && ok "layer $layer" || { fail "layer: expected $layer"; cat "$T/amx.err"; }
n=$(para amx | wc -l)
[ "$n" -ge 2 ] && [ "$n" -le 3 ] && ok "one short paragraph ($n lines)" || fail "paragraph: $(para amx | wc -l) lines"
if [ "$amx" = 0 ]; then
	para amx | grep -qF "layer cpu: this CPU does not have AMX-INT8 (CPUID.(07H,0):EDX[25] is clear)" &&
		ok "cpu layer: names the CPUID bit" || fail "cpu layer text: $(para amx)"
fi
run amx-disabled "$RUN" --disable --explain "$P" amx
para amx-disabled | grep -q "layer $layer_disabled: " && ok "--disable: layer $layer_disabled" ||
	{ fail "--disable: expected $layer_disabled"; cat "$T/amx-disabled.err"; }

# ---- Worker processes: a forked child and a thread ---------------------------------------------------
bg fork "$RUN" --explain "$P" fork
pid=$(cat "$T/fork.pid")
[ "$(cat "$T/fork.rc")" = 3 ] && grep -q '^child: signal 4$' "$T/fork.out" && ok "forked child: dies of SIGILL, parent goes on (exit 3)" ||
	fail "fork: rc $(cat "$T/fork.rc") $(cat "$T/fork.out")"
para fork | grep -q "^amxrun\[[0-9]*\]: --explain: SIGILL .*: tdpbssd (AMX-INT8) at " && ! para fork | grep -q "^amxrun\[$pid\]" &&
	para fork | grep -q "layer $layer: " && ok "forked child: explained, under the child's PID" || { fail "fork paragraph"; cat "$T/fork.err"; }
bg thread "$RUN" --explain "$P" thread
pid=$(cat "$T/thread.pid")
[ "$(cat "$T/thread.rc")" = 132 ] && para thread | grep -q "^amxrun\[$pid\]: --explain: SIGILL (Illegal instruction) in explain-prog, thread [0-9]*: tdpbssd" &&
	! para thread | grep -q "thread $pid:" && para thread | grep -q "layer $layer: " && ok "second thread: explained, its thread named" ||
	{ fail "thread: rc $(cat "$T/thread.rc")"; cat "$T/thread.err"; }

# ---- Not AMX, handled signals, signal frames -----------------------------------------------------------
run ud2 "$RUN" --explain "$P" ud2
[ "$(cat "$T/ud2.rc")" = 132 ] && para ud2 | grep -q "an instruction that is not AMX (bytes 0f 0b)" &&
	para ud2 | grep -q -- "--explain: not AMX: " && ! para ud2 | grep -q "layer [a-z]*: " && ok "ud2: not AMX" || { fail "ud2"; cat "$T/ud2.err"; }
run handled-plain "$RUN" "$P" handled 3
run handled "$RUN" --explain "$P" handled 3
same handled-plain handled "a handled SIGILL passes through: output, stderr and exit status unchanged"
grep -q '^handled 3$' "$T/handled.out" && ok "the program's handler ran 3 times" || fail "handler: $(cat "$T/handled.out")"
run altstack "$RUN" --explain "$P" altstack
[ "$(cat "$T/altstack.rc")" = 139 ] && para altstack | grep -q "could not write the frame for signal 10" &&
	ok "a signal frame that cannot be written: SIGSEGV at delivery, said so" || { fail "altstack"; cat "$T/altstack.err"; }
if [ "$amx" = 1 ]; then
	para altstack | grep -q "layer altstack: " && ok "with AMX permission: layer altstack" || fail "altstack layer: $(para altstack)"
else
	para altstack | grep -q -- "--explain: not AMX: .*no AMX permission" && ok "without AMX permission: not AMX" || fail "altstack: $(para altstack)"
fi

# ---- The program's own arch_prctl: the kernel's answer, and a seccomp policy's -------------------------
run req "$RUN" --disable --explain "$P" req
got=$(sed -n 's/^req: //p' "$T/req.out")
if [ "$got" = granted ]; then
	para req | grep -q "layer tilecfg: " && ok "its request granted: layer tilecfg" || fail "granted: $(para req)"
else
	# The errno the program printed is the one amxrun names.
	para req | grep -q "refused: $got (" && ok "its own request refused by the kernel: $got named" || { fail "req: expected $got"; cat "$T/req.err"; }
fi
run req-eperm "$RUN" --disable --explain "$SECCOMP" EPERM:0x1023 "$P" req
grep -q '^req: EPERM$' "$T/req-eperm.out" && para req-eperm | grep -q "refused: EPERM (Operation not permitted)" &&
	ok "a seccomp filter of its own refuses with EPERM: named (its filter answers before amxrun's)" || { fail "seccomp EPERM"; cat "$T/req-eperm.out" "$T/req-eperm.err"; }
if [ "$amx" = 1 ]; then
	para req-eperm | grep -q "layer kernel: .*EPERM" && ok "with AMX: layer kernel, EPERM" || fail "kernel layer: $(para req-eperm)"
else
	para req-eperm | grep -q "layer cpu: " && ok "without AMX: the cpu layer still comes first" || fail "cpu first: $(para req-eperm)"
fi

# ---- Static executables: the request is still injected (fake Sapphire Rapids, the real kernel answers) ---
run static env AMXSHIM_FAKE_CPU="$ROOT/tests/fixtures/cpuid/sapphire-rapids.txt" "$TT/amxrun-exec-fake" "$version" "$SHIM" \
	--explain --debug "$TT/static-perm" 7
[ "$(cat "$T/static.rc")" = 7 ] && grep -q "requested with ptrace at the entry point" "$T/static.err" && grep -q '^pid=' "$T/static.out" &&
	ok "static executable under --explain: the request injected, the program runs (exit 7)" || { fail "static"; cat "$T/static.err"; }

# ---- Refusals: privileged programs, and ptrace refused --------------------------------------------------
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	# Copies the unprivileged user can reach: a package build's tree sits below a 0700 directory.
	chmod 755 "$T"
	cp "$P" "$T/suid-prog" && chmod 4755 "$T/suid-prog"
	cp "$B/amxrun-exec" "$SHIM" "$T/" && chmod 755 "$T/amxrun-exec" && chmod 644 "$T/libamxshim.so"
	run suid setpriv --reuid=65534 --regid=65534 --clear-groups "$T/amxrun-exec" "$version" "$T/libamxshim.so" \
		--explain "$T/suid-prog" amx
	[ "$(cat "$T/suid.rc")" = 126 ] && [ ! -s "$T/suid.out" ] && grep -q "set-user-ID.*would drop its privileges, so it is not run" "$T/suid.err" &&
		ok "set-user-ID program: refused with the reason, not run" || fail "setuid: $(cat "$T/suid.rc" "$T/suid.err")"
else
	echo "note: not root or no setpriv: the set-user-ID case is not run"
fi
if command -v strace >/dev/null; then
	run traced strace -f -o /dev/null "$RUN" --explain "$P" handled 1
	[ "$(cat "$T/traced.rc")" = 0 ] && grep -q "cannot trace it (ptrace refused" "$T/traced.err" &&
		ok "already traced: said plainly, the program runs" || fail "traced: $(cat "$T/traced.rc" "$T/traced.err")"
fi

# ---- What a handled signal costs (printed, not asserted) -------------------------------------------------
now() { date +%s%N; }
t0=$(now)
"$RUN" "$P" handled 100000 >/dev/null
t1=$(now)
"$RUN" --explain "$P" handled 100000 >/dev/null
t2=$(now)
echo "note: 100,000 handled SIGILLs: $(((t1 - t0) / 1000000)) ms plain, $(((t2 - t1) / 1000000)) ms under --explain" \
	"(x$(((t2 - t1) * 10 / (t1 - t0) / 10)).$(((t2 - t1) * 10 / (t1 - t0) % 10)); $(((t2 - t1 - t1 + t0) / 100000)) ns more per signal)"
finish
