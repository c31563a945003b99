// SPDX-License-Identifier: MIT
/* The next-generation AMX instructions (docs/AMX-FACTS.md "The next-generation sets") in libamxemu:
 * decoding (bytes from LLVM's MC tests and llvm-mc-22, cited in the comments), AMX-MOVRS and the EVEX/APX
 * address forms, AMX-AVX512 row conversions (expected values worked out by hand next to each case), the
 * signal frame's ZMM/APX areas, the clear SIGILL where the CPU has no AVX-512 or APX state, AMX-COMPLEX
 * (decoding, a product worked out by hand), and that the removed AMX-TRANSPOSE/AMX-TF32 sets are left to the
 * CPU (#UD). */
#include <cpuid.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "amxemu.h"
#include "decode.h"
#include "exec.h"
#include "frame.h"
#include "tiles.h"
#include "inchild.h"

#define B(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

static struct emu_insn dec(const uint8_t *p, size_t n, int want)
{
	struct emu_insn in;

	assert_int_equal(emu_decode(p, n, &in), want);
	if (want == EMU_DEC_OK)
		assert_int_equal(in.len, n);
	return in;
}

static void check_mem(const struct emu_insn *in, int base, int index, int scale, int64_t disp, int egpr)
{
	assert_int_equal(in->mem.base, base);
	assert_int_equal(in->mem.index, index);
	if (index >= 0)
		assert_int_equal(in->mem.scale, scale);
	assert_int_equal(in->mem.disp, disp);
	assert_int_equal(in->egpr, egpr);
}

static void test_decode_fp8(void **state)
{
	struct emu_insn in;

	(void)state;
	/* LLVM amx-fp8-att.s: tdp*f8ps %tmm4, %tmm5, %tmm6 (reg = dst 6, rm = src1 5, vvvv = src2 4) */
	in = dec(B(0xc4, 0xe5, 0x58, 0xfd, 0xf5), EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TDPBF8PS);
	assert_int_equal(in.treg, 6), assert_int_equal(in.trm, 5), assert_int_equal(in.tv, 4);
	assert_int_equal(dec(B(0xc4, 0xe5, 0x5b, 0xfd, 0xf5), EMU_DEC_OK).op, ISA_TDPBHF8PS);
	assert_int_equal(dec(B(0xc4, 0xe5, 0x5a, 0xfd, 0xf5), EMU_DEC_OK).op, ISA_TDPHBF8PS);
	assert_int_equal(dec(B(0xc4, 0xe5, 0x59, 0xfd, 0xf5), EMU_DEC_OK).op, ISA_TDPHF8PS);
	dec(B(0xc4, 0xa5, 0x58, 0xfd, 0xf5), EMU_DEC_OK); /* VEX.X ignored (llvm-objdump-22 too) */
	dec(B(0xc4, 0xe5, 0xd8, 0xfd, 0xf5), EMU_DEC_UD); /* W1 */
	dec(B(0xc4, 0xe5, 0x5c, 0xfd, 0xf5), EMU_DEC_UD); /* L1 */
	dec(B(0xc4, 0xe5, 0x38, 0xfd, 0xf5), EMU_DEC_UD); /* vvvv = tmm8 */
	dec(B(0xc4, 0xe5, 0x58, 0xfd, 0xed), EMU_DEC_UD); /* dst = src1 = tmm5 */
	dec(B(0xc4, 0xe5, 0x58, 0xfd, 0x06), EMU_DEC_UD); /* memory form */
}

