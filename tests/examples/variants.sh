#!/bin/sh
# SPDX-License-Identifier: MIT
# Every variant of every kernel that is usable on this machine against the portable variant, natively:
# int8 bit for bit, bf16 within the bound of examples/README.md; the portable variant against a naive GEMM.
. "$(dirname "$0")/common.sh"
need_built "$X/kernels-test"
delegate "every usable variant against the portable one (kernels-test variants)" "$X/kernels-test" variants
finish
