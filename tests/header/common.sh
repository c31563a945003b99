# SPDX-License-Identifier: MIT
# shellcheck shell=sh disable=SC2034
# Sourced by the drivers here: the harness (tests/lib.sh) plus the compilers to try. CCS: C compilers, CXXS:
# C++ compilers: $CC and $CXX (gcc and g++ unless the environment says otherwise), then each present one of
# clang-14/clang++-14, clang-22/clang++-22 (others are skipped).
. "$(dirname "$0")/../lib.sh"
CCS='' CXXS=''
for c in "$CC" clang-14 clang-22; do
	case " $CCS " in *" $c "*) continue ;; esac
	command -v "$c" >/dev/null 2>&1 && CCS="$CCS $c"
done
for c in "$CXX" clang++-14 clang++-22; do
	case " $CXXS " in *" $c "*) continue ;; esac
	command -v "$c" >/dev/null 2>&1 && CXXS="$CXXS $c"
done
[ -n "$CCS" ] || skip "no C compiler"
for c in clang-22 clang++-22; do command -v "$c" >/dev/null 2>&1 || echo "note: $c not installed (Debian: clang-22), its cases are skipped"; done
HWARN="-Wall -Wextra -Wpedantic -Wshadow -Wcast-function-type -Werror"
