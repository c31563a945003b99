/* SPDX-License-Identifier: MIT */
/* The AMX instruction set, described once: instructions and their encodings, the CPUID feature each
 * needs, the 64-byte tile configuration, palette-1 geometry and the XSAVE feature numbers. amxscan's
 * classifier, the emulator's decoder and dispatch, the examples and the tests take everything from here.
 * Header-only and freestanding (stdint.h only, no libc): the macros and constants are also safe in code
 * that runs inside an IFUNC resolver. Sources: Intel SDM vol. 2 and the ISA Extensions Reference,
 * cross-checked with binutils 2.40 `as` and LLVM's AMX MC tests (docs/AMX-FACTS.md). */
#ifndef AMXSHIM_ISA_AMX_H
#define AMXSHIM_ISA_AMX_H

#include <stdint.h>

/* ---- CPUID features ----------------------------------------------------------------------------
 * X(id, name, leaf, subleaf, register, bit, status). A LIVE row's `id` also names the resolver's flag:
 * AMXSHIM_<id> (ISA_FEATURE_FLAG). A new leaf (e.g. 1EH.1) is just another leaf/subleaf pair in a row; a
 * set that was removed from the ISA before shipping keeps its row with status REMOVED (no flag); REQ rows
 * are prerequisites named in the instruction rows' `also` column, not AMX sets (no flag).
 * The bits and their sources: docs/AMX-FACTS.md "CPUID and XCR0" and "The next-generation sets". */
/* clang-format off */
#define ISA_FEATURES(X)                                                      \
	X(TILE,      "AMX-TILE",      0x07, 0, EDX, 24, LIVE)               \
	X(INT8,      "AMX-INT8",      0x07, 0, EDX, 25, LIVE)               \
	X(BF16,      "AMX-BF16",      0x07, 0, EDX, 22, LIVE)               \
	X(FP16,      "AMX-FP16",      0x07, 1, EAX, 21, LIVE)               \
	X(COMPLEX,   "AMX-COMPLEX",   0x07, 1, EDX, 8,  LIVE)               \
	X(FP8,       "AMX-FP8",       0x1e, 1, EAX, 4,  LIVE)               \
	X(AVX512,    "AMX-AVX512",    0x1e, 1, EAX, 7,  LIVE)               \
	X(MOVRS,     "AMX-MOVRS",     0x1e, 1, EAX, 8,  LIVE)               \
	X(TRANSPOSE, "AMX-TRANSPOSE", 0x1e, 1, EAX, 5,  REMOVED)            \
	X(TF32,      "AMX-TF32",      0x1e, 1, EAX, 6,  REMOVED)            \
	X(APX_F,     "APX_F",         0x07, 1, EDX, 21, REQ)                \
	X(AVX10,     "AVX10",         0x07, 1, EDX, 19, REQ)
/* clang-format on */

/* Leaf 1EH subleaf 1 bits that mirror leaf-7 features (same sources as above). */
#define ISA_1E1_INT8 0
#define ISA_1E1_BF16 1
#define ISA_1E1_COMPLEX 2
#define ISA_1E1_FP16 3

/* AMX-AVX512 needs AVX-512 state (XCR0 bits 1, 2, 5, 6, 7) and, per clang-22 and GCC (-mamx-avx512
 * implies AVX10.2) and Bochs, AVX10 version >= 2: CPUID.(24H,0):EBX[7:0], leaf 24H valid when AVX10. */
#define ISA_AVX10_LEAF 0x24
#define ISA_AVX10_MIN_VERSION_AMX_AVX512 2

enum isa_cpuid_reg { ISA_EAX, ISA_EBX, ISA_ECX, ISA_EDX };
enum isa_status {
	ISA_LIVE,
	ISA_REMOVED, /* removed from the ISA before shipping: #UD */
	ISA_REQ,     /* a prerequisite of AMX rows (APX_F, AVX10), not an AMX set */
};

#define ISA_FEATURE_ENUM_(id, name, leaf, sub, reg, bit, st) ISA_F_##id,
enum isa_feature { ISA_FEATURES(ISA_FEATURE_ENUM_) ISA_NFEATURES, ISA_F_NONE = ISA_NFEATURES };
#undef ISA_FEATURE_ENUM_

/* The resolver's AMXSHIM_* flag of a feature row (needs amxshim/resolver.h where it is used); 0 for the
 * REMOVED and REQ rows, which the resolver does not offer. */