static void test_decode_movrs_apx(void **state)
{
	struct emu_insn in;

	(void)state;
	/* LLVM x86-64-amx-movrs.txt: tileloaddrs/tileloaddrst1 291(%r8,%rax,4), %tmm3 */
	in = dec(B(0xc4, 0xc2, 0x7b, 0x4a, 0x9c, 0x80, 0x23, 0x01, 0x00, 0x00), EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TILELOADDRS), assert_int_equal(in.treg, 3);
	check_mem(&in, 8, 0, 2, 291, 0);
	assert_int_equal(dec(B(0xc4, 0xc2, 0x79, 0x4a, 0x9c, 0x80, 0x23, 0x01, 0x00, 0x00), EMU_DEC_OK).op,
			 ISA_TILELOADDRST1);
	/* EVEX: tileloaddrs 268435456(%r16,%r14,8), %tmm6 */
	in = dec(B(0x62, 0xba, 0x7f, 0x08, 0x4a, 0xb4, 0xf0, 0x00, 0x00, 0x00, 0x10), EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TILELOADDRS_EVEX), assert_int_equal(in.treg, 6);
	check_mem(&in, 16, 14, 3, 0x10000000, 1);
	in = dec(B(0x62, 0xd2, 0x7b, 0x08, 0x4a, 0x9c, 0x88, 0x23, 0x01, 0x00, 0x00), EMU_DEC_OK);
	check_mem(&in, 8, 17, 2, 291, 1); /* 291(%r8,%r17,4) */
	in = dec(B(0x62, 0xfa, 0x7d, 0x08, 0x4a, 0x74, 0x22, 0x40), EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TILELOADDRST1_EVEX);
	check_mem(&in, 18, -1, 0, 64, 1); /* 64(%r18) */
	in = dec(B(0x62, 0xf2, 0x7d, 0x08, 0x4a, 0x1c, 0x6d, 0xe0, 0xff, 0xff, 0xff), EMU_DEC_OK);
	check_mem(&in, -1, 5, 1, -32, 0); /* -32(,%rbp,2): EVEX without any extended register */
	/* LLVM apx/amx-tile-att.s: ldtilecfg 291(%r28,%r29,4) */
	in = dec(B(0x62, 0x9a, 0x78, 0x08, 0x49, 0x84, 0xac, 0x23, 0x01, 0x00, 0x00), EMU_DEC_OK);
	assert_int_equal(in.op, ISA_LDTILECFG_EVEX);
	check_mem(&in, 28, 29, 2, 291, 1);
	/* llvm-mc-22: {evex} ldtilecfg (%rdi); tileloadd 8(%r16,%r17), %tmm3; tilestored %tmm3, (%r30,%r31) */
	in = dec(B(0x62, 0xf2, 0x7c, 0x08, 0x49, 0x07), EMU_DEC_OK);
	check_mem(&in, 7, -1, 0, 0, 0);
	in = dec(B(0x62, 0xfa, 0x7b, 0x08, 0x4b, 0x5c, 0x08, 0x08), EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TILELOADD_EVEX), assert_int_equal(in.treg, 3);
	check_mem(&in, 16, 17, 0, 8, 1);
	in = dec(B(0x62, 0x9a, 0x7a, 0x08, 0x4b, 0x1c, 0x3e), EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TILESTORED_EVEX);
	check_mem(&in, 30, 31, 0, 0, 1);
	/* fixed EVEX bits of the APX forms: L'L = 0, vvvv/V4 unused, no masking/broadcast, SIB required */
	dec(B(0x62, 0xfa, 0x7b, 0x28, 0x4b, 0x5c, 0x08, 0x08), EMU_DEC_UD); /* L'L = 01 */
	dec(B(0x62, 0xfa, 0x73, 0x08, 0x4b, 0x5c, 0x08, 0x08), EMU_DEC_UD); /* vvvv != 1111b */
	dec(B(0x62, 0xfa, 0x7b, 0x00, 0x4b, 0x5c, 0x08, 0x08), EMU_DEC_UD); /* V4' = 0 */
	dec(B(0x62, 0xfa, 0x7b, 0x09, 0x4b, 0x5c, 0x08, 0x08), EMU_DEC_UD); /* aaa = 1 */
	dec(B(0x62, 0xfa, 0x7b, 0x18, 0x4b, 0x5c, 0x08, 0x08), EMU_DEC_UD); /* b = 1 */
	dec(B(0x62, 0xea, 0x7b, 0x08, 0x4b, 0x5c, 0x08, 0x08), EMU_DEC_UD); /* R4: tmm19 */
	dec(B(0x62, 0xfa, 0x7b, 0x08, 0x4b, 0x58, 0x08), EMU_DEC_UD);       /* no SIB */
	dec(B(0x62, 0xfa, 0x7b, 0x08, 0x4b), EMU_DEC_NOT_AMX);              /* truncated */
}

