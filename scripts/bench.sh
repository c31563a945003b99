#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every benchmark, prints the tables and writes them to $BUILD/BENCHMARKS.md with the machine they ran
# on (never to a tracked file: `make bench-docs` copies a run worth keeping to docs/BENCHMARKS.md).
# Each figure is a median of interleaved runs; each comparison is a ratio measured in the same run.
set -eu
B=${BUILD:-build}
ROUNDS=${BENCH_ROUNDS:-201}
out=$B/BENCHMARKS.md
mkdir -p "$B"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
	echo "# amxshim benchmarks"
	echo
	echo "Written by \`make bench\` on $(date -u +%Y-%m-%d). Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'),"
	echo "$(nproc) CPUs, Linux $(uname -r), $(ldd --version | head -n1 | sed 's/.*) //') glibc; AMX here: $("$B/amxinfo" --check --request && echo yes || echo no)."
	echo
	echo "## Process start-up ($ROUNDS interleaved runs each, median wall time in microseconds)"
	echo
	echo "| command | no preload | empty preload | shim | shim + DISABLE | shim / empty | shim+DISABLE / empty |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
	"$B/bench/startup" "$ROUNDS" "$(readlink -f "$B/bench/libempty.so")" "$(readlink -f "$B/libamxshim.so")" /bin/true
	"$B/bench/startup" "$(( ROUNDS / 2 + 1 ))" "$(readlink -f "$B/bench/libempty.so")" "$(readlink -f "$B/libamxshim.so")" python3 -c pass
	echo
	echo "## The probe"
	echo
	echo "| what | cost |"
	echo "| --- | --- |"
	"$B/bench/probe" 101
	for f in sapphire-rapids-firecracker-vm-measured zen3-epyc-this-machine; do
		"$B/bench/probe_count" "tests/fixtures/cpuid/$f.txt"
	done
	echo
	echo "## Dispatch (median of 31 rounds of 2M calls, ns per call; ratio to the direct call)"
	echo
	echo "| call | time | / direct |"
	echo "| --- | --- | --- |"
	"$B/bench/dispatch"
	if [ -x scripts/bench-kernels ]; then
		echo
		BUILD=$B scripts/bench-kernels
	fi
	if [ -x scripts/bench-amxscan ]; then
		echo
		echo "## amxscan against \`objdump -d FILE | grep -c -E 'tdp|tile'\` (wall seconds, ratio)"
		echo
		echo '```'
		BUILD=$B scripts/bench-amxscan
		echo '```'
	fi
} | tee "$tmp"
cp "$tmp" "$out"
echo "wrote $out" >&2
