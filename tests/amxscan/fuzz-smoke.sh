#!/bin/sh
# SPDX-License-Identifier: MIT
# 20 seconds of libFuzzer over the ELF and decoder paths, from the kept corpus; any crash fails.
# New inputs go to a scratch directory so the kept corpus only grows through `make fuzz`.
set -u
B=${BUILD:-build}
FUZZ_CC=${FUZZ_CC:-clang}
W=$B/tests/amxscan/fuzz-smoke
mkdir -p "$W" || exit 1
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$W/probe.c"
if ! "$FUZZ_CC" -fsanitize=fuzzer "$W/probe.c" -o "$W/probe" 2>/dev/null; then
	echo "$FUZZ_CC with libFuzzer (libclang-rt-14-dev) is not available"
	exit 77
fi
${MAKE:-make} -s BUILD="$B" "$B/fuzz-amxscan" || exit 1
rm -rf "$W/new" && mkdir -p "$W/new" || exit 1
[ -d tests/amxscan/corpus ] && [ -n "$(ls tests/amxscan/corpus)" ] || { echo "FAIL: tests/amxscan/corpus is missing or empty"; exit 1; }
rm -f "$W"/crash-* "$W"/leak-* "$W"/timeout-* "$W"/oom-*
"$B/fuzz-amxscan" -max_total_time=${FUZZ_SMOKE_SECONDS:-20} -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-print_final_stats=1 -artifact_prefix="$W/" "$W/new" tests/amxscan/corpus >"$W/log" 2>&1
status=$?
tail -n 25 "$W/log"
if ls "$W"/crash-* "$W"/leak-* "$W"/timeout-* "$W"/oom-* >/dev/null 2>&1; then
	echo "fuzzer found a failing input: $(ls "$W"/crash-* "$W"/leak-* "$W"/timeout-* "$W"/oom-* 2>/dev/null)"
	exit 1
fi
# A run that executed nothing proves nothing.
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$W/log")
[ "${runs:-0}" -gt 1000 ] || { echo "FAIL: the fuzzer executed only ${runs:-0} inputs"; exit 1; }
echo "fuzz smoke: $runs inputs, no crash"
exit $status