static void test_decode_avx512(void **state)
{
	static const struct {
		uint8_t b[7];
		int n, op;
	} rows[] = {
		/* LLVM amx-avx512-att.s: ... %tmm5, %zmm22 with %ecx or $123 */
		{ { 0x62, 0xe2, 0x76, 0x48, 0x4a, 0xf5 }, 6, ISA_TCVTROWD2PS },
		{ { 0x62, 0xe3, 0x7e, 0x48, 0x07, 0xf5, 0x7b }, 7, ISA_TCVTROWD2PS_I8 },
		{ { 0x62, 0xe2, 0x77, 0x48, 0x6d, 0xf5 }, 6, ISA_TCVTROWPS2BF16H },
		{ { 0x62, 0xe3, 0x7f, 0x48, 0x07, 0xf5, 0x7b }, 7, ISA_TCVTROWPS2BF16H_I8 },
		{ { 0x62, 0xe2, 0x76, 0x48, 0x6d, 0xf5 }, 6, ISA_TCVTROWPS2BF16L },
		{ { 0x62, 0xe3, 0x7e, 0x48, 0x77, 0xf5, 0x7b }, 7, ISA_TCVTROWPS2BF16L_I8 },
		{ { 0x62, 0xe2, 0x74, 0x48, 0x6d, 0xf5 }, 6, ISA_TCVTROWPS2PHH },
		{ { 0x62, 0xe3, 0x7c, 0x48, 0x07, 0xf5, 0x7b }, 7, ISA_TCVTROWPS2PHH_I8 },
		{ { 0x62, 0xe2, 0x75, 0x48, 0x6d, 0xf5 }, 6, ISA_TCVTROWPS2PHL },
		{ { 0x62, 0xe3, 0x7f, 0x48, 0x77, 0xf5, 0x7b }, 7, ISA_TCVTROWPS2PHL_I8 },
		{ { 0x62, 0xe2, 0x75, 0x48, 0x4a, 0xf5 }, 6, ISA_TILEMOVROW },
		{ { 0x62, 0xe3, 0x7d, 0x48, 0x07, 0xf5, 0x7b }, 7, ISA_TILEMOVROW_I8 },
	};
	struct emu_insn in;

	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		in = dec(rows[i].b, (size_t)rows[i].n, EMU_DEC_OK);
		assert_int_equal(in.op, rows[i].op);
		assert_int_equal(in.treg, 22), assert_int_equal(in.trm, 5);
		assert_int_equal(in.tv, rows[i].n == 7 ? -1 : 1); /* %ecx */
		if (rows[i].n == 7)
			assert_int_equal(in.imm8, 123);
		assert_int_equal(in.egpr, 0);
	}
	/* llvm-mc-22: tcvtrowd2ps $2, %tmm3, %zmm5 */
	in = dec(B(0x62, 0xf3, 0x7e, 0x48, 0x07, 0xeb, 0x02), EMU_DEC_OK);
	assert_int_equal(in.treg, 5), assert_int_equal(in.trm, 3), assert_int_equal(in.imm8, 2);
	/* V4' = 0: %r17d as row selector (llvm-objdump-22), an APX register */
	in = dec(B(0x62, 0xe2, 0x76, 0x40, 0x4a, 0xf5), EMU_DEC_OK);
	assert_int_equal(in.tv, 17), assert_int_equal(in.egpr, 1);
	dec(B(0x62, 0xe2, 0x76, 0x08, 0x4a, 0xf5), EMU_DEC_UD);       /* L'L = 00 */
	dec(B(0x62, 0xe2, 0xf6, 0x48, 0x4a, 0xf5), EMU_DEC_UD);       /* W1 */
	dec(B(0x62, 0xe2, 0x76, 0xc8, 0x4a, 0xf5), EMU_DEC_UD);       /* z */
	dec(B(0x62, 0xe2, 0x76, 0x49, 0x4a, 0xf5), EMU_DEC_UD);       /* aaa */
	dec(B(0x62, 0xc2, 0x76, 0x48, 0x4a, 0xf5), EMU_DEC_UD);       /* B3: tmm13 */
	dec(B(0x62, 0xe3, 0x76, 0x48, 0x07, 0xf5, 0x7b), EMU_DEC_UD); /* imm8 form with vvvv != 1111b */
	dec(B(0x62, 0xe3, 0x7e, 0x48, 0x07, 0xf5), EMU_DEC_NOT_AMX);  /* imm8 missing */
}

static void test_removed_sets_not_emulated(void **state)
{
	(void)state;
	/* LLVM amx-transpose-att.s, x86-64-amx-tf32-att.s, x86-64-amx-movrs.txt: left to the CPU (#UD) */
	dec(B(0xc4, 0xe2, 0x7a, 0x5f, 0xe9), EMU_DEC_NOT_AMX);                               /* ttransposed */
	dec(B(0xc4, 0xe2, 0x72, 0x6c, 0xea), EMU_DEC_NOT_AMX);                               /* ttdpbf16ps */
	dec(B(0xc4, 0xe2, 0x59, 0x48, 0xf5), EMU_DEC_NOT_AMX);                               /* tmmultf32ps */
	dec(B(0xc4, 0xe2, 0x58, 0x48, 0xf5), EMU_DEC_NOT_AMX);                               /* ttmmultf32ps */
	dec(B(0xc4, 0xc2, 0x78, 0x6e, 0x94, 0x80, 0x23, 0x01, 0x00, 0x00), EMU_DEC_NOT_AMX); /* t2rpntlvwz0 */
	dec(B(0xc4, 0xc5, 0x78, 0xf8, 0x94, 0x80, 0x23, 0x01, 0x00, 0x00), EMU_DEC_NOT_AMX); /* ...z0rs */
	dec(B(0x62, 0xd2, 0x78, 0x08, 0x6e, 0x94, 0x88, 0x23, 0x01, 0x00, 0x00), EMU_DEC_NOT_AMX);
	dec(B(0x62, 0xd5, 0x78, 0x08, 0xf8, 0x94, 0x88, 0x23, 0x01, 0x00, 0x00), EMU_DEC_NOT_AMX);
	for (int op = 0; op < ISA_NINSNS; op++)
		if (isa_insn_removed(op))
			assert_false(emu_runs(op));
}

static struct emu_tiles tiles;
static uint8_t mem[32 * 64];

static void cfg_tiles(int rows, int colsb)
{
	uint8_t img[64] = { 1 };

	for (int i = 0; i < 8; i++)
		img[16 + 2 * i] = (uint8_t)colsb, img[48 + i] = (uint8_t)rows;
	assert_int_equal(emu_ldtilecfg(&tiles, img), 0);
}

