/* SPDX-License-Identifier: MIT */
/* libamxkernels: an example library whose GEMM kernels each have an AMX, an AVX2+FMA and a portable C
 * variant, bound once by the dynamic loader through AMXSHIM_IFUNC (see examples/README.md).
 *
 * All matrices are row-major with leading dimensions in elements; any M, N, K >= 0 works (tails are
 * handled inside). Every GEMM computes C[M x N] += A[M x K] * B[K x N], where B has first been packed by
 * the matching amxk_pack_* function into the VNNI layout the AMX instructions read:
 *   bf16: pairs of consecutive k interleaved per column:  Bp[((k/2) * Np + n) * 2 + k % 2] = B[k][n]
 *   int8: quads of consecutive k interleaved per column:  Bp[((k/4) * Np + n) * 4 + k % 4] = B[k][n]
 * with Np = N rounded up to 32 and K rounded up to 32 (bf16) or 64 (int8), the padding filled with zeros,
 * so that every variant can read whole tiles and vectors without bounds checks.
 *
 * bf16 semantics (the portable variant is the reference): for each C[i][j], acc = C[i][j]; then for
 * k = 0, 1, ..., K-1 in order: acc = fl32(acc + f32(A[i][k]) * f32(B[k][j])), round to nearest even; the
 * product of two bf16 is exact in f32. The AVX2 variant uses the same order with FMA and gives the same
 * bits for normal numbers. The AMX variant sums each block of 32 k as TDPBF16PS does (even and odd k in two
 * partial sums, DAZ/FTZ); it differs from the reference by at most 2*gamma(K)*S + 2*(K+1)*2^-126, where
 * S = |C0[i][j]| + sum_k |A[i][k] * B[k][j]| and gamma(n) = n*u / (1 - n*u), u = 2^-24 (examples/README.md).
 * int8 results are exact (s32, wrapping on overflow) and identical for every variant.
 *
 * hf8 (OCP FP8 E4M3, Intel's HF8; fp32 C): B packed like int8 (quads of k). Semantics, shared bit for bit
 * by the portable and the AMX-FP8 (TDPHF8PS) variants: k is cut into blocks of 64 starting at 0; for each
 * block in order, the products of the block are summed exactly, the sum is rounded once to fp32 (nearest
 * even) and added to C[i][j] (round to nearest even; a subnormal C reads as zero). Any NaN input (the E4M3
 * NaNs 0x7f/0xff, or a NaN C) makes the result the default NaN 0xffc00000. E4M3 has no infinity; |sums| stay
 * far below fp32's range. This is the accumulation model of the AMX-FP8 instructions (emu/README.md).
 */
#ifndef AMXKERNELS_H
#define AMXKERNELS_H

#include <stddef.h>
#include <stdint.h>
#include <amxshim/resolver.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AMXK_API __attribute__((visibility("default")))

typedef uint16_t amxk_bf16; /* the upper 16 bits of an IEEE binary32 */
typedef uint8_t amxk_hf8;   /* OCP FP8 E4M3: sign, 4-bit exponent (bias 7), 3-bit mantissa; no Inf */

/* Packing of B: the size of the packed buffer in elements, then the packing itself. */
AMXK_API size_t amxk_pack_bf16_size(size_t K, size_t N);
AMXK_API void amxk_pack_bf16(size_t K, size_t N, const amxk_bf16 *B, size_t ldb, amxk_bf16 *Bp);
AMXK_API size_t amxk_pack_i8_size(size_t K, size_t N);
AMXK_API void amxk_pack_i8(size_t K, size_t N, const int8_t *B, size_t ldb, int8_t *Bp);
AMXK_API size_t amxk_pack_hf8_size(size_t K, size_t N);
AMXK_API void amxk_pack_hf8(size_t K, size_t N, const amxk_hf8 *B, size_t ldb, amxk_hf8 *Bp);

/* The kernels (IFUNC symbols). */
AMXK_API void amxk_gemm_bf16(size_t M, size_t N, size_t K, const amxk_bf16 *A, size_t lda, const amxk_bf16 *Bp,
			     float *C, size_t ldc);
AMXK_API void amxk_gemm_u8s8(size_t M, size_t N, size_t K, const uint8_t *A, size_t lda, const int8_t *Bp, int32_t *C,
			     size_t ldc);
AMXK_API void amxk_gemm_s8s8(size_t M, size_t N, size_t K, const int8_t *A, size_t lda, const int8_t *Bp, int32_t *C,
			     size_t ldc);
AMXK_API void amxk_gemm_hf8(size_t M, size_t N, size_t K, const amxk_hf8 *A, size_t lda, const amxk_hf8 *Bp, float *C,
			    size_t ldc);

typedef void amxk_gemm_bf16_fn(size_t, size_t, size_t, const amxk_bf16 *, size_t, const amxk_bf16 *, float *, size_t);
typedef void amxk_gemm_u8s8_fn(size_t, size_t, size_t, const uint8_t *, size_t, const int8_t *, int32_t *, size_t);
typedef void amxk_gemm_s8s8_fn(size_t, size_t, size_t, const int8_t *, size_t, const int8_t *, int32_t *, size_t);
typedef void amxk_gemm_hf8_fn(size_t, size_t, size_t, const amxk_hf8 *, size_t, const amxk_hf8 *, float *, size_t);

/* The registry, for tests and benchmarks: every variant of a kernel, best first, the portable one last.
 * Cast .fn to the kernel's amxk_*_fn type. Calling a variant that is not usable here is only sound under
 * the AMX emulator (libamxemu.so) or on hardware that has the instructions. */
enum amxk_kernel { AMXK_GEMM_BF16, AMXK_GEMM_U8S8, AMXK_GEMM_S8S8, AMXK_GEMM_HF8, AMXK_KERNEL_COUNT };

AMXK_API const char *amxk_kernel_name(enum amxk_kernel k); /* "gemm_bf16", ...; NULL when out of range */
AMXK_API const struct amxshim_variant *amxk_variants(enum amxk_kernel k, size_t *count);
/* The variant's predicate, evaluated by this library's resolver code (may request AMX permission, as the
 * IFUNC resolver itself does). */
AMXK_API int amxk_variant_usable(enum amxk_kernel k, size_t i);
/* The name of the variant the dynamic loader bound to the kernel's symbol. */
AMXK_API const char *amxk_bound(enum amxk_kernel k);
/* Why: the resolver's state and decision for the features of the kernel's AMX variant. Returns usable. */
AMXK_API int amxk_why(enum amxk_kernel k, struct amxshim_state *state);

#ifdef __cplusplus
}
#endif
#endif
