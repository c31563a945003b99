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
 * X(id, name, leaf, subleaf, register, bit, status). `id` also names the resolver's flag: AMXSHIM_<id>
 * (ISA_FEATURE_FLAG). A new leaf (e.g. 1EH.1) is just another leaf/subleaf pair in a row; a set that was
 * removed from the ISA before shipping keeps its row with status REMOVED. */
#define ISA_FEATURES(X)                                                      \
	X(TILE,    "AMX-TILE",    0x07, 0, EDX, 24, LIVE)                   \
	X(INT8,    "AMX-INT8",    0x07, 0, EDX, 25, LIVE)                   \
	X(BF16,    "AMX-BF16",    0x07, 0, EDX, 22, LIVE)                   \
	X(FP16,    "AMX-FP16",    0x07, 1, EAX, 21, LIVE)                   \
	X(COMPLEX, "AMX-COMPLEX", 0x07, 1, EDX, 8,  LIVE)

enum isa_cpuid_reg { ISA_EAX, ISA_EBX, ISA_ECX, ISA_EDX };
enum isa_status { ISA_LIVE, ISA_REMOVED /* removed from the ISA before shipping: #UD */ };

#define ISA_FEATURE_ENUM_(id, name, leaf, sub, reg, bit, st) ISA_F_##id,
enum isa_feature { ISA_FEATURES(ISA_FEATURE_ENUM_) ISA_NFEATURES, ISA_F_NONE = ISA_NFEATURES };
#undef ISA_FEATURE_ENUM_

/* The resolver's AMXSHIM_* flag of a feature id (needs amxshim/resolver.h where it is used). */
#define ISA_FEATURE_FLAG(id) AMXSHIM_##id

/* ---- Instructions ------------------------------------------------------------------------------
 * X(id, mnemonic, enc, map, opcode, pp, L, W, form, feature, also)
 *   enc    VEX (EVEX rows go here too); map: opcode map (0F38 = VEX.mmmmm 2; map 5 = 5)
 *   pp     implied prefix NP/66/F3/F2; L, W: the required VEX.L and VEX.W
 *   form   ModRM/operand shape (enum isa_form below); feature (and also, or NONE): CPUID sets needed
 * Row order is the enum order, and amxscan's report order. */
#define ISA_INSNS(X)                                                                         \
	X(LDTILECFG,    "ldtilecfg",    VEX, 0F38, 0x49, NP, 0, 0, M_CFG,  TILE,    NONE)     \
	X(STTILECFG,    "sttilecfg",    VEX, 0F38, 0x49, 66, 0, 0, M_CFG,  TILE,    NONE)     \
	X(TILERELEASE,  "tilerelease",  VEX, 0F38, 0x49, NP, 0, 0, C0,     TILE,    NONE)     \
	X(TILEZERO,     "tilezero",     VEX, 0F38, 0x49, F2, 0, 0, T,      TILE,    NONE)     \
	X(TILELOADD,    "tileloadd",    VEX, 0F38, 0x4b, F2, 0, 0, T_MSIB, TILE,    NONE)     \
	X(TILELOADDT1,  "tileloaddt1",  VEX, 0F38, 0x4b, 66, 0, 0, T_MSIB, TILE,    NONE)     \
	X(TILESTORED,   "tilestored",   VEX, 0F38, 0x4b, F3, 0, 0, MSIB_T, TILE,    NONE)     \
	X(TDPBF16PS,    "tdpbf16ps",    VEX, 0F38, 0x5c, F3, 0, 0, TTT,    BF16,    NONE)     \
	X(TDPFP16PS,    "tdpfp16ps",    VEX, 0F38, 0x5c, F2, 0, 0, TTT,    FP16,    NONE)     \
	X(TDPBSSD,      "tdpbssd",      VEX, 0F38, 0x5e, F2, 0, 0, TTT,    INT8,    NONE)     \
	X(TDPBSUD,      "tdpbsud",      VEX, 0F38, 0x5e, F3, 0, 0, TTT,    INT8,    NONE)     \
	X(TDPBUSD,      "tdpbusd",      VEX, 0F38, 0x5e, 66, 0, 0, TTT,    INT8,    NONE)     \
	X(TDPBUUD,      "tdpbuud",      VEX, 0F38, 0x5e, NP, 0, 0, TTT,    INT8,    NONE)     \
	X(TCMMIMFP16PS, "tcmmimfp16ps", VEX, 0F38, 0x6c, 66, 0, 0, TTT,    COMPLEX, NONE)     \
	X(TCMMRLFP16PS, "tcmmrlfp16ps", VEX, 0F38, 0x6c, NP, 0, 0, TTT,    COMPLEX, NONE)