/* The EVEX forms run like the VEX ones, with addresses from r16-r31. */
static void test_exec_apx_addresses(void **state)
{
	struct emu_cpu cpu;
	struct emu_fault f;
	struct emu_insn in;

	(void)state;
	memset(&cpu, 0, sizeof cpu);
	cfg_tiles(16, 64);
	for (size_t i = 0; i < sizeof mem; i++)
		mem[i] = (uint8_t)(i * 13 + 1);
	/* tileloadd 8(%r16,%r17), %tmm3: rows from r16 + 8, stride r17 */
	in = dec(B(0x62, 0xfa, 0x7b, 0x08, 0x4b, 0x5c, 0x08, 0x08), EMU_DEC_OK);
	cpu.gpr[16] = (uintptr_t)mem, cpu.gpr[17] = 96;
	assert_int_equal(emu_exec(&tiles, &in, &cpu, &f), EMU_EXEC_DONE);
	for (int r = 0; r < 16; r++)
		assert_memory_equal(tiles.data[3][r], mem + 8 + 96 * r, 64);
	/* tileloaddrs 291(%r8,%r17,4), %tmm3: AMX-MOVRS, stride r17 << 2 */
	in = dec(B(0x62, 0xd2, 0x7b, 0x08, 0x4a, 0x9c, 0x88, 0x23, 0x01, 0x00, 0x00), EMU_DEC_OK);
	cpu.gpr[8] = (uintptr_t)mem - 291, cpu.gpr[17] = 30;
	assert_int_equal(emu_exec(&tiles, &in, &cpu, &f), EMU_EXEC_DONE);
	for (int r = 0; r < 16; r++)
		assert_memory_equal(tiles.data[3][r], mem + 120 * r, 64);
	/* tilestored %tmm3, (%r30,%r31) */
	in = dec(B(0x62, 0x9a, 0x7a, 0x08, 0x4b, 0x1c, 0x3e), EMU_DEC_OK);
	static uint8_t out[16 * 80];
	memset(out, 0xee, sizeof out);
	cpu.gpr[30] = (uintptr_t)out, cpu.gpr[31] = 80;
	assert_int_equal(emu_exec(&tiles, &in, &cpu, &f), EMU_EXEC_DONE);
	for (int r = 0; r < 16; r++) {
		assert_memory_equal(out + 80 * r, mem + 120 * r, 64);
		assert_int_equal(out[80 * r + 64], 0xee);
	}
	/* ldtilecfg 291(%r28,%r29,4) then sttilecfg via {evex} (%rdi) equivalents */
	static uint8_t img[64] = { 1 }, img2[64];
	img[16] = 8, img[48] = 3;
	in = dec(B(0x62, 0x9a, 0x78, 0x08, 0x49, 0x84, 0xac, 0x23, 0x01, 0x00, 0x00), EMU_DEC_OK);
	cpu.gpr[28] = (uintptr_t)img - 291 - 4 * 5, cpu.gpr[29] = 5;
	assert_int_equal(emu_exec(&tiles, &in, &cpu, &f), EMU_EXEC_DONE);
	assert_int_equal(tiles.rows[0], 3), assert_int_equal(tiles.colsb[0], 8), assert_int_equal(tiles.rows[1], 0);
	in = dec(B(0x62, 0xf2, 0x7d, 0x08, 0x49, 0x07), EMU_DEC_OK); /* {evex} sttilecfg (%rdi) */
	assert_int_equal(in.op, ISA_STTILECFG_EVEX);
	cpu.gpr[7] = (uintptr_t)img2;
	assert_int_equal(emu_exec(&tiles, &in, &cpu, &f), EMU_EXEC_DONE);
	assert_memory_equal(img2, img, 64);
}

static void put32(int tile, int row, int col, uint32_t v)
{
	memcpy(tiles.data[tile][row] + 4 * col, &v, 4);
}

static uint32_t get32(const uint8_t *z, int i)
{
	uint32_t v;

	memcpy(&v, z + 4 * i, 4);
	return v;
}

/* Runs an AMX-AVX512 encoding with tmm5 as source; the row selector is ecx (r32 forms) or the imm8. */
static int run_row(const uint8_t *b, size_t n, uint32_t ecx, uint8_t z[64])
{
	struct emu_cpu cpu;
	struct emu_fault f;
	struct emu_insn in = dec(b, n, EMU_DEC_OK);

	memset(&cpu, 0, sizeof cpu);
	cpu.gpr[1] = 0xffffffff00000000ull | ecx; /* only ecx counts */
	cpu.zmm = z;
	memset(z, 0xcc, 64);
	return emu_exec(&tiles, &in, &cpu, &f);
}

#define TCVTROWD2PS_ECX 0x62, 0xe2, 0x76, 0x48, 0x4a, 0xf5
#define TILEMOVROW_ECX 0x62, 0xe2, 0x75, 0x48, 0x4a, 0xf5

/* AMX-COMPLEX: decoding (LLVM amx-complex MC tests: tcmm{im,rl}fp16ps %tmm4, %tmm5, %tmm6) and a product
 * worked out by hand. fp16: 1.0 = 3c00, 2.0 = 4000, 3.0 = 4200, 4.0 = 4400, 0.5 = 3800; low half real. */
