#!/bin/sh
# SPDX-License-Identifier: MIT
# Build mechanics a packager relies on: CPPFLAGS on every compile and LDFLAGS on every link; the required
# resolver flags after the user's on every resolver-context object; `make -q all` after a build has nothing
# to do; a header change rebuilds exactly the objects that include it (-MMD).
. "$(dirname "$0")/common.sh"
[ -f "$B/libamxshim.so" ] || skip "build first"
make -n -B BUILD="$T/b" CC="$CC" CPPFLAGS=-DCPP_MARK CFLAGS='-O2 -fstack-protector-all' LDFLAGS=-Wl,-O1,--build-id=sha1 \
	all >"$T/n.log" 2>&1 || { cat "$T/n.log"; fail "make -n -B all"; finish; }
compiles=$(grep -c -E "^$CC .* -c " "$T/n.log")
links=$(grep -E "^$CC " "$T/n.log" | grep -v -e ' -c ' | grep -c .)
nocpp=$(grep -E "^$CC .* -c " "$T/n.log" | grep -v -c -e '-DCPP_MARK')
nold=$(grep -E "^$CC " "$T/n.log" | grep -v -e ' -c ' | grep -v -c -e '--build-id=sha1')
[ "$compiles" -gt 20 ] && [ "$links" -gt 5 ] || fail "only $compiles compiles and $links links seen"
[ "$nocpp" = 0 ] && ok "CPPFLAGS on all $compiles compiles" || fail "$nocpp compiles without CPPFLAGS"
[ "$nold" = 0 ] && ok "LDFLAGS on all $links links" || fail "$nold links without LDFLAGS"
# Resolver objects: -fno-stack-protector comes after the user's -fstack-protector-all.
bad=0 n=0
for o in resolver/platform resolver/api shim/shim shim/resolver/api shim/stderr examples/select; do
	line=$(grep -E -e "-o $T/b/$o\.o" "$T/n.log")
	n=$((n + 1))
	case $line in
	*-fstack-protector-all*-fno-stack-protector*) ;;
	*) bad=$((bad + 1)); echo "flags of $o.o: $line" ;;
	esac
done
[ $bad = 0 ] && ok "required flags after the user's on $n resolver-context objects" || fail "$bad objects"
# An ordinary object keeps the user's stack protector.
grep -E -e "-o $T/b/tools/amxinfo\.o" "$T/n.log" | grep -q -e '-fno-stack-protector' &&
	fail "amxinfo.o lost the user's stack protector"
if make -q BUILD="$B" all; then ok "make -q all: nothing to do after the build"; else fail "make -q all wants work"; fi
# What a touched header would rebuild (-W: what-if, nothing is touched) against the compiler's own list
# (the .d files of the objects `all` builds).
grep -E "^$CC .* -c " "$T/n.log" | sed "s|.* -o $T/b/\([^ ]*\)\.o.*|$B/\1.d|" >"$T/dfiles"
for h in include/amxshim/resolver.h resolver/internal.h emu/tiles.h; do
	make -n BUILD="$B" -W "$h" all 2>/dev/null | grep -E ' -c ' | sed 's/.* -o \([^ ]*\.o\).*/\1/' | sort >"$T/would"
	: >"$T/users"
	while read -r dep; do
		grep -q -F -x -e "$h:" "$dep" 2>/dev/null && echo "${dep%.d}.o" >>"$T/users"
	done <"$T/dfiles"
	sort -o "$T/users" "$T/users"
	if [ -s "$T/would" ] && cmp -s "$T/would" "$T/users"; then
		ok "$h: rebuilds exactly its $(wc -l <"$T/users") users"
	else
		fail "$h: would rebuild $(tr '\n' ' ' <"$T/would"); users $(tr '\n' ' ' <"$T/users")"
	fi
done
finish
