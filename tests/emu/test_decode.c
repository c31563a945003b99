// SPDX-License-Identifier: MIT
/* Decoder against encodings made by the assembler (binutils), and the pure config checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <signal.h>

#include "decode.h"
#include "exec.h"
#include "tiles.h"

/* One instruction assembled into .rodata between two labels. */
#define ENC(name, text)                                                                         \
	__asm__(".pushsection .rodata\n" #name ":\n\t" text "\n" #name "_end:\n\t.popsection"); \
	extern const uint8_t name[], name##_end[]

ENC(e_ld_rdi, "ldtilecfg (%rdi)");
ENC(e_ld_rip, "ldtilecfg 0x1234(%rip)");
ENC(e_st_rsp, "sttilecfg 0x40(%rsp)");
ENC(e_ld_r13, "ldtilecfg (%r13)");
ENC(e_ld_r13d32, "ldtilecfg 0x12345678(%r13)");
ENC(e_ld_sib, "ldtilecfg 8(%rax,%r12,4)");
ENC(e_tl_r8r9, "tileloadd (%r8,%r9,4), %tmm3");
ENC(e_tl_rbp, "tileloadd 0x7f(%rbp,%r12,8), %tmm7");
ENC(e_tl_rsp, "tileloadd -0x80(%rsp,%rax,2), %tmm0");
ENC(e_tlt1, "tileloaddt1 0x1000(%r15,%r14,1), %tmm5");
ENC(e_ts, "tilestored %tmm6, (%r10,%r11,1)");
ENC(e_tl_nobase, "tileloadd 0x100(,%rcx,1), %tmm1");
ENC(e_tl_noindex, "tileloadd (%rax), %tmm2");
ENC(e_tl_fs, "tileloadd %fs:8(%rax,%rcx,1), %tmm4");
ENC(e_tl_a32, "tileloadd (%eax,%ecx,1), %tmm4");
ENC(e_rel, "tilerelease");
ENC(e_zero7, "tilezero %tmm7");
ENC(e_bsud, "tdpbsud %tmm2, %tmm1, %tmm0");
ENC(e_busd, "tdpbusd %tmm0, %tmm4, %tmm3");
ENC(e_buud, "tdpbuud %tmm5, %tmm6, %tmm7");
ENC(e_bf16, "tdpbf16ps %tmm1, %tmm2, %tmm3");
ENC(e_fp16, "tdpfp16ps %tmm3, %tmm4, %tmm6");
ENC(e_ud2, "ud2");
ENC(e_vpshufb, "vpshufb %xmm0, %xmm1, %xmm2");
ENC(e_vzu, "vzeroupper");

/* Every (C, A, B) with distinct tiles, C outermost: 336 TDPBSSD of 5 bytes each. */
__asm__(".pushsection .rodata\ne_all_bssd:\n"
	".irp d,0,1,2,3,4,5,6,7\n.irp a,0,1,2,3,4,5,6,7\n.irp b,0,1,2,3,4,5,6,7\n"
	".if (\\d-\\a)*(\\d-\\b)*(\\a-\\b)\ntdpbssd %tmm\\b, %tmm\\a, %tmm\\d\n.endif\n"
	".endr\n.endr\n.endr\ne_all_bssd_end:\n.popsection");
extern const uint8_t e_all_bssd[], e_all_bssd_end[];
/* TILEZERO and TILELOADD for every tile. */
__asm__(".pushsection .rodata\ne_all_zero:\n.irp t,0,1,2,3,4,5,6,7\ntilezero %tmm\\t\n.endr\n"
	"e_all_load:\n.irp t,0,1,2,3,4,5,6,7\ntileloadd (%rsi,%rdx,1), %tmm\\t\n.endr\n.popsection");
extern const uint8_t e_all_zero[], e_all_load[];

static struct emu_insn dec(const uint8_t *p, const uint8_t *end, int want)
{
	struct emu_insn in;

	assert_int_equal(emu_decode(p, (size_t)(end - p), &in), want);
	if (want == EMU_DEC_OK)
		assert_int_equal(in.len, end - p);
	return in;
}

static void check_mem(const struct emu_insn *in, int base, int index, int scale, int64_t disp)
{
	assert_int_equal(in->mem.base, base);
	assert_int_equal(in->mem.index, index);
	if (index >= 0)
		assert_int_equal(in->mem.scale, scale);
	assert_int_equal(in->mem.disp, disp);
}

static void test_config_forms(void **state)
{
	struct emu_insn in;

	(void)state;
	in = dec(e_ld_rdi, e_ld_rdi_end, EMU_DEC_OK);
	assert_int_equal(in.op, ISA_LDTILECFG);
	check_mem(&in, 7, -1, 0, 0);
	in = dec(e_ld_rip, e_ld_rip_end, EMU_DEC_OK);
	assert_true(in.mem.rip_rel);
	check_mem(&in, -1, -1, 0, 0x1234);
	in = dec(e_st_rsp, e_st_rsp_end, EMU_DEC_OK);
	assert_int_equal(in.op, ISA_STTILECFG);
	check_mem(&in, 4, -1, 0, 0x40);
	in = dec(e_ld_r13, e_ld_r13_end, EMU_DEC_OK); /* r13 needs mod=01 disp8 0 */
	check_mem(&in, 13, -1, 0, 0);
	in = dec(e_ld_r13d32, e_ld_r13d32_end, EMU_DEC_OK);
	check_mem(&in, 13, -1, 0, 0x12345678);
	in = dec(e_ld_sib, e_ld_sib_end, EMU_DEC_OK);
	check_mem(&in, 0, 12, 2, 8);
	in = dec(e_rel, e_rel_end, EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TILERELEASE);
}

static void test_tile_memory_forms(void **state)
{
	struct emu_insn in;
	int t;

	(void)state;
	in = dec(e_tl_r8r9, e_tl_r8r9_end, EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TILELOADD);
	assert_int_equal(in.treg, 3);
	check_mem(&in, 8, 9, 2, 0);
	in = dec(e_tl_rbp, e_tl_rbp_end, EMU_DEC_OK);
	assert_int_equal(in.treg, 7);
	check_mem(&in, 5, 12, 3, 0x7f);
	in = dec(e_tl_rsp, e_tl_rsp_end, EMU_DEC_OK);
	check_mem(&in, 4, 0, 1, -0x80);
	in = dec(e_tlt1, e_tlt1_end, EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TILELOADDT1);
	assert_int_equal(in.treg, 5);
	check_mem(&in, 15, 14, 0, 0x1000);
	in = dec(e_ts, e_ts_end, EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TILESTORED);
	assert_int_equal(in.treg, 6);
	check_mem(&in, 10, 11, 0, 0);
	in = dec(e_tl_nobase, e_tl_nobase_end, EMU_DEC_OK);
	check_mem(&in, -1, 1, 0, 0x100);
	in = dec(e_tl_noindex, e_tl_noindex_end, EMU_DEC_OK);
	check_mem(&in, 0, -1, 0, 0);
	in = dec(e_tl_fs, e_tl_fs_end, EMU_DEC_OK);
	assert_int_equal(in.mem.seg, EMU_SEG_FS);
	check_mem(&in, 0, 1, 0, 8);
	in = dec(e_tl_a32, e_tl_a32_end, EMU_DEC_OK);
	assert_true(in.mem.addr32);
	for (t = 0; t < 8; t++) {
		in = dec(e_all_zero + 5 * t, e_all_zero + 5 * t + 5, EMU_DEC_OK);
		assert_int_equal(in.op, ISA_TILEZERO);
		assert_int_equal(in.treg, t);
		in = dec(e_all_load + 6 * t, e_all_load + 6 * t + 6, EMU_DEC_OK);
		assert_int_equal(in.treg, t);
		check_mem(&in, 6, 2, 0, 0);
	}
}

static void test_every_tdp_triple(void **state)
{
	const uint8_t *p = e_all_bssd;
	int c, a, b, n = 0;

	(void)state;
	for (c = 0; c < 8; c++)
		for (a = 0; a < 8; a++)
			for (b = 0; b < 8; b++) {
				struct emu_insn in;

				if (c == a || c == b || a == b)
					continue;
				in = dec(p, p + 5, EMU_DEC_OK);
				assert_int_equal(in.op, ISA_TDPBSSD);
				assert_int_equal(in.treg, c);
				assert_int_equal(in.trm, a);
				assert_int_equal(in.tv, b);
				p += 5, n++;
			}
	assert_int_equal(n, 336);
	assert_ptr_equal(p, e_all_bssd_end);
}

static void test_other_tdp(void **state)
{
	struct emu_insn in;

	(void)state;
	in = dec(e_bsud, e_bsud_end, EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TDPBSUD);
	in = dec(e_busd, e_busd_end, EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TDPBUSD);
	assert_int_equal(in.treg, 3), assert_int_equal(in.trm, 4), assert_int_equal(in.tv, 0);
	in = dec(e_buud, e_buud_end, EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TDPBUUD);
	in = dec(e_bf16, e_bf16_end, EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TDPBF16PS);
	assert_int_equal(in.treg, 3), assert_int_equal(in.trm, 2), assert_int_equal(in.tv, 1);
	in = dec(e_fp16, e_fp16_end, EMU_DEC_OK);
	assert_int_equal(in.op, ISA_TDPFP16PS);
}

/* Byte patterns the hardware rejects (measured), and things that are not AMX at all. */
static void test_rejects(void **state)
{
	static const uint8_t same_reg[] = { 0xc4, 0xe2, 0x7b, 0x5e, 0xc9 }; /* tdpbssd tmm1,tmm1,tmm0 */
	static const uint8_t w1[] = { 0xc4, 0xe2, 0xfb, 0x49, 0xc0 };       /* tilezero, VEX.W=1 */
	static const uint8_t l1[] = { 0xc4, 0xe2, 0x7f, 0x49, 0xc0 };       /* tilezero, VEX.L=1 */
	static const uint8_t tmm8[] = { 0xc4, 0x62, 0x7b, 0x49, 0xc0 };     /* tilezero tmm8 */
	static const uint8_t nosib[] = { 0xc4, 0xe2, 0x7b, 0x4b, 0x06 };    /* tileloadd (%rsi) */
	static const uint8_t np4b[] = { 0xc4, 0xe2, 0x78, 0x4b, 0x04, 0x0e };
	static const uint8_t vvvv[] = { 0xc4, 0xe2, 0x03, 0x49, 0xc0 };  /* tilezero, vvvv!=1111 */
	static const uint8_t rel_b[] = { 0xc4, 0xc2, 0x78, 0x49, 0xc0 }; /* VEX.B ignored: OK */
	static const uint8_t p66[] = { 0x66, 0xc4, 0xe2, 0x7b, 0x49, 0xc0 };
	struct emu_insn in;

	(void)state;
	assert_int_equal(emu_decode(same_reg, sizeof same_reg, &in), EMU_DEC_UD);
	assert_int_equal(emu_decode(w1, sizeof w1, &in), EMU_DEC_UD);
	assert_int_equal(emu_decode(l1, sizeof l1, &in), EMU_DEC_UD);
	assert_int_equal(emu_decode(tmm8, sizeof tmm8, &in), EMU_DEC_UD);
	assert_int_equal(emu_decode(nosib, sizeof nosib, &in), EMU_DEC_UD);
	assert_int_equal(emu_decode(np4b, sizeof np4b, &in), EMU_DEC_UD);
	assert_int_equal(emu_decode(vvvv, sizeof vvvv, &in), EMU_DEC_UD);
	assert_int_equal(emu_decode(rel_b, sizeof rel_b, &in), EMU_DEC_OK);
	assert_int_equal(emu_decode(p66, sizeof p66, &in), EMU_DEC_NOT_AMX);
	assert_int_equal(emu_decode(e_tl_r8r9, 4, &in), EMU_DEC_NOT_AMX); /* truncated */
	dec(e_ud2, e_ud2_end, EMU_DEC_NOT_AMX);
	dec(e_vpshufb, e_vpshufb_end, EMU_DEC_NOT_AMX);
	dec(e_vzu, e_vzu_end, EMU_DEC_NOT_AMX);
}

static void cfg1(uint8_t img[ISA_TILECFG_BYTES])
{
	struct isa_tilecfg c;

	memset(&c, 0, sizeof c);
	c.palette = 1;
	c.colsb[0] = 64, c.rows[0] = 16;
	c.colsb[1] = 6, c.rows[1] = 1; /* colsb 6: legal in the config, #UD for loads */
	memcpy(img, &c, sizeof c);
}

static void test_config_validation(void **state)
{
	static struct emu_tiles t;
	uint8_t img[ISA_TILECFG_BYTES], out[ISA_TILECFG_BYTES];
	int i;

	(void)state;
	cfg1(img);
	assert_int_equal(emu_ldtilecfg(&t, img), 0);
	emu_sttilecfg(&t, out);
	assert_memory_equal(img, out, sizeof img);
	assert_int_equal(emu_check_e5(&t, 1), 0);
	assert_int_equal(emu_check_e3(&t, 1), -1);
	assert_int_equal(emu_check_e3(&t, 0), 0);
	assert_int_equal(emu_check_e3(&t, 2), -1);                   /* unconfigured tile */
	for (i = ISA_TILECFG_RESERVED; i < ISA_TILECFG_BYTES; i++) { /* every reserved byte */
		if (i >= ISA_TILECFG_COLSB && i < ISA_TILECFG_COLSB + 2 * ISA_P1_NTILES)
			continue;
		if (i >= ISA_TILECFG_ROWS && i < ISA_TILECFG_ROWS + ISA_P1_NTILES)
			continue;
		cfg1(img);
		img[i] = 1;
		assert_int_equal(emu_ldtilecfg(&t, img), -1);
	}
	cfg1(img), img[ISA_TILECFG_PALETTE] = 2;
	assert_int_equal(emu_ldtilecfg(&t, img), -1);
	cfg1(img), img[ISA_TILECFG_COLSB] = 65;
	assert_int_equal(emu_ldtilecfg(&t, img), -1);
	cfg1(img), img[ISA_TILECFG_ROWS] = 17;
	assert_int_equal(emu_ldtilecfg(&t, img), -1);
	cfg1(img), img[ISA_TILECFG_ROWS] = 0; /* colsb without rows */
	assert_int_equal(emu_ldtilecfg(&t, img), -1);
	cfg1(img), img[ISA_TILECFG_START_ROW] = 200; /* start_row is not validated by LDTILECFG... */
	assert_int_equal(emu_ldtilecfg(&t, img), 0);
	assert_int_equal(emu_check_e3(&t, 0), -1); /* ...but by the load */
	assert_int_equal(emu_check_e5(&t, 0), 0);
	memset(img, 0xff, sizeof img), img[ISA_TILECFG_PALETTE] = 0; /* palette 0: INIT whatever follows */
	assert_int_equal(emu_ldtilecfg(&t, img), 0);
	emu_sttilecfg(&t, out);
	memset(img, 0, sizeof img);
	assert_memory_equal(img, out, sizeof img);
	assert_int_equal(emu_check_e5(&t, 0), -1);
}

/* The software-config path (CPUs without AMX run LDTILECFG/STTILECFG/TILERELEASE through the
 * emulator too), on assembler-made encodings and a made-up register file. */
static void test_exec_config_software(void **state)
{
	static struct emu_tiles t;
	static uint8_t img[ISA_TILECFG_BYTES], out[ISA_TILECFG_BYTES];
	struct emu_cpu cpu = { 0 };
	struct emu_fault f;
	struct emu_insn in;

	(void)state;
	cfg1(img);
	in = dec(e_ld_sib, e_ld_sib_end, EMU_DEC_OK); /* ldtilecfg 8(%rax,%r12,4) */
	cpu.gpr[0] = (uintptr_t)img - 8 - 4 * 100, cpu.gpr[12] = 100;
	assert_int_equal(emu_exec(&t, &in, &cpu, &f), EMU_EXEC_DONE);
	assert_int_equal(t.palette, 1);
	assert_int_equal(t.colsb[1], 6);
	in = dec(e_ld_rip, e_ld_rip_end, EMU_DEC_OK); /* sttilecfg-like target: rip + len + 0x1234 */
	in.op = ISA_STTILECFG;
	cpu.rip = (uintptr_t)out - (uint64_t)in.len - 0x1234;
	assert_int_equal(emu_exec(&t, &in, &cpu, &f), EMU_EXEC_DONE);
	assert_memory_equal(out, img, sizeof img);
	img[40] = 1; /* reserved byte: #GP, state kept */
	in = dec(e_ld_rdi, e_ld_rdi_end, EMU_DEC_OK);
	cpu.gpr[7] = (uintptr_t)img;
	assert_int_equal(emu_exec(&t, &in, &cpu, &f), EMU_EXEC_FAULT);
	assert_int_equal(f.code, SI_KERNEL);
	assert_int_equal(t.palette, 1);
	cpu.gpr[7] = 16; /* unmapped page */
	assert_int_equal(emu_exec(&t, &in, &cpu, &f), EMU_EXEC_FAULT);
	assert_int_equal(f.code, SEGV_MAPERR);
	assert_int_equal(f.addr, 16);
	cpu.gpr[7] = 0x8000000000000000ULL; /* non-canonical: #GP */
	assert_int_equal(emu_exec(&t, &in, &cpu, &f), EMU_EXEC_FAULT);
	assert_int_equal(f.code, SI_KERNEL);
	in = dec(e_rel, e_rel_end, EMU_DEC_OK);
	assert_int_equal(emu_exec(&t, &in, &cpu, &f), EMU_EXEC_DONE);
	assert_int_equal(t.palette, 0);
	in = dec(e_zero7, e_zero7_end, EMU_DEC_OK);
	assert_int_equal(emu_exec(&t, &in, &cpu, &f), EMU_EXEC_UD); /* unconfigured */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* clang-format off */
		cmocka_unit_test(test_config_forms),      cmocka_unit_test(test_tile_memory_forms),
		cmocka_unit_test(test_every_tdp_triple),  cmocka_unit_test(test_other_tdp),
		cmocka_unit_test(test_rejects),           cmocka_unit_test(test_config_validation),
		/* clang-format on */
		cmocka_unit_test(test_exec_config_software),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
