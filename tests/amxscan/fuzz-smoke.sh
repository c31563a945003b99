#!/bin/sh
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
"$B/fuzz-amxscan" -max_total_time=${FUZZ_SMOKE_SECONDS:-20} -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-print_final_stats=1 -artifact_prefix="$W/" "$W/new" tests/amxscan/corpus 2>&1 | tail -n 25
status=$?
# POSIX sh has no pipefail: look for a crash artifact instead of trusting the pipe's status.
if ls "$W"/crash-* "$W"/leak-* "$W"/timeout-* "$W"/oom-* >/dev/null 2>&1; then
	echo "fuzzer found a failing input: $(ls "$W"/crash-* "$W"/leak-* "$W"/timeout-* "$W"/oom-* 2>/dev/null)"
	exit 1
fi
exit $status
