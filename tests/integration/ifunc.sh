#!/bin/sh
# SPDX-License-Identifier: MIT
# IFUNC libraries linked with the static libamxresolver.a: libifunc-lazy.so (-z lazy) and libifunc-now.so
# (-z now) choose their kernel with amxshim_usable(AMXSHIM_TILE|AMXSHIM_INT8) in an IFUNC resolver, both for
# an exported function (bound through the program's PLT, or dlsym) and for a hidden one reached through an
# IRELATIVE relocation (its resolver runs during relocation). The AMX kernel executes a tile instruction.
# Ground truth from amxtruth: with real AMX the AMX kernel is chosen with or without the shim (the library
# asks itself), the fallback with AMXSHIM_DISABLE=1; elsewhere always the fallback. Also: the resolver
# archive references nothing outside itself but __libc_stack_end and __environ (data, bound before any IRELATIVE runs).
. "$(dirname "$0")/../lib.sh"
need_built "$H/ifunc-lazy" "$H/ifunc-now" "$H/ifunc-dlopen" "$H/libifunc-lazy.so" "$H/libifunc-now.so" \
	"$H/amxtruth" "$H/seccomp-run" "$B/libamxresolver.a"
need_tool nm readelf

if real_amx; then pick=amx perm=1; else pick=fallback perm=0; fi
echo "ground truth: $("$H/amxtruth" real); expected pick: $pick"

expect() { # NAME WANT_LINE WHAT
	if [ "$(cat "$T/$1.rc")" = 0 ] && [ "$(cat "$T/$1.out")" = "$2" ] && [ ! -s "$T/$1.err" ]; then
		ok "$3: $2"
	else
		fail "$3: exit $(cat "$T/$1.rc"), '$(cat "$T/$1.out")' $(cat "$T/$1.err"), want '$2'"
	fi
}

i=0
for prog in ifunc-lazy ifunc-now ifunc-lazy:bindnow ifunc-dlopen:libifunc-lazy.so:lazy \
	ifunc-dlopen:libifunc-lazy.so:now ifunc-dlopen:libifunc-now.so:now; do
	case $prog in
	*:bindnow) cmd="env LD_BIND_NOW=1 $H/${prog%%:*}" ;;
	ifunc-dlopen:*) rest=${prog#*:}; cmd="$H/ifunc-dlopen $H/${rest%%:*} ${rest#*:}" ;;
	*) cmd=$H/$prog ;;
	esac
	for shim in no yes; do
		for dis in unset 1; do
			i=$((i + 1))
			set --
			[ $shim = yes ] && set -- "$@" LD_PRELOAD="$SHIM"
			[ $dis = 1 ] && set -- "$@" AMXSHIM_DISABLE=1
			# shellcheck disable=SC2086 # cmd is split into words on purpose
			run c$i env "$@" $cmd
			if [ $dis = 1 ]; then
				expect c$i "plt=fallback ptr=fallback perm18=0" "$prog, shim=$shim, AMXSHIM_DISABLE=1"
			else
				expect c$i "plt=$pick ptr=$pick perm18=$perm" "$prog, shim=$shim"
			fi
		done
	done
done
# Denied by seccomp: the fallback, and nothing breaks (perm18=-1: the program's own GET is refused too).
run denied "$H/seccomp-run" EPERM "$H/ifunc-lazy"
expect denied "plt=fallback ptr=fallback perm18=-1" "ifunc-lazy under a seccomp EPERM filter"
run denied_shim "$H/seccomp-run" EPERM env LD_PRELOAD="$SHIM" "$H/ifunc-now"
expect denied_shim "plt=fallback ptr=fallback perm18=-1" "ifunc-now + shim under a seccomp EPERM filter"

# The libraries are what they claim to be.
for lib in libifunc-lazy.so libifunc-now.so; do
	readelf -dW "$H/$lib" >"$T/dyn"
	nowflag=no
	grep -Eq '\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*\bNOW\b' "$T/dyn" && nowflag=yes
	case $lib:$nowflag in
	*lazy*:no | *now*:yes) ok "$lib: BIND_NOW=$nowflag" ;;
	*) fail "$lib: BIND_NOW=$nowflag" ;;
	esac
	readelf -rW "$H/$lib" | grep -q R_X86_64_IRELATIV && ok "$lib: has an IRELATIVE relocation" ||
		fail "$lib: no IRELATIVE relocation (the hidden IFUNC is not resolved at relocation time)"
	nm -D --defined-only "$H/$lib" >"$T/syms"
	if grep -q amxshim_ "$T/syms"; then fail "$lib exports the resolver API:"; grep amxshim_ "$T/syms"; else
		ok "$lib: the resolver's functions are hidden"; fi
	grep -Eq ' i amxsel$' "$T/syms" && ok "$lib: amxsel is an exported IFUNC" || fail "$lib: amxsel is not an IFUNC"
done

# The resolver calls nothing outside itself: every undefined symbol of the archive is defined by the archive,
# or is data: __libc_stack_end (ld.so), __environ and program_invocation_name (libc), _GLOBAL_OFFSET_TABLE_;
# the one exception is glibc's __x86_get_cpuid_feature_leaf, a weak reference tested before it is called
# (ARCHITECTURE.md rule 2), checked to be weak here.
nm -g --defined-only "$B/libamxresolver.a" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u >"$T/defined"
nm -u "$B/libamxresolver.a" 2>/dev/null | awk 'NF == 2 { print $2 }' | sort -u >"$T/undef"
printf '%s\n' __libc_stack_end __environ program_invocation_name _GLOBAL_OFFSET_TABLE_ >>"$T/defined"
if nm "$B/libamxresolver.a" 2>/dev/null | grep -q ' U __x86_get_cpuid_feature_leaf$'; then
	fail "libamxresolver.a: __x86_get_cpuid_feature_leaf is a strong reference (it must be weak)"
else
	echo __x86_get_cpuid_feature_leaf >>"$T/defined"
fi
sort -u -o "$T/defined" "$T/defined"
outside=$(comm -23 "$T/undef" "$T/defined")
if [ -z "$outside" ]; then
	ok "libamxresolver.a: undefined symbols are its own or ld.so's: $(tr '\n' ' ' <"$T/undef")"
else
	fail "libamxresolver.a references symbols outside itself: $(echo "$outside" | tr '\n' ' ')"
fi
finish
