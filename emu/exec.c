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

static uint64_t seg_base(const struct emu_insn *in, const struct emu_cpu *cpu)
{
	return in->mem.seg == EMU_SEG_FS ? cpu->fs : in->mem.seg == EMU_SEG_GS ? cpu->gs : 0;
}

/* base + disp (+ index << scale unless it is a tile stride), before truncation and segment. */
static uint64_t start_addr(const struct emu_insn *in, const struct emu_cpu *cpu, int with_index)
{
	const struct emu_mem *m = &in->mem;
	uint64_t a = (uint64_t)m->disp;

	if (m->rip_rel)
		a += cpu->rip + (uint64_t)in->len;
	if (m->base >= 0)
		a += reg(cpu, m->base, m->addr32);
	if (with_index && m->index >= 0)
		a += reg(cpu, m->index, m->addr32) << m->scale;
	return a;
}

static uint64_t cfg_addr(const struct emu_insn *in, const struct emu_cpu *cpu)
{
	uint64_t a = start_addr(in, cpu, 1);

	return seg_base(in, cpu) + (in->mem.addr32 ? (uint32_t)a : a);
}

/* arg: 1 for a store */
static int mem_tile(struct emu_tiles *t, const struct emu_insn *in, const struct emu_cpu *cpu, struct emu_fault *f,
		    int store)
{
	const struct emu_mem *m = &in->mem;
	uint64_t base = start_addr(in, cpu, 0);
	uint64_t stride = m->index >= 0 ? reg(cpu, m->index, m->addr32) << m->scale : 0;
	int rc;

	if (emu_check_e3(t, in->treg))
		return EMU_EXEC_UD;
	if (store)
		rc = emu_tilestore(t, in->treg, base, stride, m->addr32, seg_base(in, cpu), f);
	else
		rc = emu_tileload(t, in->treg, base, stride, m->addr32, seg_base(in, cpu), f);
	return rc ? EMU_EXEC_FAULT : EMU_EXEC_DONE;
}

static int tdp(struct emu_tiles *t, const struct emu_insn *in, const struct emu_cpu *cpu, struct emu_fault *f, int kind)
{
	(void)cpu, (void)f;
	/* ModRM.reg is the accumulator C, ModRM.rm is A, VEX.vvvv is B. */
	if (emu_check_e4(t, in->treg, in->trm, in->tv))
		return EMU_EXEC_UD;
	emu_tdp(t, (enum emu_dp)kind, in->treg, in->trm, in->tv);
	return EMU_EXEC_DONE;
}

/* AMX-AVX512: the row selector is r32[15:0] with the 64-byte chunk in r32[31:16], or imm8[5:0] with the
 * chunk in imm8[7:6] (clang-22 amxavx512intrin.h pseudo-code). Only the tile must be valid (configured). */
static int row_to_zmm(struct emu_tiles *t, const struct emu_insn *in, const struct emu_cpu *cpu, struct emu_fault *f,
		      int kind)
{
	uint32_t sel = in->tv >= 0 ? (uint32_t)cpu->gpr[in->tv] : 0;
	unsigned row = in->tv >= 0 ? sel & 0xffff : in->imm8 & 0x3fu;
	unsigned chunk = 64 * (in->tv >= 0 ? sel >> 16 : in->imm8 >> 6);

	(void)f;
	if (!cpu->zmm || emu_check_e5(t, in->trm))
		return EMU_EXEC_UD;
	emu_row(t, (enum emu_rowop)kind, in->trm, row, chunk, cpu->zmm);
	t->start_row = 0; /* zero_tileconfig_start() */
	return EMU_EXEC_DONE;
}

static int x_ldtilecfg(struct emu_tiles *t, const struct emu_insn *in, const struct emu_cpu *cpu, struct emu_fault *f,
		       int arg)
{
	uint8_t img[ISA_TILECFG_BYTES];

	(void)arg;
	if (emu_read(img, cfg_addr(in, cpu), sizeof img, f))
		return EMU_EXEC_FAULT;
	if (emu_ldtilecfg(t, img)) {
		f->code = SI_KERNEL;
		f->addr = 0;
		return EMU_EXEC_FAULT;
	}
	return EMU_EXEC_DONE;
}

static int x_sttilecfg(struct emu_tiles *t, const struct emu_insn *in, const struct emu_cpu *cpu, struct emu_fault *f,
		       int arg)
{
	uint8_t img[ISA_TILECFG_BYTES];

	(void)arg;
	emu_sttilecfg(t, img);
	return emu_write(cfg_addr(in, cpu), img, sizeof img, f) ? EMU_EXEC_FAULT : EMU_EXEC_DONE;
}

static int x_tilerelease(struct emu_tiles *t, const struct emu_insn *in, const struct emu_cpu *cpu, struct emu_fault *f,
			 int arg)
{
	(void)in, (void)cpu, (void)f, (void)arg;
	emu_tilerelease(t);
	return EMU_EXEC_DONE;
}