static uint32_t run_cmm(const uint8_t *p, size_t n)
{
	struct emu_insn in = dec(p, n, EMU_DEC_OK);
	struct emu_cpu cpu;
	struct emu_fault f;

	memset(&cpu, 0, sizeof cpu);
	return (uint32_t)emu_exec(&tiles, &in, &cpu, &f);
}

static void test_complex(void **state)
{
	struct emu_insn in;

	(void)state;
	in = dec(B(0xc4, 0xe2, 0x59, 0x6c, 0xf5), EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TCMMIMFP16PS);
	assert_int_equal(in.treg, 6), assert_int_equal(in.trm, 5), assert_int_equal(in.tv, 4);
	assert_int_equal(dec(B(0xc4, 0xe2, 0x58, 0x6c, 0xf5), EMU_DEC_OK).op, ISA_TCMMRLFP16PS);
	dec(B(0xc4, 0xe2, 0xd9, 0x6c, 0xf5), EMU_DEC_UD);      /* W1 */
	dec(B(0xc4, 0xe2, 0x5d, 0x6c, 0xf5), EMU_DEC_UD);      /* L1 */
	dec(B(0xc4, 0xe2, 0x59, 0x6c, 0xed), EMU_DEC_UD);      /* dst = src1 = tmm5 */
	dec(B(0xc4, 0xe2, 0x59, 0x6c, 0x06), EMU_DEC_UD);      /* memory form */
	dec(B(0xc4, 0xe2, 0x5a, 0x6c, 0xf5), EMU_DEC_NOT_AMX); /* F3: ttdpbf16ps, removed: the CPU's */
	dec(B(0xc4, 0xe2, 0x5b, 0x6c, 0xf5), EMU_DEC_NOT_AMX); /* F2: ttdpfp16ps, removed */

	for (int rl = 0; rl < 2; rl++) {
		cfg_tiles(2, 8); /* C = tmm6 2 x 2, A = tmm5 2 x 2 (K = 2), B = tmm4 2 x 2 */
		memset(tiles.data[6], 0x5a, sizeof tiles.data[6]);
		put32(5, 0, 0, 0x40003c00), put32(5, 0, 1, 0x00003800); /* A row 0: 1 + 2i, 0.5 */
		put32(5, 1, 0, 0x7e010000), put32(5, 1, 1, 0);          /* A row 1: 0 + NaN(payload 1) i, 0 */
		put32(4, 0, 0, 0x44004200), put32(4, 0, 1, 0x00003c00); /* B row 0: 3 + 4i, 1 */
		put32(4, 1, 0, 0x00004000), put32(4, 1, 1, 0x3c000000); /* B row 1: 2, i */
		put32(6, 0, 0, 0x41200000), put32(6, 0, 1, 0);          /* C row 0: 10, 0 */
		put32(6, 1, 0, 0x00000001), put32(6, 1, 1, 0x80000000); /* C row 1: a subnormal, -0 */
		if (rl)
			assert_int_equal(run_cmm(B(0xc4, 0xe2, 0x58, 0x6c, 0xf5)), EMU_EXEC_DONE);
		else
			assert_int_equal(run_cmm(B(0xc4, 0xe2, 0x59, 0x6c, 0xf5)), EMU_EXEC_DONE);
		/* (1 + 2i)(3 + 4i) = -5 + 10i, 0.5 * 2 = 1: C[0][0] = 10 + (-5 + 1) = 6 or 10 + 10i = 20;
		 * (1 + 2i) * 1 = 1 + 2i, 0.5 * i: C[0][1] = 1 or 2 + 0.5 = 2.5 */
		assert_int_equal(get32(tiles.data[6][0], 0), rl ? 0x40c00000 : 0x41a00000);
		assert_int_equal(get32(tiles.data[6][0], 1), rl ? 0x3f800000 : 0x40200000);
		/* A's imaginary NaN 7e01 is FP32 7fc02000 (payload << 13): TCMMRLFP16PS negates the FP16 value
		 * first (SDM), so its sign flips there; TCMMIMFP16PS keeps it. C (DAZ, -0) does not matter. */
		assert_int_equal(get32(tiles.data[6][1], 0), rl ? 0xffc02000 : 0x7fc02000);
		assert_int_equal(get32(tiles.data[6][1], 1), rl ? 0xffc02000 : 0x7fc02000);
		for (int i = 2; i < 16; i++) /* the rest of each row, and the rows past 2, are zeroed */
			assert_int_equal(get32(tiles.data[6][0], i), 0);
		for (int i = 0; i < 16; i++)
			assert_int_equal(get32(tiles.data[6][2], i), 0);
	}
}

