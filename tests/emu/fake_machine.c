// SPDX-License-Identifier: MIT
/* The fake emulator machine (fake_machine.h): emu/machine.h's functions answered from one variable. */
#include "fake_machine.h"
#include "machine.h"

struct fake_machine fake_machine = {
	.max_leaf = 0xd,
	.leaf1_ecx = 1u << 27,
	.xcr0 = 0x7,
	.xsave = { [2] = { 256, 576 } }, /* AVX: the standard layout's YMM_Hi128 */
};

void emu_machine_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	fake_machine.cpuid_calls++;
	r[0] = r[1] = r[2] = r[3] = 0;
	if (leaf == 0)
		r[0] = fake_machine.max_leaf;
	else if (leaf == 1)
		r[2] = fake_machine.leaf1_ecx;
	else if (leaf == 0xd && subleaf < FAKE_MACHINE_NXSAVE)
		r[0] = fake_machine.xsave[subleaf][0], r[1] = fake_machine.xsave[subleaf][1];
}

uint64_t emu_machine_xgetbv(uint32_t xcr)
{
	fake_machine.xgetbv_calls++;
	return xcr == 0 ? fake_machine.xcr0 : 0;
}

uint64_t emu_machine_fs_base(void)
{
	fake_machine.fs_calls++;
	return fake_machine.fs_base;
}

uint64_t emu_machine_gs_base(void)
{
	fake_machine.gs_calls++;
	return fake_machine.gs_base;
}
