#!/bin/sh
# SPDX-License-Identifier: MIT
# A library is built with sanitizers or profiling the normal way (the whole library, resolver code included)
# and must still load: the resolver AMXSHIM_IFUNC generates, the inline helpers and a predicate marked
# AMXSHIM_RESOLVER_CONTEXT run before any of those runtimes exists. For gcc, clang-14 and clang-22:
# ASan, TSan, UBSan, MSan (clang), -finstrument-functions, -fprofile-generate, -fstack-protector-all; the
# library linked -z now (ASan and TSan also -z lazy), run under LD_BIND_NOW=1, with the shipped
# libamxresolver.a. (The example library built by make with ASan: tests/build/kernels.sh.)
. "$(dirname "$0")/common.sh"
RES=$B/libamxresolver.a
need_built "$RES"
O="-O2 -std=gnu11 -fvisibility=hidden -Iinclude"
expect() { # label: the program printed "NAME INDEX INDEX" for a registry entry and exited 0
	if [ "$(cat "$T/rc")" = 0 ] && grep -qx 'which_[a-z0-9]* \([0-2]\) \1' "$T/out"; then
		ok "$1: $(cat "$T/out")"
	else
		fail "$1: exit $(cat "$T/rc"): $(cat "$T/out") $(head -3 "$T/err")"
	fi
}
for cc in $CCS; do
	flags="-fsanitize=address -fsanitize=thread -fsanitize=undefined -finstrument-functions"
	flags="$flags -fprofile-generate=$T/prof -fstack-protector-all"
	case $cc in clang*) flags="$flags -fsanitize=memory" ;; esac
	for f in $flags; do
		can_link "$cc" $f || continue
		d=$T/$cc${f%%=*}${f#*=}
		d=$(echo "$d" | tr -c 'a-zA-Z0-9/\n' _)
		mkdir -p "$d"
		links=now
		case $f in -fsanitize=address | -fsanitize=thread) links="now lazy" ;; esac
		for link in $links; do
			if ! { "$cc" $O $f -fPIC -shared -Wl,-z,$link -o "$d/libu.so" tests/header/use.c "$RES" &&
				"$cc" $O $f -Wl,-z,$link -o "$d/main-$link" tests/header/main.c -L"$d" -l:libu.so \
					-Wl,-rpath,"$d"; } 2>"$T/err"; then
				fail "$cc $f -z $link: build failed: $(head -3 "$T/err")"
				continue
			fi
			env LD_BIND_NOW=1 "$d/main-$link" >"$T/out" 2>"$T/err"
			echo $? >"$T/rc"
			expect "$cc $f, library -z $link, LD_BIND_NOW=1"
		done
	done
done

finish
