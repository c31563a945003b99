// SPDX-License-Identifier: MIT
/* ifunc-dlopen LIB lazy|now: dlopen()s libifunc after main started and prints the picks. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

typedef int kernel_fn(void);

static const char *name(int pick)
{
	return pick == 1 ? "amx" : pick == 2 ? "fallback" : "broken";
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: ifunc-dlopen LIB lazy|now\n");
		return 2;
	}
	void *h = dlopen(argv[1], strcmp(argv[2], "now") ? RTLD_LAZY : RTLD_NOW);
	if (!h) {
		fprintf(stderr, "ifunc-dlopen: %s\n", dlerror());
		return 1;
	}
	kernel_fn *sel = (kernel_fn *)dlsym(h, "amxsel"), *ptr = (kernel_fn *)dlsym(h, "amxsel_ptr");
	if (!sel || !ptr) {
		fprintf(stderr, "ifunc-dlopen: missing symbols\n");
		return 1;
	}
	int a = sel(), b = ptr();
	uint64_t perm = 0;
	int bit18 = syscall(SYS_arch_prctl, 0x1022, &perm) == 0 ? (int)(perm >> 18 & 1) : -1;
	printf("plt=%s ptr=%s perm18=%d\n", name(a), name(b), bit18);
	return 0;
}
