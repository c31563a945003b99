// SPDX-License-Identifier: MIT
/* dlshim SHIM CYCLES [clearenv]: the shim loaded into a running program with dlopen().
 * Prints "before dlopen" into stdout's buffer (a file: fully buffered, so an _exit() would lose it),
 * optionally clears the environment, then dlopen()s and dlclose()s SHIM CYCLES times. On the first cycle it
 * prints the reason amxshim_state() gives in the loaded copy. Then the host's own pthread_key_create()
 * must still work: "key=ok" or "key=<errno name>". */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <amxshim/resolver.h>

typedef int state_fn(struct amxshim_state *, unsigned);
typedef const char *name_fn(int);

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: dlshim SHIM CYCLES [clearenv]\n");
		return 2;
	}
	long cycles = atol(argv[2]);
	printf("before dlopen\n");
	if (argc > 3 && !strcmp(argv[3], "clearenv"))
		clearenv();
	for (long i = 1; i <= cycles; i++) {
		void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			printf("cycle %ld: dlopen: %s\n", i, dlerror());
			return 1;
		}
		if (i == 1) {
			state_fn *state = (state_fn *)dlsym(h, "amxshim_state");
			name_fn *name = (name_fn *)dlsym(h, "amxshim_reason_name");
			struct amxshim_state st;
			if (!state || !name)
				return 2;
			state(&st, AMXSHIM_TILE);
			printf("reason=%s\n", name((int)st.reason));
		}
		if (dlclose(h) != 0) {
			printf("cycle %ld: dlclose: %s\n", i, dlerror());
			return 1;
		}
	}
	pthread_key_t key;
	int err = pthread_key_create(&key, NULL);
	printf("cycles=%ld key=%s\n", cycles, err == 0 ? "ok" : err == EAGAIN ? "EAGAIN" : strerror(err));
	return err != 0;
}