#define ISA_INSN_ENUM_(id, mn, enc, map, op, pp, l, w, form, feat, also) ISA_##id,
/* The one enumeration of AMX instructions; ISA_NONE: not an AMX instruction. */
enum isa_insn { ISA_NONE = -1, ISA_INSNS(ISA_INSN_ENUM_) ISA_NINSNS };
#undef ISA_INSN_ENUM_

enum isa_enc { ISA_ENC_VEX, ISA_ENC_EVEX };
enum isa_map { ISA_MAP_0F = 1, ISA_MAP_0F38 = 2, ISA_MAP_0F3A = 3, ISA_MAP_5 = 5 };
enum isa_pp { ISA_PP_NP, ISA_PP_66, ISA_PP_F3, ISA_PP_F2 }; /* the VEX.pp encoding */

/* Operand shapes. "vvvv unused" means VEX.vvvv must be 1111b (register number 0 once inverted). */
enum isa_form {
	ISA_FORM_M_CFG,  /* m512: mod != 11, ModRM.reg = 000, any addressing; vvvv unused */
	ISA_FORM_C0,     /* no operands: ModRM = C0 exactly; vvvv unused */
	ISA_FORM_T,      /* tile in ModRM.reg: mod = 11, rm = 000; vvvv unused */
	ISA_FORM_T_MSIB, /* tile <- memory: ModRM.reg = tile, mod != 11, rm = 100 (SIB: base+disp, index = stride) */
	ISA_FORM_MSIB_T, /* memory <- tile: same encoding as T_MSIB */
	ISA_FORM_TTT,    /* tiles: ModRM.reg = srcdest, ModRM.rm = src1, VEX.vvvv = src2; mod = 11 */
};

struct isa_insn_desc {
	const char *mnemonic; /* lower case, as objdump prints it */
	uint8_t enc, map, opcode, pp, l, w, form, feature, also;
};

#define ISA_INSN_DESC_(id, mn, enc, map, op, pp, l, w, form, feat, also)                           \
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

/* Memory operand (mod != 11) or register operands only. */
static inline int isa_form_is_reg(unsigned form)
{
	return form == ISA_FORM_C0 || form == ISA_FORM_T || form == ISA_FORM_TTT;
}

/* Does the instruction's row name enc/map/opcode (any pp, L, W, ModRM)? */
static inline int isa_same_opcode(const struct isa_insn_desc *d, unsigned enc, unsigned map, unsigned opcode)
{
	return d->enc == enc && d->map == map && d->opcode == opcode;
}

/* Does the row match these fields, with ModRM.mod selecting the register or memory form? */
static inline int isa_match(const struct isa_insn_desc *d, unsigned enc, unsigned map, unsigned opcode,
			    unsigned pp, unsigned l, unsigned w, unsigned modrm)
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
	case ISA_FORM_T_MSIB: case ISA_FORM_MSIB_T: return rm == 4 && vvvv == 0;
	case ISA_FORM_TTT: return 1;
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

/* ---- XSAVE feature numbers and the Linux permission interface ------------------------------ */
#define ISA_XFEATURE_XTILECFG 17
#define ISA_XFEATURE_XTILEDATA 18
#define ISA_XFEATURE_MASK_XTILE ((1ull << ISA_XFEATURE_XTILECFG) | (1ull << ISA_XFEATURE_XTILEDATA))
#define ISA_ARCH_GET_XCOMP_SUPP 0x1021
#define ISA_ARCH_GET_XCOMP_PERM 0x1022
#define ISA_ARCH_REQ_XCOMP_PERM 0x1023

#endif
