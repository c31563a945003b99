#!/bin/sh
# SPDX-License-Identifier: MIT
# The start-up cost in instructions: bench/stepcount single-steps whole processes (/bin/true bare, under an
# empty preload object, under the shim with and without AMXSHIM_DISABLE=1, and the README's library example
# with and without the shim) and prints the counts, the goals they meet or miss, and where the
# instructions ran, as markdown. Counts repeat exactly on one machine and environment (unlike times);
# goals are printed, never asserted. `make bench-count` runs it alone; scripts/bench.sh includes it.
set -eu
B=${BUILD:-build}
SC=$B/bench/stepcount
for f in "$SC" "$B/bench/libempty.so" "$B/libamxshim.so" "$B/bench/zero16"; do
	[ -e "$f" ] || { echo "count: $f is not built (make bench-count builds it)" >&2; exit 2; }
done
# Every run states what it sets: nothing inherited from the caller.
for v in $(env | sed -n 's/^\(AMXSHIM_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
unset LD_PRELOAD LD_LIBRARY_PATH LD_BIND_NOW LD_AUDIT LD_DEBUG GLIBC_TUNABLES
empty=$(readlink -f "$B/bench/libempty.so")
shim=$(readlink -f "$B/libamxshim.so")
zero16=$(readlink -f "$B/bench/zero16")
amx=no
"$B/amxinfo" --check --request >/dev/null 2>&1 && amx=yes
tmp=$(mktemp)
trap 'rm -f "$tmp" "$tmp.run"' EXIT

# one LABEL STEPCOUNT-ARGS... COMMAND: appends "LABEL|COMMAND's name|totals|object lines..." to $tmp.
one() {
	_label=$1
	shift
	for _cmd; do :; done
	if ! "$SC" -o "$@" >"$tmp.run" 2>&1; then
		echo "count: stepcount $* failed:" >&2
		cat "$tmp.run" >&2
		exit 1
	fi
	printf '%s|%s|%s\n' "$_label" "${_cmd##*/}" "$(grep -e '^instructions=' -e '^object=' "$tmp.run" | tr '\n' '|')" >>"$tmp"
}
one '`/bin/true`' /bin/true
one '`/bin/true`, empty preload object' -e "LD_PRELOAD=$empty" /bin/true
one '`/bin/true`, libamxshim.so' -e "LD_PRELOAD=$shim" /bin/true
one '`/bin/true`, libamxshim.so, AMXSHIM_DISABLE=1' -e "LD_PRELOAD=$shim" -e AMXSHIM_DISABLE=1 /bin/true
one 'README example (`zero16`: libzero16.so, resolver linked in)' "$zero16"
one 'README example, libamxshim.so' -e "LD_PRELOAD=$shim" "$zero16"

echo "## Start-up in instructions (single-stepped, whole process; AMX here: $amx)"
echo
awk -F'|' -v amx="$amx" '
function th(n,   s, r, neg) {
	s = sprintf("%d", n); neg = ""; r = ""
	if (s ~ /^-/) { neg = "-"; s = substr(s, 2) }
	while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
	return neg s r
}
function val(line, key,   m) { m = line; if (!match(m, key "=[0-9]+")) return 0; return substr(m, RSTART + length(key) + 1, RLENGTH - length(key) - 1) + 0 }
function col(name, prog) {
	if (name ~ /^ld-linux/) return 1
	if (name == "libc.so.6") return 2
	if (name == "libamxshim.so" || name == "libempty.so") return 3
	if (name == "libzero16.so") return 4
	if (name == prog) return 5
	return 6
}
{
	n++; label[n] = $1; prog = $2; ins[n] = val($3, "instructions"); cpu[n] = val($3, "cpuid")
	xgb[n] = val($3, "xgetbv"); sys[n] = val($3, "syscall")
	for (c = 1; c <= 6; c++) { oi[n, c] = 0; oc[n, c] = 0 }
	for (i = 4; i <= NF; i++) if ($i ~ /^object=/) {
		name = $i; sub(/^object=/, "", name); sub(/ .*/, "", name); c = col(name, prog)
		oi[n, c] += val($i, "instructions"); oc[n, c] += val($i, "cpuid")
	}
}
END {
	print "| run | instructions | CPUID | XGETBV | system calls |"
	print "| --- | ---: | ---: | ---: | ---: |"
	for (i = 1; i <= n; i++) printf "| %s | %s | %d | %d | %d |\n", label[i], th(ins[i]), cpu[i], xgb[i], sys[i]
	# Rows 2, 3, 4: empty preload, shim, shim + DISABLE (all /bin/true).
	d = ins[4] - ins[2]; s = ins[3] - ins[2]; own = cpu[3] - cpu[2]
	print ""
	print "| goal (`/bin/true`, against the empty preload object) | measured | limit | |"
	print "| --- | ---: | ---: | --- |"
	printf "| AMXSHIM_DISABLE=1: instructions beyond the empty preload | %s | 5,000 | %s |\n", th(d), d <= 5000 ? "PASS" : "MISS"
	if (amx == "yes") {
		printf "| the shim: instructions beyond the empty preload | %s | (goal for machines without AMX) | |\n", th(s)
		printf "| the shim'"'"'s own CPUID (shim - empty preload), AMX machine | %d | 1 | %s |\n", own, own <= 1 ? "PASS" : "MISS"
	} else {
		printf "| the shim: instructions beyond the empty preload, no AMX | %s | 8,000 | %s |\n", th(s), s <= 8000 ? "PASS" : "MISS"
		printf "| the shim'"'"'s own CPUID (shim - empty preload), no AMX | %d | 0 | %s |\n", own, own <= 0 ? "PASS" : "MISS"
	}
	printf "| (the shim'"'"'s own XGETBV and system calls, for the record) | %d, %d | | |\n", xgb[3] - xgb[2], sys[3] - sys[2]
	print ""
	print "### Attributed by address (instructions, and CPUID where any, by the mapping they ran in)"
	print ""
	print "| run | ld.so | libc.so.6 | preloaded object | libzero16.so | the program | other |"
	print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	for (i = 1; i <= n; i++) {
		printf "| %s |", label[i]
		for (c = 1; c <= 6; c++) printf " %s%s |", oi[i, c] ? th(oi[i, c]) : "-", oc[i, c] ? " (" oc[i, c] " CPUID)" : ""
		printf "\n"
	}
}' "$tmp"
echo
echo "Counted by \`bench/stepcount\` (ptrace single-step from the loader's first instruction to exit, address"
echo "randomisation off; CPUID and XGETBV recognised by their opcode at RIP): exact and repeatable for one"
echo "machine, environment and glibc build, so differences of a few instructions are real. \`make bench-count\`."
