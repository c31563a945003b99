#!/bin/sh
# SPDX-License-Identifier: MIT
# Build hygiene of libamxshim.so: no TEXTREL, BIND_NOW, no executable stack, the IRELATIVE relocation of
# the early hook is there, and the exported dynamic symbols are exactly tests/integration/libamxshim.abi.
. "$(dirname "$0")/../lib.sh"
need_tool readelf nm
need_built

readelf -dW "$SHIM" >"$T/dyn" || { fail "readelf -d failed"; finish; }
if grep -q TEXTREL "$T/dyn"; then fail "TEXTREL present"; else ok "no TEXTREL"; fi
if grep -Eq '\(FLAGS\).*\bBIND_NOW\b' "$T/dyn" && grep -Eq '\(FLAGS_1\).*\bNOW\b' "$T/dyn"; then
	ok "BIND_NOW (FLAGS BIND_NOW, FLAGS_1 NOW)"
else
	fail "not linked with -z now:"; grep FLAGS "$T/dyn"
fi

readelf -lW "$SHIM" >"$T/phdr"
stack=$(awk '$1 == "GNU_STACK" { print $(NF - 1) }' "$T/phdr")
case $stack in
RW) ok "non-executable stack (GNU_STACK $stack)" ;;
*) fail "GNU_STACK flags are '${stack:-missing}', want RW" ;;
esac
if grep -q GNU_RELRO "$T/phdr"; then ok "RELRO segment"; else fail "no GNU_RELRO segment"; fi

# The early hook: exactly the IRELATIVE relocation(s) the shim references from data, pointing at
# early_resolve when the symbol table is there to check.
readelf -rW "$SHIM" >"$T/rel"
nirel=$(grep -c 'R_X86_64_IRELATIV' "$T/rel")
if [ "$nirel" -ge 1 ]; then ok "$nirel IRELATIVE relocation(s)"; else fail "no IRELATIVE relocation: no early hook"; fi
addr=$(readelf -sW "$SHIM" | awk '$8 == "early_resolve" { print $2 }' | head -n 1)
if [ -n "$addr" ]; then
	if grep 'R_X86_64_IRELATIV' "$T/rel" | awk '{ print $NF }' | sed 's/^0*//' | grep -qx "$(echo "$addr" | sed 's/^0*//')"; then
		ok "an IRELATIVE relocation targets early_resolve (0x$addr)"
	else
		fail "no IRELATIVE relocation targets early_resolve (0x$addr)"; grep IRELATIV "$T/rel"
	fi
fi

# Exported ABI: every defined dynamic symbol with its version, the version node itself left out.
nm -D --defined-only "$SHIM" | awk '$2 != "A" { print $3 }' | sed 's/@@*/@/' | sort >"$T/abi"
grep -v '^#' tests/integration/libamxshim.abi | sed '/^$/d' | sort >"$T/abi.expected"
if cmp -s "$T/abi" "$T/abi.expected"; then
	ok "exported symbols match libamxshim.abi ($(wc -l <"$T/abi") symbols)"
else
	fail "exported symbols differ from tests/integration/libamxshim.abi (- expected, + actual):"
	diff "$T/abi.expected" "$T/abi" | grep '^[<>]' | sed 's/^</-/; s/^>/+/'
fi
if nm -D --defined-only "$SHIM" | awk '$2 == "A" { print $3 }' | grep -qx 'AMXSHIM_1.0'; then
	ok "version node AMXSHIM_1.0 defined"
else
	fail "version node AMXSHIM_1.0 missing"
fi
finish
