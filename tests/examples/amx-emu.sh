#!/bin/sh
# SPDX-License-Identifier: MIT
# The AMX variants on any CPU: called through the registry in a process that never asks for AMX
# (AMXSHIM_DISABLE=1), each tile instruction executed by libamxemu's SIGILL handler.
. "$(dirname "$0")/common.sh"
need_built "$X/kernels-test"
[ -e "$EMU" ] || skip "$EMU is not built yet: the AMX variants cannot run under the emulator"
delegate "the AMX variants under libamxemu (kernels-test amx-emu)" env AMXSHIM_DISABLE=1 LD_PRELOAD="$EMU" "$X/kernels-test" amx-emu
finish