#define ISA_FEATURE_FLAG(id, st) ISA_FEATURE_FLAG_##st##_(id)
#define ISA_FEATURE_FLAG_LIVE_(id) AMXSHIM_##id
#define ISA_FEATURE_FLAG_REMOVED_(id) 0u
#define ISA_FEATURE_FLAG_REQ_(id) 0u

struct isa_feature_desc {
	const char *name;
	uint8_t leaf, subleaf, reg, bit, status;
};

#define ISA_FEATURE_DESC_(id, name, leaf, sub, reg, bit, st) { name, leaf, sub, ISA_##reg, bit, ISA_##st },
/* The row of feature `f` (0 <= f < ISA_NFEATURES). Holds pointers: not for resolver context. */
static inline const struct isa_feature_desc *isa_feature_row(int f)
{
	static const struct isa_feature_desc rows[ISA_NFEATURES] = { ISA_FEATURES(ISA_FEATURE_DESC_) };
	return &rows[f];
}
#undef ISA_FEATURE_DESC_

/* ---- Instructions ------------------------------------------------------------------------------
 * X(id, mnemonic, enc, map, opcode, pp, L, W, form, feature, also)
 *   enc    VEX or EVEX; map: opcode map (0F38 = VEX.mmmmm 2, 0F3A = 3; map 5 = 5)
 *   pp     implied prefix NP/66/F3/F2; L, W: the required VEX.L (EVEX: L'L) and W
 *   form   ModRM/operand shape (enum isa_form below); feature (and also, or NONE): CPUID sets needed
 * Several rows may share a mnemonic (VEX and EVEX forms, register and imm8 row forms); `id` is unique.
 * A row whose feature (or also) is REMOVED #UDs on every CPU. Row order is the enum order, and amxscan's
 * report order. Encodings, byte-checked against llvm-mc/llvm-objdump 22, and their sources: docs/AMX-FACTS.md
 * "The next-generation sets". */