static void test_exec_avx512_rows(void **state)
{
	uint8_t z[64];
	struct emu_cpu cpu;
	struct emu_fault f;
	struct emu_insn in;

	(void)state;
	cfg_tiles(4, 40); /* tmm5: 4 rows of 40 bytes (10 dwords) */
	memset(tiles.data[5], 0x5a, sizeof tiles.data[5]);
	/* TCVTROWD2PS row 2: INT32 -> FP32 RNE */
	put32(5, 2, 0, 1);            /* 1.0 = 0x3f800000 */
	put32(5, 2, 1, (uint32_t)-2); /* -2.0 = 0xc0000000 */
	put32(5, 2, 2, 16777217);     /* 2^24 + 1: tie, to even 2^24 = 0x4b800000 */
	put32(5, 2, 3, 16777219);     /* 2^24 + 3: tie, to even 2^24 + 4 = 0x4b800002 */
	put32(5, 2, 4, 0x80000000);   /* -2^31 = 0xcf000000 */
	put32(5, 2, 5, 0x7fffffff);   /* 2^31 - 1 rounds up to 2^31 = 0x4f000000 */
	put32(5, 2, 6, 0);
	assert_int_equal(run_row(B(TCVTROWD2PS_ECX), 2, z), EMU_EXEC_DONE);
	assert_int_equal(get32(z, 0), 0x3f800000), assert_int_equal(get32(z, 1), 0xc0000000);
	assert_int_equal(get32(z, 2), 0x4b800000), assert_int_equal(get32(z, 3), 0x4b800002);
	assert_int_equal(get32(z, 4), 0xcf000000), assert_int_equal(get32(z, 5), 0x4f000000);
	assert_int_equal(get32(z, 6), 0);
	for (int i = 10; i < 16; i++) /* dwords past colsb/4 = 10 */
		assert_int_equal(get32(z, i), 0);
	/* the imm8 form: tcvtrowd2ps $2, %tmm5, ... (imm8 = 2) gives the same */
	{
		uint8_t z2[64];

		assert_int_equal(run_row(B(0x62, 0xe3, 0x7e, 0x48, 0x07, 0xf5, 0x02), 0, z2), EMU_EXEC_DONE);
		assert_memory_equal(z, z2, 64);
		/* imm8 0x42: row 2, chunk 1 (bytes 64..): beyond colsb, all zero */
		assert_int_equal(run_row(B(0x62, 0xe3, 0x7e, 0x48, 0x07, 0xf5, 0x42), 0, z2), EMU_EXEC_DONE);
		for (int i = 0; i < 16; i++)
			assert_int_equal(get32(z2, i), 0);
	}
	/* r32 selector: bits 31:16 are the 64-byte chunk, so 0x10002 reads past the row: zero */
	assert_int_equal(run_row(B(TCVTROWD2PS_ECX), 0x10002, z), EMU_EXEC_DONE);
	assert_int_equal(get32(z, 0), 0);

	/* TCVTROWPS2BF16H/L (VCVTNEPS2BF16 rules): RNE, DAZ, NaN quieted */
	put32(5, 1, 0, 0x3f800000); /* 1.0 -> 0x3f80 */
	put32(5, 1, 1, 0x3f808000); /* halfway, even below: 0x3f80 */
	put32(5, 1, 2, 0x3f818000); /* halfway, odd below: up to 0x3f82 */
	put32(5, 1, 3, 0x7f800001); /* signalling NaN: 0x7fc0 */
	put32(5, 1, 4, 0x807fffff); /* denormal: -0 = 0x8000 */
	put32(5, 1, 5, 0x7f7fffff); /* FP32 max rounds to Inf 0x7f80 */
	put32(5, 1, 6, 0xc0490fdb); /* -pi: 0xc049 + (0x0fdb < 0x8000: down) = 0xc049 */
	assert_int_equal(run_row(B(0x62, 0xe2, 0x77, 0x48, 0x6d, 0xf5), 1, z), EMU_EXEC_DONE); /* H */
	{
		static const uint16_t want[] = { 0x3f80, 0x3f80, 0x3f82, 0x7fc0, 0x8000, 0x7f80, 0xc049 };

		for (int i = 0; i < 7; i++)
			assert_int_equal(get32(z, i), (uint32_t)want[i] << 16);
		assert_int_equal(run_row(B(0x62, 0xe2, 0x76, 0x48, 0x6d, 0xf5), 1, z), EMU_EXEC_DONE); /* L */
		for (int i = 0; i < 7; i++)
			assert_int_equal(get32(z, i), want[i]);
	}
	/* TCVTROWPS2PHH/L: FP32 -> FP16 RNE */
	put32(5, 3, 0, 0x3f800000); /* 1.0 -> 0x3c00 */
	put32(5, 3, 1, 0x477fe000); /* 65504 = FP16 max 0x7bff */
	put32(5, 3, 2, 0x477ff000); /* 65520: halfway to 65536, max is odd: Inf 0x7c00 */
	put32(5, 3, 3, 0x33800000); /* 2^-24: smallest denormal 0x0001 */
	put32(5, 3, 4, 0x33000000); /* 2^-25: halfway to 0, to even: 0 */
	put32(5, 3, 5, 0x33400000); /* 1.5 * 2^-25 = 0.75 * 2^-24: rounds to 0x0001 */
	put32(5, 3, 6, 0x7fc00000); /* QNaN: 0x7e00 */
	put32(5, 3, 7, 0xff800000); /* -Inf: 0xfc00 */
	put32(5, 3, 8, 0x3f801000); /* 1 + 2^-11: halfway, to even 0x3c00 */
	put32(5, 3, 9, 0x3f803000); /* 1 + 3 * 2^-11: halfway, up to 0x3c02 */
	assert_int_equal(run_row(B(0x62, 0xe2, 0x74, 0x48, 0x6d, 0xf5), 3, z), EMU_EXEC_DONE); /* PHH */
	{
		static const uint16_t want[] = { 0x3c00, 0x7bff, 0x7c00, 0x0001, 0x0000,
						 0x0001, 0x7e00, 0xfc00, 0x3c00, 0x3c02 };

		for (int i = 0; i < 10; i++)
			assert_int_equal(get32(z, i), (uint32_t)want[i] << 16);
		assert_int_equal(run_row(B(0x62, 0xe2, 0x75, 0x48, 0x6d, 0xf5), 3, z), EMU_EXEC_DONE); /* PHL */
		for (int i = 0; i < 10; i++)
			assert_int_equal(get32(z, i), want[i]);
	}
	/* TILEMOVROW: bytes, zero from colsb on; a row past the tile's rows gives zero */
	assert_int_equal(run_row(B(TILEMOVROW_ECX), 0, z), EMU_EXEC_DONE);
	assert_memory_equal(z, tiles.data[5][0], 40);
	for (int i = 40; i < 64; i++)
		assert_int_equal(z[i], 0);
	cfg_tiles(4, 37); /* TILEMOVROW is byte granular */
	memset(tiles.data[5][1], 0x77, 64);
	assert_int_equal(run_row(B(TILEMOVROW_ECX), 1, z), EMU_EXEC_DONE);
	assert_int_equal(z[36], 0x77), assert_int_equal(z[37], 0);
	assert_int_equal(run_row(B(TILEMOVROW_ECX), 4, z), EMU_EXEC_DONE); /* rows = 4 */
	for (int i = 0; i < 64; i++)
		assert_int_equal(z[i], 0);
	assert_int_equal(tiles.start_row, 0);
	/* #UD: no AVX-512 state (cpu.zmm NULL), or the tile is not configured */
	in = dec(B(TILEMOVROW_ECX), EMU_DEC_OK);
	memset(&cpu, 0, sizeof cpu);
	assert_int_equal(emu_exec(&tiles, &in, &cpu, &f), EMU_EXEC_UD);
	emu_tilerelease(&tiles);
	assert_int_equal(run_row(B(TILEMOVROW_ECX), 0, z), EMU_EXEC_UD);
}

