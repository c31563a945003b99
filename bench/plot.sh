#!/bin/sh
# SPDX-License-Identifier: MIT
# Draws the pictures of a `make bench` run from its markdown (docs/BENCHMARKS.md): the start-up comparison
# (left: no preload, empty preload, shim, shim + AMXSHIM_DISABLE, as ratios of median times to the empty
# preload; right: the instructions of each counted run, by the mapping they ran in) and the kernels' roofline (every variant's GFLOP/s or GOP/s under its unit's peak). Uses gnuplot, else
# python3-matplotlib; with neither it names what is missing and draws nothing (it never installs).
# Usage: bench/plot.sh [BENCHMARKS.md [OUTDIR]]
set -eu
md=${1:-docs/BENCHMARKS.md}
out=${2:-$(dirname "$md")}
[ -r "$md" ] || { echo "plot: no $md (run make bench)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Start-up rows: | `cmd` | none | empty | shim | disable | ... -> "cmd none/empty 1 shim/empty disable/empty".
awk -F'|' '/^## / { on = /^## Process start-up/ } on && /^\| `/ && NF >= 8 {
	gsub(/[` ]/, "", $2); split($2, w, "/"); name = w[length(w)]
	e = $4 + 0; if (e <= 0) next
	printf "%s %.4f 1 %.4f %.4f\n", name, $3 / e, $5 / e, $6 / e }' "$md" >"$tmp/startup.dat"
# Variant rows: | gemm_x | peak | a (p%) | b (p%) | c (p%) | -> one line per size: "variant size value".
# The first table of each kind only: a file may keep an earlier machine's tables below this run's.
awk -F'|' '
/^\| variant \| peak per cycle/ && !done { for (i = 4; i < NF; i++) { s = $i; gsub(/[ ^3]/, "", s); size[i] = s }; on = 1; next }
on && /^\| gemm_/ { v = $2; gsub(/ /, "", v)
	for (i = 4; i < NF; i++) { x = $i; sub(/\(.*/, "", x); gsub(/ /, "", x); if (x != "") print v, size[i], x } ; next }
on && !/^\|/ { on = 0; done = 1 }' "$md" >"$tmp/variants.dat"
# Peaks: "| unit | per cycle | peak |" under "### Roofline".
awk -F'|' '/^### Roofline/ && !done { on = 1; next } on && /^##/ { on = 0; done = 1 }
on && /^\| [A-Za-z]/ && $3 + 0 > 0 { u = $2; gsub(/^ +| +$/, "", u); sub(/ \(.*/, "", u); sub(/.*: /, "", u)
	p = $4 + 0; name[p] = (p in name) ? name[p] " / " u : u }
END { for (p in name) { n = name[p]; gsub(/ /, "_", n); printf "%s %s\n", n, p } }' "$md" >"$tmp/peaks.dat"
# Counted runs ("### Attributed by address"): | run | ld.so | libc | preloaded | libzero16 | program | other |
# -> "\"short name\" six counts"; and the empty preload's total, the base of the goal lines.
awk -F'|' '/^### Attributed by address/ { on = 1; next } on && /^#/ { on = 0 }
on && /^\| / && $2 !~ /^ (run|---) / { n = $2; gsub(/`|^ +| +$/, "", n); sub(/ \(.*\)/, "", n)
	sub(/^\/bin\//, "", n); sub(/, libamxshim.so/, " + shim", n); sub(/, AMXSHIM_DISABLE=1/, ", DISABLE=1", n)
	sub(/, empty preload object/, " + empty preload", n); printf "\"%s\"", n
	for (i = 3; i <= 8; i++) { x = $i; sub(/\(.*/, "", x); gsub(/[ ,-]/, "", x); printf " %d", x + 0 }
	printf "\n" }' "$md" >"$tmp/count.dat"
empty=$(awk -F'|' '/^\| `\/bin\/true`, empty preload object \| [0-9,]+ \|/ { x = $3; gsub(/[ ,]/, "", x); print x; exit }' "$md")
[ -s "$tmp/startup.dat" ] || { echo "plot: no start-up table in $md" >&2; exit 2; }
title=$(sed -n 's/^Written by `make bench` on \([0-9-]*\)\. Machine: \(.*\),$/\2, \1/p' "$md" | head -n1)

if command -v gnuplot >/dev/null 2>&1; then
	# Left panel: the timed ratios; right panel (when the run counted instructions): the counts, stacked.
	w=640
	[ -s "$tmp/count.dat" ] && w=1240
	{
		echo "set terminal svg size $w,520 font \"sans,11\" background rgb \"white\" noenhanced"
		echo "set output \"$out/startup.svg\""
		echo "set multiplot layout 1,$((w / 620)) title \"$title\""
		echo "startup = \"$tmp/startup.dat\"; count = \"$tmp/count.dat\"; empty = ${empty:-0}"
		# The time axis starts 0.05 below the lowest ratio (a bare /bin/true can be 0.89 of the empty preload).
		awk '{ for (i = 2; i <= 5; i++) if (!m || $i < m) m = $i } END { printf "low = %.2f\n", int(m * 20) / 20 - 0.05 }' \
			"$tmp/startup.dat"
		cat <<'GP'
set title "Process start-up: median wall time / empty LD_PRELOAD object"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set yrange [low:*]
set ylabel "median wall time / empty preload"
set key below left maxrows 2 font ",9"
set grid ytics
# The goal line's label stays inside the plot, right-aligned above the line.
set arrow 1 from graph 0, first 1.03 to graph 1, first 1.03 nohead dashtype 2 lc rgb "#888888"
set label 1 "goal 1.03" at graph 0.98, first 1.03 right offset 0,0.7 tc rgb "#666666"
plot startup using 2:xtic(1) title "no preload" lc rgb "#bbbbbb", \
     "" using 3 title "empty preload" lc rgb "#7f9fbf", \
     "" using 4 title "shim" lc rgb "#d0602b", \
     "" using 5 title "shim + AMXSHIM_DISABLE=1" lc rgb "#5f9f5f"
GP
		[ -s "$tmp/count.dat" ] && cat <<'GP'
unset arrow 1
unset label 1
set title "Instructions executed (single-stepped), by where they ran"
set style histogram rowstacked
set boxwidth 0.6
set yrange [0:*]
set ylabel "thousands of instructions"
set xtics rotate by 20 right font ",9"
set key below left maxrows 4 font ",9"
# The goal lines are named in the key (text on the lines would cross the bars).
set arrow 2 from graph 0, first (empty + 5000) / 1000.0 to graph 1, first (empty + 5000) / 1000.0 nohead dashtype 2 lc rgb "#5f9f5f"
set arrow 3 from graph 0, first (empty + 8000) / 1000.0 to graph 1, first (empty + 8000) / 1000.0 nohead dashtype 2 lc rgb "#d0602b"
if (empty <= 0) { unset arrow 2; unset arrow 3 }
plot count using ($2/1000):xtic(1) title "ld.so" lc rgb "#9aa9c4", \
     "" using ($3/1000) title "libc" lc rgb "#cccccc", \
     "" using ($4/1000) title "preloaded object" lc rgb "#d0602b", \
     "" using ($5/1000) title "libzero16.so (resolver)" lc rgb "#5f9f5f", \
     "" using (($6+$7)/1000) title "program, other" lc rgb "#e0c060", \
     1/0 with lines dashtype 2 lc rgb "#d0602b" title "goal for the shim without AMX: empty preload + 8,000", \
     1/0 with lines dashtype 2 lc rgb "#5f9f5f" title "goal with AMXSHIM_DISABLE=1: empty preload + 5,000"
GP
		echo "unset multiplot"
	} >"$tmp/startup.gp"
	gnuplot "$tmp/startup.gp"
	if [ -s "$tmp/variants.dat" ]; then
		# One series per variant; x = matrix size, y = GFLOP/s (GOP/s), horizontal lines at the units' peaks.
		plots=""
		for v in $(awk '{print $1}' "$tmp/variants.dat" | uniq); do
			plots="$plots \"$tmp/variants.dat\" using (strcol(1) eq \"$v\" ? \$2 : 1/0):(strcol(1) eq \"$v\" ? \$3 : 1/0) with linespoints title \"$v\","
		done
		i=0
		while read -r unit peak; do
			i=$((i + 1))
			plots="$plots $peak with lines dashtype 2 lc rgb \"#999999\" notitle,"
			echo "set label $i \"$(echo "$unit" | tr _ ' ') $peak\" at 1100, $peak font \",8\" tc rgb \"#666666\"" >>"$tmp/labels.gp"
		done <"$tmp/peaks.dat"
		gnuplot <<EOF
set terminal svg size 900,560 font "sans,11" background rgb "white" noenhanced
set output "$out/roofline.svg"
set title "Example kernels, one core: achieved GFLOP/s (GOP/s for int8) under each unit's peak\n$title; dashed: compute peaks (memory ceiling not measured)"
set logscale xy
set xtics ("64^3" 64, "256^3" 256, "1024^3" 1024)
set xrange [48:9000]
set ylabel "GFLOP/s or GOP/s (log)"
set xlabel "problem size"
set key outside right font ",9"
set grid
load "$tmp/labels.gp"
plot ${plots%,}
EOF
	fi
	echo "plot: wrote $out/startup.svg${plots:+ and $out/roofline.svg} (gnuplot)" >&2
elif python3 -c 'import matplotlib' 2>/dev/null; then
	python3 - "$tmp" "$out" "$title" "${empty:-0}" <<'EOF'
import os, shlex, sys, collections
import matplotlib
matplotlib.use("svg")
import matplotlib.pyplot as plt
tmp, out, title, empty = sys.argv[1:4] + [int(sys.argv[4])]
rows = [l.split() for l in open(tmp + "/startup.dat")]
counts = [shlex.split(l) for l in open(tmp + "/count.dat")] if os.path.getsize(tmp + "/count.dat") else []
names = ["no preload", "empty preload", "shim", "shim + AMXSHIM_DISABLE=1"]
fig, axes = plt.subplots(1, 2 if counts else 1, figsize=(12.4 if counts else 6.4, 5.2), squeeze=False)
ax = axes[0][0]
w = 0.2
for k, n in enumerate(names):
    ax.bar([i + (k - 1.5) * w for i in range(len(rows))], [float(r[k + 1]) for r in rows], w, label=n)
ax.axhline(1.03, ls="--", c="grey")
ax.annotate("goal 1.03", (0.98, 1.03), xycoords=("axes fraction", "data"), ha="right", va="bottom", color="dimgrey")
ax.set_xticks(range(len(rows)), [r[0] for r in rows])
ax.set_ylim(0.9)
ax.set_ylabel("median wall time / empty preload")
ax.set_title("Process start-up: median wall time / empty LD_PRELOAD object", fontsize=10)
ax.legend(loc="upper left", fontsize=8)
if counts:
    ax = axes[0][1]
    parts = ["ld.so", "libc", "preloaded object", "libzero16.so (resolver)", "program, other"]
    bottom = [0.0] * len(counts)
    for k, n in enumerate(parts):
        h = [(int(r[k + 1]) + (int(r[6]) if k == 4 else 0)) / 1000 for r in counts]
        ax.bar(range(len(counts)), h, 0.6, bottom=bottom, label=n)
        bottom = [b + x for b, x in zip(bottom, h)]
    if empty > 0:
        ax.axhline((empty + 8000) / 1000, ls="--", c="tab:red", lw=0.8, label="goal for the shim without AMX: empty preload + 8,000")
        ax.axhline((empty + 5000) / 1000, ls="--", c="tab:green", lw=0.8, label="goal with AMXSHIM_DISABLE=1: empty preload + 5,000")
    ax.set_xticks(range(len(counts)), [r[0] for r in counts], rotation=20, ha="right", fontsize=8)
    ax.set_ylabel("thousands of instructions")
    ax.set_title("Instructions executed (single-stepped), by where they ran", fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), fontsize=7, ncol=2)
fig.suptitle(title, fontsize=10)
fig.tight_layout()
fig.savefig(out + "/startup.svg")
series = collections.OrderedDict()
for l in open(tmp + "/variants.dat"):
    v, s, x = l.split()
    series.setdefault(v, []).append((int(s), float(x)))
if series:
    fig, ax = plt.subplots(figsize=(9, 5.6))
    for v, pts in series.items():
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=v)
    for l in open(tmp + "/peaks.dat"):
        u, p = l.split()
        ax.axhline(float(p), ls="--", c="grey", lw=0.8)
        ax.annotate(u.replace("_", " ") + " " + p, (1100, float(p)), fontsize=7, color="dimgrey")
    ax.set_xscale("log"); ax.set_yscale("log")
    ax.set_xticks([64, 256, 1024], ["64^3", "256^3", "1024^3"])
    ax.set_ylabel("GFLOP/s or GOP/s (log)")
    ax.set_title("Example kernels, one core, under each unit's peak\n" + title, fontsize=10)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1, 0.5))
    fig.tight_layout()
    fig.savefig(out + "/roofline.svg")
EOF
	echo "plot: wrote the pictures to $out (python3-matplotlib)" >&2
else
	echo "plot: no pictures: neither gnuplot nor python3-matplotlib is installed" \
		"(apt-get install gnuplot-nox, or python3-matplotlib)" >&2
fi
