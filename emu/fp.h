/* SPDX-License-Identifier: MIT */
/* The FP32 arithmetic of TDPBF16PS/TDPFP16PS on raw bit patterns: inputs that are denormal read
 * as zero, denormal results flush to zero, round to nearest even, MXCSR neither read nor set. */
#ifndef AMXEMU_FP_H
#define AMXEMU_FP_H

#include <stdint.h>

uint32_t fp32_fma(uint32_t a, uint32_t b, uint32_t c); /* a * b + c, one rounding */
uint32_t fp32_add(uint32_t a, uint32_t b);
uint32_t fp16_to_fp32(uint16_t h); /* exact; fp16 denormals kept (TDPFP16PS) */
static inline uint32_t bf16_to_fp32(uint16_t h)
{
	return (uint32_t)h << 16;
}

#endif