/* clang-format off */
#define ISA_INSNS(X) \
	X(LDTILECFG,            "ldtilecfg",        VEX,  0F38, 0x49, NP, 0, 0, M_CFG,   TILE,      NONE  ) \
	X(STTILECFG,            "sttilecfg",        VEX,  0F38, 0x49, 66, 0, 0, M_CFG,   TILE,      NONE  ) \
	X(TILERELEASE,          "tilerelease",      VEX,  0F38, 0x49, NP, 0, 0, C0,      TILE,      NONE  ) \
	X(TILEZERO,             "tilezero",         VEX,  0F38, 0x49, F2, 0, 0, T,       TILE,      NONE  ) \
	X(TILELOADD,            "tileloadd",        VEX,  0F38, 0x4b, F2, 0, 0, T_MSIB,  TILE,      NONE  ) \
	X(TILELOADDT1,          "tileloaddt1",      VEX,  0F38, 0x4b, 66, 0, 0, T_MSIB,  TILE,      NONE  ) \
	X(TILESTORED,           "tilestored",       VEX,  0F38, 0x4b, F3, 0, 0, MSIB_T,  TILE,      NONE  ) \
	X(TDPBF16PS,            "tdpbf16ps",        VEX,  0F38, 0x5c, F3, 0, 0, TTT,     BF16,      NONE  ) \
	X(TDPFP16PS,            "tdpfp16ps",        VEX,  0F38, 0x5c, F2, 0, 0, TTT,     FP16,      NONE  ) \
	X(TDPBSSD,              "tdpbssd",          VEX,  0F38, 0x5e, F2, 0, 0, TTT,     INT8,      NONE  ) \
	X(TDPBSUD,              "tdpbsud",          VEX,  0F38, 0x5e, F3, 0, 0, TTT,     INT8,      NONE  ) \
	X(TDPBUSD,              "tdpbusd",          VEX,  0F38, 0x5e, 66, 0, 0, TTT,     INT8,      NONE  ) \
	X(TDPBUUD,              "tdpbuud",          VEX,  0F38, 0x5e, NP, 0, 0, TTT,     INT8,      NONE  ) \
	X(TCMMIMFP16PS,         "tcmmimfp16ps",     VEX,  0F38, 0x6c, 66, 0, 0, TTT,     COMPLEX,   NONE  ) \
	X(TCMMRLFP16PS,         "tcmmrlfp16ps",     VEX,  0F38, 0x6c, NP, 0, 0, TTT,     COMPLEX,   NONE  ) \
	X(TDPBF8PS,             "tdpbf8ps",         VEX,  5,    0xfd, NP, 0, 0, TTT,     FP8,       NONE  ) \
	X(TDPBHF8PS,            "tdpbhf8ps",        VEX,  5,    0xfd, F2, 0, 0, TTT,     FP8,       NONE  ) \
	X(TDPHBF8PS,            "tdphbf8ps",        VEX,  5,    0xfd, F3, 0, 0, TTT,     FP8,       NONE  ) \
	X(TDPHF8PS,             "tdphf8ps",         VEX,  5,    0xfd, 66, 0, 0, TTT,     FP8,       NONE  ) \
	X(TILELOADDRS,          "tileloaddrs",      VEX,  0F38, 0x4a, F2, 0, 0, T_MSIB,  MOVRS,     NONE  ) \
	X(TILELOADDRST1,        "tileloaddrst1",    VEX,  0F38, 0x4a, 66, 0, 0, T_MSIB,  MOVRS,     NONE  ) \
	X(TCVTROWD2PS,          "tcvtrowd2ps",      EVEX, 0F38, 0x4a, F3, 2, 0, Z_T_R32, AVX512,    AVX10 ) \
	X(TCVTROWD2PS_I8,       "tcvtrowd2ps",      EVEX, 0F3A, 0x07, F3, 2, 0, Z_T_I8,  AVX512,    AVX10 ) \
	X(TCVTROWPS2BF16H,      "tcvtrowps2bf16h",  EVEX, 0F38, 0x6d, F2, 2, 0, Z_T_R32, AVX512,    AVX10 ) \
	X(TCVTROWPS2BF16H_I8,   "tcvtrowps2bf16h",  EVEX, 0F3A, 0x07, F2, 2, 0, Z_T_I8,  AVX512,    AVX10 ) \
	X(TCVTROWPS2BF16L,      "tcvtrowps2bf16l",  EVEX, 0F38, 0x6d, F3, 2, 0, Z_T_R32, AVX512,    AVX10 ) \
	X(TCVTROWPS2BF16L_I8,   "tcvtrowps2bf16l",  EVEX, 0F3A, 0x77, F3, 2, 0, Z_T_I8,  AVX512,    AVX10 ) \
	X(TCVTROWPS2PHH,        "tcvtrowps2phh",    EVEX, 0F38, 0x6d, NP, 2, 0, Z_T_R32, AVX512,    AVX10 ) \
	X(TCVTROWPS2PHH_I8,     "tcvtrowps2phh",    EVEX, 0F3A, 0x07, NP, 2, 0, Z_T_I8,  AVX512,    AVX10 ) \
	X(TCVTROWPS2PHL,        "tcvtrowps2phl",    EVEX, 0F38, 0x6d, 66, 2, 0, Z_T_R32, AVX512,    AVX10 ) \
	X(TCVTROWPS2PHL_I8,     "tcvtrowps2phl",    EVEX, 0F3A, 0x77, F2, 2, 0, Z_T_I8,  AVX512,    AVX10 ) \
	X(TILEMOVROW,           "tilemovrow",       EVEX, 0F38, 0x4a, 66, 2, 0, Z_T_R32, AVX512,    AVX10 ) \
	X(TILEMOVROW_I8,        "tilemovrow",       EVEX, 0F3A, 0x07, 66, 2, 0, Z_T_I8,  AVX512,    AVX10 ) \
	X(LDTILECFG_EVEX,       "ldtilecfg",        EVEX, 0F38, 0x49, NP, 0, 0, M_CFG,   TILE,      APX_F ) \
	X(STTILECFG_EVEX,       "sttilecfg",        EVEX, 0F38, 0x49, 66, 0, 0, M_CFG,   TILE,      APX_F ) \
	X(TILELOADD_EVEX,       "tileloadd",        EVEX, 0F38, 0x4b, F2, 0, 0, T_MSIB,  TILE,      APX_F ) \
	X(TILELOADDT1_EVEX,     "tileloaddt1",      EVEX, 0F38, 0x4b, 66, 0, 0, T_MSIB,  TILE,      APX_F ) \
	X(TILESTORED_EVEX,      "tilestored",       EVEX, 0F38, 0x4b, F3, 0, 0, MSIB_T,  TILE,      APX_F ) \
	X(TILELOADDRS_EVEX,     "tileloaddrs",      EVEX, 0F38, 0x4a, F2, 0, 0, T_MSIB,  MOVRS,     APX_F ) \
	X(TILELOADDRST1_EVEX,   "tileloaddrst1",    EVEX, 0F38, 0x4a, 66, 0, 0, T_MSIB,  MOVRS,     APX_F ) \
	X(T2RPNTLVWZ0,          "t2rpntlvwz0",      VEX,  0F38, 0x6e, NP, 0, 0, TP_MSIB, TRANSPOSE, NONE  ) \
	X(T2RPNTLVWZ0T1,        "t2rpntlvwz0t1",    VEX,  0F38, 0x6f, NP, 0, 0, TP_MSIB, TRANSPOSE, NONE  ) \
	X(T2RPNTLVWZ1,          "t2rpntlvwz1",      VEX,  0F38, 0x6e, 66, 0, 0, TP_MSIB, TRANSPOSE, NONE  ) \
	X(T2RPNTLVWZ1T1,        "t2rpntlvwz1t1",    VEX,  0F38, 0x6f, 66, 0, 0, TP_MSIB, TRANSPOSE, NONE  ) \
	X(T2RPNTLVWZ0_EVEX,     "t2rpntlvwz0",      EVEX, 0F38, 0x6e, NP, 0, 0, TP_MSIB, TRANSPOSE, APX_F ) \
	X(T2RPNTLVWZ0T1_EVEX,   "t2rpntlvwz0t1",    EVEX, 0F38, 0x6f, NP, 0, 0, TP_MSIB, TRANSPOSE, APX_F ) \
	X(T2RPNTLVWZ1_EVEX,     "t2rpntlvwz1",      EVEX, 0F38, 0x6e, 66, 0, 0, TP_MSIB, TRANSPOSE, APX_F ) \
	X(T2RPNTLVWZ1T1_EVEX,   "t2rpntlvwz1t1",    EVEX, 0F38, 0x6f, 66, 0, 0, TP_MSIB, TRANSPOSE, APX_F ) \
	X(T2RPNTLVWZ0RS,        "t2rpntlvwz0rs",    VEX,  5,    0xf8, NP, 0, 0, TP_MSIB, TRANSPOSE, MOVRS ) \
	X(T2RPNTLVWZ0RST1,      "t2rpntlvwz0rst1",  VEX,  5,    0xf9, NP, 0, 0, TP_MSIB, TRANSPOSE, MOVRS ) \
	X(T2RPNTLVWZ1RS,        "t2rpntlvwz1rs",    VEX,  5,    0xf8, 66, 0, 0, TP_MSIB, TRANSPOSE, MOVRS ) \
	X(T2RPNTLVWZ1RST1,      "t2rpntlvwz1rst1",  VEX,  5,    0xf9, 66, 0, 0, TP_MSIB, TRANSPOSE, MOVRS ) \
	X(T2RPNTLVWZ0RS_EVEX,   "t2rpntlvwz0rs",    EVEX, 5,    0xf8, NP, 0, 0, TP_MSIB, TRANSPOSE, MOVRS ) \
	X(T2RPNTLVWZ0RST1_EVEX, "t2rpntlvwz0rst1",  EVEX, 5,    0xf9, NP, 0, 0, TP_MSIB, TRANSPOSE, MOVRS ) \
	X(T2RPNTLVWZ1RS_EVEX,   "t2rpntlvwz1rs",    EVEX, 5,    0xf8, 66, 0, 0, TP_MSIB, TRANSPOSE, MOVRS ) \
	X(T2RPNTLVWZ1RST1_EVEX, "t2rpntlvwz1rst1",  EVEX, 5,    0xf9, 66, 0, 0, TP_MSIB, TRANSPOSE, MOVRS ) \
	X(TTRANSPOSED,          "ttransposed",      VEX,  0F38, 0x5f, F3, 0, 0, TT,      TRANSPOSE, NONE  ) \
	X(TTDPBF16PS,           "ttdpbf16ps",       VEX,  0F38, 0x6c, F3, 0, 0, TTT,     TRANSPOSE, BF16  ) \
	X(TTDPFP16PS,           "ttdpfp16ps",       VEX,  0F38, 0x6c, F2, 0, 0, TTT,     TRANSPOSE, FP16  ) \
	X(TTCMMIMFP16PS,        "ttcmmimfp16ps",    VEX,  0F38, 0x6b, F2, 0, 0, TTT,     TRANSPOSE, COMPLEX) \
	X(TTCMMRLFP16PS,        "ttcmmrlfp16ps",    VEX,  0F38, 0x6b, F3, 0, 0, TTT,     TRANSPOSE, COMPLEX) \
	X(TCONJTCMMIMFP16PS,    "tconjtcmmimfp16ps", VEX,  0F38, 0x6b, NP, 0, 0, TTT,     TRANSPOSE, COMPLEX) \
	X(TCONJTFP16,           "tconjtfp16",       VEX,  0F38, 0x6b, 66, 0, 0, TT,      TRANSPOSE, COMPLEX) \
	X(TTMMULTF32PS,         "ttmmultf32ps",     VEX,  0F38, 0x48, NP, 0, 0, TTT,     TRANSPOSE, TF32  ) \
	X(TMMULTF32PS,          "tmmultf32ps",      VEX,  0F38, 0x48, 66, 0, 0, TTT,     TF32,      NONE  )
