#!/bin/sh
# SPDX-License-Identifier: MIT
# Loading the shim costs every process one symbol lookup per import (BIND_NOW), called or not: the shim
# imports only what its common path or an async-signal-safe path needs, and looks the rest up when a rare
# path runs (shim/libc.h). A new import must be argued for in docs/BENCHMARKS.md and added here.
. "$(dirname "$0")/common.sh"
need_tool readelf
need_built

# Functions: dlsym (the rare paths' one way in) and __errno_location (the sigaltstack interposer's errno).
# Data: the resolver's environ, program_invocation_name and __libc_stack_end (resolver/startenv.c), and
# what the compiler's crt files reference in any shared object. The resolver's weak glibc leaf reference
# (__x86_get_cpuid_feature_leaf, resolver/platform.c) costs one lookup and saves a CPUID, a VM exit.
ALLOWED='dlsym __errno_location __environ program_invocation_name __libc_stack_end __x86_get_cpuid_feature_leaf
__cxa_finalize __gmon_start__ _ITM_registerTMCloneTable _ITM_deregisterTMCloneTable'
# A distribution's hardening adds the stack protector's failure call (dpkg-buildflags, rpm's %optflags:
# -fstack-protector-strong): its choice, kept, not ours to undo. Allowed only when the build asked for it.
case " ${CFLAGS:-} " in
*-fstack-protector*) ALLOWED="$ALLOWED __stack_chk_fail" ;;
esac

readelf -rW "$SHIM" >"$T/rel" || { fail "readelf -r failed"; finish; }
awk '$3 ~ /^R_X86_64_(JUMP_SLOT|GLOB_DAT|64)$/ { sub(/@.*/, "", $5); print $5 }' "$T/rel" | sort -u >"$T/imports"
extra=$(for s in $(cat "$T/imports"); do
	case " $(echo "$ALLOWED" | tr '\n' ' ') " in *" $s "*) ;; *) echo "$s" ;; esac
done)
if [ -z "$extra" ]; then
	ok "imports: $(tr '\n' ' ' <"$T/imports")"
else
	fail "imports beyond the allowed ones (each costs every process a lookup at load):" $extra
fi
if [ "$(wc -l <"$T/imports")" -ge 2 ]; then ok "the relocation list was read"; else fail "no imports found: parse error"; fi

# No thread-local storage of its own: a TLS module, its relocations and __tls_get_addr cost every process.
if grep -Eq 'R_X86_64_(DTPMOD64|DTPOFF64|TPOFF64|TLSDESC)' "$T/rel"; then
	fail "TLS relocations:"; grep -E 'DTPMOD|DTPOFF|TPOFF|TLSDESC' "$T/rel"
else
	ok "no TLS relocations"
fi
readelf -lW "$SHIM" | grep -q '^ *TLS ' && fail "a PT_TLS segment" || ok "no PT_TLS segment"

# Needed: libc alone (ld.so is loaded anyway; a DT_NEEDED on it is one more object to match by name).
needed=$(readelf -dW "$SHIM" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
if [ "$needed" = "libc.so.6 " ]; then ok "DT_NEEDED: $needed"; else fail "DT_NEEDED: '$needed', want libc.so.6 alone"; fi
finish
