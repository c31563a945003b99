#!/bin/sh
# SPDX-License-Identifier: MIT
# sigaltstack() with bad pointers: -1/EFAULT as from the kernel, never a SIGSEGV, with the
# shim on, disabled, with the guard off, and on the fake platform where the kernel answers ENOMEM and the
# guard's substitute path runs; the program's own SIGSEGV handler keeps working in every case.
. "$(dirname "$0")/common.sh"
FAKE=$(readlink -f "$B/tests/shim/libamxshim-fake.so")
CPU=$(readlink -f tests/fixtures/cpuid/sapphire-rapids.txt)
expect efault
expect efault LD_PRELOAD="$SHIM"
expect efault LD_PRELOAD="$SHIM" AMXSHIM_DISABLE=1
expect efault LD_PRELOAD="$SHIM" AMXSHIM_ALTSTACK=off
expect efault LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$CPU" AMXSHIM_FAKE_KERNEL=granted
expect efault LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$CPU" AMXSHIM_FAKE_KERNEL=granted AMXSHIM_DEBUG=1
expect efault LD_PRELOAD="$FAKE" AMXSHIM_FAKE_CPU="$CPU" AMXSHIM_FAKE_KERNEL=granted AMXSHIM_ALTSTACK=off
finish