/* clang-format on */

#define ISA_INSN_ENUM_(id, mn, enc, map, op, pp, l, w, form, feat, also) ISA_##id,
/* The one enumeration of AMX instructions; ISA_NONE: not an AMX instruction. */
enum isa_insn { ISA_NONE = -1, ISA_INSNS(ISA_INSN_ENUM_) ISA_NINSNS };
#undef ISA_INSN_ENUM_

enum isa_enc { ISA_ENC_VEX, ISA_ENC_EVEX };
enum isa_map { ISA_MAP_0F = 1, ISA_MAP_0F38 = 2, ISA_MAP_0F3A = 3, ISA_MAP_5 = 5 };
enum isa_pp { ISA_PP_NP, ISA_PP_66, ISA_PP_F3, ISA_PP_F2 }; /* the VEX.pp encoding */

/* Operand shapes. "vvvv unused" means VEX.vvvv must be 1111b (register number 0 once inverted). */
enum isa_form {
	ISA_FORM_M_CFG,   /* m512: mod != 11, ModRM.reg = 000, any addressing; vvvv unused */
	ISA_FORM_C0,      /* no operands: ModRM = C0 exactly; vvvv unused */
	ISA_FORM_T,       /* tile in ModRM.reg: mod = 11, rm = 000; vvvv unused */
	ISA_FORM_T_MSIB,  /* tile <- memory: ModRM.reg = tile, mod != 11, rm = 100 (SIB: base+disp, index = stride) */
	ISA_FORM_MSIB_T,  /* memory <- tile: same encoding as T_MSIB */
	ISA_FORM_TTT,     /* tiles: ModRM.reg = srcdest, ModRM.rm = src1, VEX.vvvv = src2; mod = 11 */
	ISA_FORM_TT,      /* tiles: ModRM.reg = dest, ModRM.rm = src; mod = 11; vvvv unused */
	ISA_FORM_TP_MSIB, /* tile pair <- memory: like T_MSIB, ModRM.reg names the pair (removed sets only) */
	ISA_FORM_Z_T_R32, /* ZMM (ModRM.reg, EVEX.R/R') <- row of tile ModRM.rm; row selector GPR32 in EVEX.vvvv
	                     (with V'); mod = 11 */
	ISA_FORM_Z_T_I8,  /* the same with the row selector in imm8; vvvv (and V') unused */
};

