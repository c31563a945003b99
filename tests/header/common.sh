# SPDX-License-Identifier: MIT
# Sourced by the drivers here: the integration helpers plus the compilers to try. CCS: C compilers, CXXS: C++
# compilers, each present one of gcc/g++, clang-14/clang++-14, clang-22/clang++-22 (others are skipped).
. "$(dirname "$0")/../integration/common.sh"
CCS= CXXS=
for c in gcc clang-14 clang-22; do command -v "$c" >/dev/null 2>&1 && CCS="$CCS $c"; done
for c in g++ clang++-14 clang++-22; do command -v "$c" >/dev/null 2>&1 && CXXS="$CXXS $c"; done
[ -n "$CCS" ] || skip "no C compiler"
for c in clang-22 clang++-22; do command -v "$c" >/dev/null 2>&1 || echo "note: $c not installed (Debian: clang-22), its cases are skipped"; done
HWARN="-Wall -Wextra -Wpedantic -Wshadow -Wcast-function-type -Werror"
