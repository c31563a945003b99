// SPDX-License-Identifier: MIT
/* A known instruction stream for tests/stress/stepcount.sh: no libc, no loader, only _start below. It
 * executes 3 CPUID, then 1 XGETBV when CPUID.1:ECX.OSXSAVE[27] allows it, then a loop of argc x 1000
 * two-instruction rounds, and exits with status 1 if it executed the XGETBV, else 0. The instructions
 * executed: 17 + 3 (XGETBV) + 2000 x argc, and the exit system call is the last. (CPUID and XGETBV here are
 * the counter's subject, not a decision about the machine: ARCHITECTURE rule 1 is about the latter.) */
__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	xor %eax, %eax\n"              /* 1 */
	"	xor %ecx, %ecx\n"              /* 2 */
	"	cpuid\n"                       /* 3: CPUID 1 */
	"	mov $1, %eax\n"                /* 4 */
	"	xor %ecx, %ecx\n"              /* 5 */
	"	cpuid\n"                       /* 6: CPUID 2 */
	"	mov %ecx, %r12d\n"             /* 7 */
	"	mov $7, %eax\n"                /* 8 */
	"	xor %ecx, %ecx\n"              /* 9 */
	"	cpuid\n"                       /* 10: CPUID 3 */
	"	xor %edi, %edi\n"              /* 11: exit status 0 */
	"	bt $27, %r12d\n"               /* 12 */
	"	jnc 1f\n"                      /* 13 */
	"	xor %ecx, %ecx\n"              /* +1 */
	"	xgetbv\n"                      /* +2 */
	"	mov $1, %edi\n"                /* +3: exit status 1 */
	"1:	mov (%rsp), %rcx\n"            /* 14: argc */
	"	imul $1000, %rcx, %rcx\n"      /* 15 */
	"2:	dec %rcx\n"                    /* 2 per round */
	"	jnz 2b\n"
	"	mov $60, %eax\n"               /* 16: exit */
	"	syscall\n");                   /* 17 */
