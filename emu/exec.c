// SPDX-License-Identifier: MIT
/* Operand fetch and dispatch. Address arithmetic: 64-bit, or 32-bit with the 0x67 prefix
 * (measured: honoured by TILELOADD), segment base added after truncation. TILELOADD/TILESTORED
 * use base + disp as the start and the index register << scale as the row stride. */
#include <signal.h>

#include "exec.h"

static uint64_t reg(const struct emu_cpu *cpu, int r, int addr32)
{
	return addr32 ? (uint32_t)cpu->gpr[r] : cpu->gpr[r];
}

static uint64_t seg_base(const struct amx_insn *in, const struct emu_cpu *cpu)
{
	return in->mem.seg == SEG_FS ? cpu->fs : in->mem.seg == SEG_GS ? cpu->gs : 0;
}

/* base + disp (+ index << scale unless it is a tile stride), before truncation and segment. */
static uint64_t start_addr(const struct amx_insn *in, const struct emu_cpu *cpu, int with_index)
{
	const struct amx_mem *m = &in->mem;
	uint64_t a = (uint64_t)m->disp;

	if (m->rip_rel)
		a += cpu->rip + (uint64_t)in->len;
	if (m->base >= 0)
		a += reg(cpu, m->base, m->addr32);
	if (with_index && m->index >= 0)
		a += reg(cpu, m->index, m->addr32) << m->scale;
	return a;
}

static uint64_t cfg_addr(const struct amx_insn *in, const struct emu_cpu *cpu)
{
	uint64_t a = start_addr(in, cpu, 1);

	return seg_base(in, cpu) + (in->mem.addr32 ? (uint32_t)a : a);
}

static int mem_tile(struct amx_tiles *t, const struct amx_insn *in, const struct emu_cpu *cpu,
		    struct emu_fault *f)
{
	const struct amx_mem *m = &in->mem;
	uint64_t base = start_addr(in, cpu, 0);
	uint64_t stride = m->index >= 0 ? reg(cpu, m->index, m->addr32) << m->scale : 0;
	int rc;

	if (amx_check_e3(t, in->treg))
		return EXEC_UD;
	if (in->op == OP_TILESTORED)
		rc = amx_tilestore(t, in->treg, base, stride, m->addr32, seg_base(in, cpu), f);
	else
		rc = amx_tileload(t, in->treg, base, stride, m->addr32, seg_base(in, cpu), f);
	return rc ? EXEC_FAULT : EXEC_DONE;
}

static int tdp(struct amx_tiles *t, const struct amx_insn *in, enum amx_dp kind)
{
	/* ModRM.reg is the accumulator C, ModRM.rm is A, VEX.vvvv is B. */
	if (amx_check_e4(t, in->treg, in->trm, in->tv))
		return EXEC_UD;
	amx_tdp(t, kind, in->treg, in->trm, in->tv);
	return EXEC_DONE;
}

int emu_exec(struct amx_tiles *t, const struct amx_insn *in, const struct emu_cpu *cpu,
	     struct emu_fault *f)
{
	uint8_t img[64];

	switch (in->op) {
	case OP_LDTILECFG:
		if (emu_read(img, cfg_addr(in, cpu), sizeof img, f))
			return EXEC_FAULT;
		if (amx_ldtilecfg(t, img)) {
			f->code = SI_KERNEL;
			f->addr = 0;
			return EXEC_FAULT;
		}
		return EXEC_DONE;
	case OP_STTILECFG:
		amx_sttilecfg(t, img);
		return emu_write(cfg_addr(in, cpu), img, sizeof img, f) ? EXEC_FAULT : EXEC_DONE;
	case OP_TILERELEASE:
		amx_tilerelease(t);
		return EXEC_DONE;
	case OP_TILEZERO:
		if (amx_check_e5(t, in->treg))
			return EXEC_UD;
		amx_tilezero(t, in->treg);
		return EXEC_DONE;
	case OP_TILELOADD:
	case OP_TILELOADDT1:
	case OP_TILESTORED:
		return mem_tile(t, in, cpu, f);
	case OP_TDPBF16PS: return tdp(t, in, DP_BF16);
	case OP_TDPFP16PS: return tdp(t, in, DP_FP16);
	case OP_TDPBSSD: return tdp(t, in, DP_SS);
	case OP_TDPBSUD: return tdp(t, in, DP_SU);
	case OP_TDPBUSD: return tdp(t, in, DP_US);
	case OP_TDPBUUD: return tdp(t, in, DP_UU);
	}
	return EXEC_UD;
}
