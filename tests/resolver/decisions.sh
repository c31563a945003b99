#!/bin/sh
# SPDX-License-Identifier: MIT
# The decision table, kept in the repo (tests/resolver/decisions.txt): for every recorded CPU x kernel
# outcome x feature set (and AMXSHIM_DISABLE), what amxshim_peek, amxshim_state and amxshim_probe answer
# (usable, reason, errno, detail). A change to the resolver core must leave it identical; a deliberate
# change regenerates it (`tests/resolver/decisions.sh --write`) and shows the difference in its commit.
# CPUID counts and the leaves-read field are not in it: they change by design.
. "$(dirname "$0")/../lib.sh"
ROW=$B/tests/resolver/decision_row
need_built "$ROW"
want=$ROOT/tests/resolver/decisions.txt
# Each flag alone, the classic three, the next-generation ones with INT8, everything.
sets="01 02 04 08 10 20 40 80 07 0f 1f 23 43 83 ff"
for f in tests/fixtures/cpuid/*.txt; do
	for k in granted already einval eopnotsupp enospc eperm enosys overwrite; do
		for s in $sets; do
			printf '%s %s %s:' "${f##*/}" "$k" "$s"
			env AMXSHIM_FAKE_CPU="$f" AMXSHIM_FAKE_KERNEL="$k" "$ROW" "$s"
		done
	done
	printf '%s disabled ff:' "${f##*/}"
	env AMXSHIM_FAKE_CPU="$f" AMXSHIM_DISABLE=1 "$ROW" ff
done >"$T/got"
if [ "${1:-}" = --write ]; then
	cp "$T/got" "$want" && echo "wrote $want ($(wc -l <"$want") rows)"
	exit 0
fi
rows=$(wc -l <"$T/got")
if cmp -s "$want" "$T/got"; then
	ok "the decision table is unchanged: $rows rows"
else
	fail "the decision table changed ($(diff "$want" "$T/got" | grep -c '^>') of $rows rows):"
	diff "$want" "$T/got" | head -20
fi
finish
