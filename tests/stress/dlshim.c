// SPDX-License-Identifier: MIT
/* dlshim SHIM CYCLES [clearenv | dlmopen | fd2 FILE]: the shim loaded into a running program with dlopen().
 * Prints "before dlopen" into stdout's buffer (a file: fully buffered, so an _exit() would lose it), then:
 *   clearenv  clears the environment first;
 *   dlmopen   loads each copy into a new namespace of its own (dlmopen(LM_ID_NEWLM));
 *   fd2 FILE  closes fd 2 and opens FILE for its own data, which gets fd 2, and writes "data" there;
 * then dlopen()s (or dlmopen()s) and dlclose()s SHIM CYCLES times. On the first cycle it prints the reason
 * amxshim_state() gives in the loaded copy. Then the host's own pthread_key_create() must still work:
 * "key=ok" or "key=<errno name>". */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <amxshim/resolver.h>

typedef int state_fn(struct amxshim_state *, unsigned);
typedef const char *name_fn(int);

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: dlshim SHIM CYCLES [clearenv | dlmopen | fd2 FILE]\n");
		return 2;
	}
	long cycles = atol(argv[2]);
	const char *mode = argc > 3 ? argv[3] : "";
	int new_namespace = !strcmp(mode, "dlmopen");
	printf("before dlopen\n");
	if (!strcmp(mode, "clearenv"))
		clearenv();
	if (!strcmp(mode, "fd2")) {
		if (argc < 5)
			return 2;
		close(2);
		int fd = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd != 2 || write(fd, "data\n", 5) != 5)
			return 3;
	}
	for (long i = 1; i <= cycles; i++) {
		void *h = new_namespace ? dlmopen(LM_ID_NEWLM, argv[1], RTLD_NOW | RTLD_LOCAL)
					: dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
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