static int x_tilezero(struct emu_tiles *t, const struct emu_insn *in, const struct emu_cpu *cpu, struct emu_fault *f,
		      int arg)
{
	(void)cpu, (void)f, (void)arg;
	if (emu_check_e5(t, in->treg))
		return EMU_EXEC_UD;
	emu_tilezero(t, in->treg);
	return EMU_EXEC_DONE;
}

/* The semantics of each row of the ISA table the emulator runs; a row without is left to the CPU. */
static const struct {
	int (*run)(struct emu_tiles *t, const struct emu_insn *in, const struct emu_cpu *cpu, struct emu_fault *f,
		   int arg);
	int arg;
} sem[ISA_NINSNS] = {
	[ISA_LDTILECFG] = { x_ldtilecfg, 0 },
	[ISA_STTILECFG] = { x_sttilecfg, 0 },
	[ISA_TILERELEASE] = { x_tilerelease, 0 },
	[ISA_TILEZERO] = { x_tilezero, 0 },
	[ISA_TILELOADD] = { mem_tile, 0 },
	[ISA_TILELOADDT1] = { mem_tile, 0 },
	[ISA_TILESTORED] = { mem_tile, 1 },
	[ISA_TDPBF16PS] = { tdp, EMU_DP_BF16 },
	[ISA_TDPFP16PS] = { tdp, EMU_DP_FP16 },
	[ISA_TDPBSSD] = { tdp, EMU_DP_SS },
	[ISA_TDPBSUD] = { tdp, EMU_DP_SU },
	[ISA_TDPBUSD] = { tdp, EMU_DP_US },
	[ISA_TDPBUUD] = { tdp, EMU_DP_UU },
	/* AMX-FP8 */
	[ISA_TDPBF8PS] = { tdp, EMU_DP_BF8 },
	[ISA_TDPBHF8PS] = { tdp, EMU_DP_BHF8 },
	[ISA_TDPHBF8PS] = { tdp, EMU_DP_HBF8 },
	[ISA_TDPHF8PS] = { tdp, EMU_DP_HF8 },
	/* AMX-COMPLEX */
	[ISA_TCMMIMFP16PS] = { tdp, EMU_DP_CMMIM },
	[ISA_TCMMRLFP16PS] = { tdp, EMU_DP_CMMRL },
	/* AMX-MOVRS: TILELOADD with a read-shared hint, which has no architectural effect */
	[ISA_TILELOADDRS] = { mem_tile, 0 },
	[ISA_TILELOADDRST1] = { mem_tile, 0 },
	/* the EVEX (APX) forms: the same operations, R16-R31 allowed in the address */
	[ISA_LDTILECFG_EVEX] = { x_ldtilecfg, 0 },
	[ISA_STTILECFG_EVEX] = { x_sttilecfg, 0 },
	[ISA_TILELOADD_EVEX] = { mem_tile, 0 },
	[ISA_TILELOADDT1_EVEX] = { mem_tile, 0 },
	[ISA_TILESTORED_EVEX] = { mem_tile, 1 },
	[ISA_TILELOADDRS_EVEX] = { mem_tile, 0 },
	[ISA_TILELOADDRST1_EVEX] = { mem_tile, 0 },
	/* AMX-AVX512 */
	[ISA_TILEMOVROW] = { row_to_zmm, EMU_ROW_MOV },
	[ISA_TILEMOVROW_I8] = { row_to_zmm, EMU_ROW_MOV },
	[ISA_TCVTROWD2PS] = { row_to_zmm, EMU_ROW_D2PS },
	[ISA_TCVTROWD2PS_I8] = { row_to_zmm, EMU_ROW_D2PS },
	[ISA_TCVTROWPS2BF16H] = { row_to_zmm, EMU_ROW_BF16H },
	[ISA_TCVTROWPS2BF16H_I8] = { row_to_zmm, EMU_ROW_BF16H },
	[ISA_TCVTROWPS2BF16L] = { row_to_zmm, EMU_ROW_BF16L },
	[ISA_TCVTROWPS2BF16L_I8] = { row_to_zmm, EMU_ROW_BF16L },
	[ISA_TCVTROWPS2PHH] = { row_to_zmm, EMU_ROW_PHH },
	[ISA_TCVTROWPS2PHH_I8] = { row_to_zmm, EMU_ROW_PHH },
	[ISA_TCVTROWPS2PHL] = { row_to_zmm, EMU_ROW_PHL },
	[ISA_TCVTROWPS2PHL_I8] = { row_to_zmm, EMU_ROW_PHL },
	/* not here: the removed AMX-TRANSPOSE/AMX-TF32 rows (#UD everywhere) */
};

int emu_runs(int op)
{
	return op >= 0 && op < ISA_NINSNS && sem[op].run;
}

int emu_exec(struct emu_tiles *t, const struct emu_insn *in, const struct emu_cpu *cpu, struct emu_fault *f)
{
	if (!emu_runs(in->op))
		return EMU_EXEC_UD;
	return sem[in->op].run(t, in, cpu, f, sem[in->op].arg);
}
