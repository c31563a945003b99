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
trap 'rm -f "$tmp" "$tmp.true" "$tmp.probe"' EXIT
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
	"$B/bench/startup" "$ROUNDS" "$(readlink -f "$B/bench/libempty.so")" "$(readlink -f "$B/libamxshim.so")" /bin/true |
		tee "$tmp.true"
	"$B/bench/startup" "$(( ROUNDS / 2 + 1 ))" "$(readlink -f "$B/bench/libempty.so")" "$(readlink -f "$B/libamxshim.so")" python3 -c pass
	echo
	# The same start-ups counted rather than timed (deterministic; bench/count.sh).
	BUILD=$B bench/count.sh
	echo
	echo "Pictures of this run: [start-up, times and instructions](startup.svg), [kernels' roofline](roofline.svg)"
	echo "(drawn by \`bench/plot.sh\` from the tables of this file)."
	echo
	echo "## The probe"
	echo
	echo "| what | cost |"
	echo "| --- | --- |"
	"$B/bench/probe" 101 | tee "$tmp.probe"
	# The minimal path's cost per recorded CPU (fake platform, a Linux-consistent kernel): <= 4 CPUIDs with AMX.
	for f in sapphire-rapids-firecracker-vm-measured sapphire-rapids-vm-zero-palettes-synthesized zen3-epyc-this-machine; do
		"$B/bench/probe_count" "tests/fixtures/cpuid/$f.txt"
	done
	echo
	echo "### Start-up on an AMX machine"
	echo
	amx=$(grep -c -w amx_tile /proc/cpuinfo || true)
	awk -F'|' -v amx="$amx" 'FNR == NR { e = $4 + 0; s = $5 + 0; d = $6 + 0; next }
		/one CPUID/ { split($3, w, ","); sub(/ ns.*/, "", w[2]); c = w[2] / 1000 }
		/one arch_prctl/ { y = $3 / 1000 }
		END {
			if (amx > 0) {
				printf "This machine has AMX: the shim above took the minimal AMX path (4 CPUID, 1 XGETBV, 4 arch_prctl);"
				printf " shim / empty preload = %.3f (goal <= 1.03).\n", s / e
			} else {
				printf "No AMX here (`grep -w amx_tile /proc/cpuinfo` is empty): the shim above executed 2 CPUIDs and no"
				printf " arch_prctl. An AMX machine adds 2 CPUIDs and 4 arch_prctl calls (GET, GET, REQ, GET) to the minimal"
				printf " path; at this run'"'"'s measured costs (%.2f us a CPUID, %.2f us a call) `/bin/true` would take", c, y
				printf " %.0f us: predicted shim / empty preload = %.3f (goal <= 1.03; measured here without AMX: %.3f).\n",
					s + 2 * c + 4 * y, (s + 2 * c + 4 * y) / e, s / e
			}
		}' "$tmp.true" "$tmp.probe"
	echo
	echo "Standalone: \`make bench-startup\` prints the \`/bin/true\` row and the ratio alone."
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
rm -f "$tmp.true" "$tmp.probe"
bench/plot.sh "$out" "$(dirname "$out")" || true
