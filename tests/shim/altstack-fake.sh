#!/bin/sh
# SPDX-License-Identifier: MIT
# The guard's logic on any machine: the shim linked with the fake platform (Sapphire Rapids, permission
# granted) and a fake kernel that refuses small stacks with ENOMEM, as a real one that granted AMX does.
. "$(dirname "$0")/common.sh"
FAKE=$(readlink -f "$B/tests/shim/libamxshim-fake.so")
CPU=$(readlink -f tests/fixtures/cpuid/sapphire-rapids.txt)
expect substitute LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$CPU" AMXSHIM_FAKE_KERNEL=granted
expect replace-in-handler LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$CPU" AMXSHIM_FAKE_KERNEL=granted
expect edges LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$CPU" AMXSHIM_FAKE_KERNEL=granted
expect enomem LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$CPU" AMXSHIM_FAKE_KERNEL=granted AMXSHIM_ALTSTACK=off
# Permission refused: the fake kernel accepts small stacks, and the guard must not interfere.
expect native LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$CPU" AMXSHIM_FAKE_KERNEL=eperm
expect native LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$CPU" AMXSHIM_FAKE_KERNEL=granted AMXSHIM_DISABLE=1
finish
