#!/bin/sh
# SPDX-License-Identifier: MIT
# Real AMX only (77 elsewhere): the AMX variants natively (their results against the portable ones are in
# variants.sh) and the same calls under the emulator in a child process, compared bit for bit.
. "$(dirname "$0")/common.sh"
need_built "$X/kernels-test"
delegate "the AMX variants natively vs under the emulator (kernels-test hw-vs-emu)" "$X/kernels-test" hw-vs-emu "$EMU"
finish