/* Standard-format offsets (CPUID.(0DH,i).EBX) of current Intel CPUs with AVX-512, and an APX area: synthesized
 * so that the writer can be checked on any machine. */
static const struct frame_layout lay = {
	.off = { [2] = 576, [6] = 1152, [7] = 1664, [19] = 960 },
	.size = { [2] = 256, [6] = 512, [7] = 1024, [19] = 128 },
};

static void test_frame_zmm_egpr(void **state)
{
	static uint8_t xs[2688];
	uint8_t v[64];
	uint64_t bv, egpr[16];

	(void)state;
	for (int i = 0; i < 64; i++)
		v[i] = (uint8_t)(i + 1);
	memset(xs, 0xaa, sizeof xs);
	memset(xs + 512, 0, 64);                                  /* XSAVE header: everything INIT */
	assert_int_equal(frame_has_zmm(sizeof xs, 0x7, &lay), 0); /* no AVX-512 enabled */
	assert_int_equal(frame_put_zmm(xs, sizeof xs, 0x7, &lay, 3, v), -1);
	assert_int_equal(frame_put_zmm(xs, sizeof xs, 0xe7, &lay, 3, v), 0);
	assert_memory_equal(xs + 160 + 48, v, 16);       /* XMM3 */
	assert_memory_equal(xs + 576 + 48, v + 16, 16);  /* YMM3 bits 255:128 */
	assert_memory_equal(xs + 1152 + 96, v + 32, 32); /* ZMM3 bits 511:256 */
	assert_int_equal(xs[160], 0), assert_int_equal(xs[576], 0), assert_int_equal(xs[1152 + 511], 0);
	assert_int_equal(xs[159], 0xaa), assert_int_equal(xs[416], 0xaa); /* x87 and the rest: untouched */
	memcpy(&bv, xs + 512, 8);
	assert_int_equal(bv, 0x46); /* SSE, AVX, ZMM_Hi256 now present; Hi16_ZMM still INIT */
	assert_int_equal(frame_put_zmm(xs, sizeof xs, 0xe7, &lay, 20, v), 0);
	assert_memory_equal(xs + 1664 + 4 * 64, v, 64);
	assert_int_equal(xs[1664], 0), assert_int_equal(xs[1664 + 1023], 0);
	memcpy(&bv, xs + 512, 8);
	assert_int_equal(bv, 0xc6);
	/* already present: only the register's bytes change */
	memset(xs + 160, 0xaa, 256);
	assert_int_equal(frame_put_zmm(xs, sizeof xs, 0xe7, &lay, 15, v), 0);
	assert_int_equal(xs[160], 0xaa), assert_memory_equal(xs + 160 + 240, v, 16);
	assert_int_equal(frame_put_zmm(xs, 1664, 0xe7, &lay, 15, v), -1); /* frame too small */

	/* APX: egpr[16] at the component's offset, zeros in INIT state, -1 when the frame has none */
	assert_int_equal(frame_get_egpr(xs, sizeof xs, 0xe7, &lay, egpr), -1);
	for (int i = 0; i < 16; i++) {
		uint64_t r = 0x1000 + (uint64_t)i;

		memcpy(xs + 960 + 8 * i, &r, 8);
	}
	assert_int_equal(frame_get_egpr(xs, sizeof xs, 0xe7 | 1u << 19, &lay, egpr), 0);
	assert_int_equal(egpr[0], 0), assert_int_equal(egpr[15], 0); /* XSTATE_BV[19] = 0: INIT */
	bv |= 1u << 19;
	memcpy(xs + 512, &bv, 8);
	assert_int_equal(frame_get_egpr(xs, sizeof xs, 0xe7 | 1u << 19, &lay, egpr), 0);
	assert_int_equal(egpr[0], 0x1000), assert_int_equal(egpr[13], 0x100d);
}

