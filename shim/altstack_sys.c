/* The real sigaltstack system call, bypassing our own interposer. */
#include <unistd.h>
#include <sys/syscall.h>
#include "altstack.h"

long amx_sys_sigaltstack(const stack_t *ss, stack_t *old)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "0"((long)SYS_sigaltstack), "D"(ss), "S"(old)
			 : "rcx", "r11", "memory");
	return ret;
}