struct isa_insn_desc {
	const char *mnemonic; /* lower case, as objdump prints it */
	uint8_t enc, map, opcode, pp, l, w, form, feature, also;
};

#define ISA_INSN_DESC_(id, mn, enc, map, op, pp, l, w, form, feat, also) \
	{ mn, ISA_ENC_##enc, ISA_MAP_##map, op, ISA_PP_##pp, l, w, ISA_FORM_##form, ISA_F_##feat, ISA_F_##also },

/* The row of instruction `op` (0 <= op < ISA_NINSNS). Holds pointers: not for resolver context. */
static inline const struct isa_insn_desc *isa_insn(int op)
{
	static const struct isa_insn_desc rows[ISA_NINSNS] = { ISA_INSNS(ISA_INSN_DESC_) };
	return &rows[op];
}
#undef ISA_INSN_DESC_

static inline const char *isa_mnemonic(int op)
{
	return op >= 0 && op < ISA_NINSNS ? isa_insn(op)->mnemonic : "?";
}

/* Was the instruction removed from the ISA before shipping (its feature or `also` is REMOVED: #UD)? */
static inline int isa_insn_removed(int op)
{
	const struct isa_insn_desc *d = isa_insn(op);

	return isa_feature_row(d->feature)->status == ISA_REMOVED ||
	       (d->also != ISA_F_NONE && isa_feature_row(d->also)->status == ISA_REMOVED);
}

/* Memory operand (mod != 11) or register operands only. */
static inline int isa_form_is_reg(unsigned form)
{
	return form == ISA_FORM_C0 || form == ISA_FORM_T || form == ISA_FORM_TTT || form == ISA_FORM_TT ||
	       form == ISA_FORM_Z_T_R32 || form == ISA_FORM_Z_T_I8;
}

/* Does the instruction's row name enc/map/opcode (any pp, L, W, ModRM)? */
static inline int isa_same_opcode(const struct isa_insn_desc *d, unsigned enc, unsigned map, unsigned opcode)
{
	return d->enc == enc && d->map == map && d->opcode == opcode;
}

/* Does the row match these fields, with ModRM.mod selecting the register or memory form? */
static inline int isa_match(const struct isa_insn_desc *d, unsigned enc, unsigned map, unsigned opcode, unsigned pp,
			    unsigned l, unsigned w, unsigned modrm)
{
	return isa_same_opcode(d, enc, map, opcode) && d->pp == pp && d->l == l && d->w == w &&
	       isa_form_is_reg(d->form) == ((modrm >> 6) == 3);
}

/* The fixed fields of the form: ModRM.reg/rm values and an unused vvvv (register number, 0 = 1111b). */
static inline int isa_form_ok(unsigned form, unsigned modrm, unsigned vvvv)
{
	unsigned reg = (modrm >> 3) & 7, rm = modrm & 7;

	switch (form) {
	case ISA_FORM_M_CFG: return reg == 0 && vvvv == 0;
	case ISA_FORM_C0: return modrm == 0xc0 && vvvv == 0;
	case ISA_FORM_T: return rm == 0 && vvvv == 0;
	/* clang-format off */
	case ISA_FORM_T_MSIB: case ISA_FORM_MSIB_T: case ISA_FORM_TP_MSIB: return rm == 4 && vvvv == 0;
	case ISA_FORM_TTT: case ISA_FORM_Z_T_R32: return 1;
	case ISA_FORM_TT: case ISA_FORM_Z_T_I8: return vvvv == 0;
		/* clang-format on */
	}
	return 0;
}

/* The fixed EVEX payload fields of the form (P0, P1, P2 as stored: R, X, B, R', X4 and V' inverted,
 * B4 not). All forms: z = 0, b = 0, aaa = 0 (XED: no masking, broadcast or rounding). Memory forms (the APX
 * promotions): V' = 1 (no vvvv register); a tile in ModRM.reg also needs R = R' = 1 (no tmm8+); B4, X4, B, X
 * pick R16-R31 in the address. ZMM <- tile forms: X = B = 1 and B4 = 0 (ModRM.rm is a tile), V' = 1 in the
 * imm8 form; R, R' extend the ZMM. Checked against llvm-mc 22 bit by bit (tests/amxscan/evex-fields.sh);
 * LLVM 22 also accepts L'L = 11 in the ZMM forms, XED and this table require 10. */
static inline int isa_evex_ok(unsigned form, const uint8_t p[3])
{
	if ((p[2] & 0x97) != 0) /* z, b, aaa */
		return 0;
	switch (form) {
	case ISA_FORM_M_CFG: return (p[2] & 0x08) != 0;
	case ISA_FORM_T_MSIB:
	case ISA_FORM_MSIB_T:
	case ISA_FORM_TP_MSIB: return (p[2] & 0x08) && (p[0] & 0x90) == 0x90;
	case ISA_FORM_Z_T_R32: return (p[0] & 0x68) == 0x60;
	case ISA_FORM_Z_T_I8: return (p[0] & 0x68) == 0x60 && (p[2] & 0x08);
	}
	return 0;
}

/* ---- Tile configuration (LDTILECFG/STTILECFG m512) ------------------------------------------ */
#define ISA_TILECFG_BYTES 64
#define ISA_TILECFG_MAX_TILES 16 /* slots in the image; palette 1 uses the first 8 */

struct isa_tilecfg {
	uint8_t palette;   /* 0: INIT state (release); 1: the only palette so far */
	uint8_t start_row; /* restart row of an interrupted load/store */
	uint8_t reserved[14];
	uint16_t colsb[ISA_TILECFG_MAX_TILES]; /* bytes per row */
	uint8_t rows[ISA_TILECFG_MAX_TILES];
} __attribute__((aligned(64)));

/* Byte offsets, for code that works on the raw image. */
#define ISA_TILECFG_PALETTE 0
#define ISA_TILECFG_START_ROW 1
#define ISA_TILECFG_RESERVED 2
#define ISA_TILECFG_COLSB 16 /* u16 little endian per tile */
#define ISA_TILECFG_ROWS 48

_Static_assert(sizeof(struct isa_tilecfg) == ISA_TILECFG_BYTES, "tile config is 64 bytes");
_Static_assert(__builtin_offsetof(struct isa_tilecfg, start_row) == ISA_TILECFG_START_ROW, "start_row");
_Static_assert(__builtin_offsetof(struct isa_tilecfg, reserved) == ISA_TILECFG_RESERVED, "reserved");
_Static_assert(__builtin_offsetof(struct isa_tilecfg, colsb) == ISA_TILECFG_COLSB, "colsb");
_Static_assert(__builtin_offsetof(struct isa_tilecfg, rows) == ISA_TILECFG_ROWS, "rows");

/* ---- Palette 1 (CPUID.(1DH,1) and TMUL CPUID.(1EH,0) on every AMX CPU so far) ------------------- */
#define ISA_P1_TOTAL_BYTES 8192
#define ISA_P1_BYTES_PER_TILE 1024
#define ISA_P1_BYTES_PER_ROW 64
#define ISA_P1_NTILES 8
#define ISA_P1_MAX_ROWS 16
#define ISA_TMUL_MAXK 16 /* rows of B / dwords per row of A */
#define ISA_TMUL_MAXN 64 /* bytes per row of B and C */
_Static_assert(ISA_P1_BYTES_PER_TILE == ISA_P1_MAX_ROWS * ISA_P1_BYTES_PER_ROW, "palette 1 tile");
_Static_assert(ISA_P1_TOTAL_BYTES == ISA_P1_NTILES * ISA_P1_BYTES_PER_TILE, "palette 1 total");

/* ---- XSAVE feature numbers and the Linux permission interface ------------------------------
 * XCR0 bit = XSAVE component (SDM vol. 1, 13.1; Linux fpu/types.h; APX: Intel APX spec, component 19).
 * The tile components, and those the next-generation forms touch: AMX-AVX512 writes ZMM registers
 * (SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM state), the APX forms address R16-R31 (APX state). */
#define ISA_XFEATURE_SSE 1
#define ISA_XFEATURE_AVX 2
#define ISA_XFEATURE_OPMASK 5
#define ISA_XFEATURE_ZMM_HI256 6
#define ISA_XFEATURE_HI16_ZMM 7
#define ISA_XFEATURE_XTILECFG 17
#define ISA_XFEATURE_XTILEDATA 18
#define ISA_XFEATURE_APX 19
#define ISA_XFEATURE_MASK_XTILE ((1ull << ISA_XFEATURE_XTILECFG) | (1ull << ISA_XFEATURE_XTILEDATA))
#define ISA_XFEATURE_MASK_AVX ((1ull << ISA_XFEATURE_SSE) | (1ull << ISA_XFEATURE_AVX))
#define ISA_XFEATURE_MASK_AVX512                                                                    \
	(ISA_XFEATURE_MASK_AVX | (1ull << ISA_XFEATURE_OPMASK) | (1ull << ISA_XFEATURE_ZMM_HI256) | \
	 (1ull << ISA_XFEATURE_HI16_ZMM))
#define ISA_ARCH_GET_XCOMP_SUPP 0x1021
#define ISA_ARCH_GET_XCOMP_PERM 0x1022
#define ISA_ARCH_REQ_XCOMP_PERM 0x1023

#endif