/* ---- through the SIGILL handler ---- */

static void take_sigill(void)
{
	assert_int_equal(amxemu_install(), 0);
}

static struct isa_tilecfg full = { .palette = 1 };

static void test_sigill_movrs(void **state)
{
	static uint8_t src[16 * 128], dst[16 * 64];

	(void)state;
	take_sigill();
	for (int i = 0; i < 8; i++)
		full.colsb[i] = 64, full.rows[i] = 16;
	for (size_t i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)(i * 5 + 7);
	for (int form = 0; form < 3; form++) {
		memset(dst, 0, sizeof dst);
		__asm__ volatile("ldtilecfg (%0)" ::"r"(&full) : "memory");
		{
			register const uint8_t *base __asm__("r8") = src;
			register long idx __asm__("r9") = 128;

			/* tileloaddrs / tileloaddrst1 / {evex} tileloaddrs (%r8,%r9), %tmm3 (llvm-mc-22) */
			if (form == 0)
				__asm__ volatile(".byte 0xc4,0x82,0x7b,0x4a,0x1c,0x08" ::"r"(base), "r"(idx)
						 : "memory");
			else if (form == 1)
				__asm__ volatile(".byte 0xc4,0x82,0x79,0x4a,0x1c,0x08" ::"r"(base), "r"(idx)
						 : "memory");
			else
				__asm__ volatile(".byte 0x62,0x92,0x7f,0x08,0x4a,0x1c,0x08" ::"r"(base), "r"(idx)
						 : "memory");
		}
		__asm__ volatile("tilestored %%tmm3, (%0,%1,1)\n\ttilerelease" ::"r"(dst), "r"(64L) : "memory");
		for (int r = 0; r < 16; r++)
			assert_memory_equal(dst + 64 * r, src + 128 * r, 64);
	}
}

static int cpu_has_zmm_state(void)
{
	unsigned a, b, c, d;

	__cpuid(1, a, b, c, d);
	if (!(c >> 27 & 1))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(a), "=d"(d) : "c"(0));
	return (a & 0xe6) == 0xe6;
}

static void tilemovrow_zmm22(void)
{
	static uint8_t z[64];

	__asm__ volatile("ldtilecfg (%0)" ::"r"(&full) : "memory");
	__asm__ volatile("tileloadd (%0,%1,1), %%tmm3" ::"r"(full.reserved - 2), "r"(0L) : "memory");
	{
		register long row __asm__("rcx") = 0;

		/* tilemovrow %ecx, %tmm3, %zmm22 (llvm-mc-22) */
		__asm__ volatile(".byte 0x62,0xe2,0x75,0x48,0x4a,0xf3" ::"r"(row) : "memory");
	}
	__asm__ volatile("vmovdqu64 %%zmm22, (%0)" ::"r"(z) : "memory");
	if (memcmp(z, &full, 64))
		_exit(3);
}

static void test_sigill_avx512(void **state)
{
	const char *err;
	int sig;

	(void)state;
	for (int i = 0; i < 8; i++)
		full.colsb[i] = 64, full.rows[i] = 16;
	err = in_child(tilemovrow_zmm22, &sig);
	if (cpu_has_zmm_state()) { /* every row of tmm3 is the 64-byte config itself: zmm22 must hold it */
		assert_int_equal(sig, 0);
		return;
	}
	assert_int_equal(sig, SIGILL);
	assert_non_null(strstr(err, "libamxemu: tilemovrow at 0x"));
	assert_non_null(strstr(err, "no AVX-512"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_fp8),
		cmocka_unit_test(test_decode_movrs_apx),
		cmocka_unit_test(test_decode_avx512),
		cmocka_unit_test(test_removed_sets_not_emulated),
		cmocka_unit_test(test_complex),
		cmocka_unit_test(test_exec_apx_addresses),
		cmocka_unit_test(test_exec_avx512_rows),
		cmocka_unit_test(test_frame_zmm_egpr),
		cmocka_unit_test(test_sigill_movrs),
		cmocka_unit_test(test_sigill_avx512),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
