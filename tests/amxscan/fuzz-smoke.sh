#!/bin/sh
# SPDX-License-Identifier: MIT
# 20 seconds of libFuzzer over the ELF and decoder paths, from the kept corpus; any crash fails.
# New inputs go to a scratch directory so the kept corpus only grows through `make fuzz`. The fuzzer is a
# TEST_DEPS input wherever $(FUZZ_CC) has libFuzzer (tools/amxscan/module.mk); elsewhere this test skips.
. "$(dirname "$0")/../lib.sh"
FUZZ_CC=${FUZZ_CC:-clang}
W=$T
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$W/probe.c"
if ! "$FUZZ_CC" -fsanitize=fuzzer "$W/probe.c" -o "$W/probe" 2>/dev/null; then
	skip "$FUZZ_CC with libFuzzer (libclang-rt-14-dev) is not available"
fi
# $FUZZ_CC can build fuzzers, so make check must have built this one.
[ -x "$B/fuzz-amxscan" ] || { fail "$B/fuzz-amxscan is not built (a TEST_DEPS input where $FUZZ_CC has libFuzzer)"; finish; }
mkdir -p "$W/new" || exit 1
if [ -d tests/amxscan/corpus ] && [ -n "$(ls tests/amxscan/corpus)" ]; then
	ok "the kept corpus has $(ls tests/amxscan/corpus | wc -l) inputs"
else
	fail "tests/amxscan/corpus is missing or empty"
	finish
fi
"$B/fuzz-amxscan" -max_total_time="${FUZZ_SMOKE_SECONDS:-20}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-print_final_stats=1 -artifact_prefix="$W/" "$W/new" tests/amxscan/corpus >"$W/log" 2>&1
status=$?
tail -n 25 "$W/log"
if ls "$W"/crash-* "$W"/leak-* "$W"/timeout-* "$W"/oom-* >/dev/null 2>&1; then
	fail "fuzzer found a failing input: $(ls "$W"/crash-* "$W"/leak-* "$W"/timeout-* "$W"/oom-* 2>/dev/null)"
	finish
fi
[ "$status" = 0 ] && ok "the fuzzer exited 0" || fail "the fuzzer exited $status"
# A run that executed nothing proves nothing.
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$W/log")
if [ "${runs:-0}" -gt 1000 ]; then
	ok "fuzz smoke: $runs inputs, no crash"
else
	fail "the fuzzer executed only ${runs:-0} inputs"
fi
finish
