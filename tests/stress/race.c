// SPDX-License-Identifier: MIT
/* race LIB [THREADS]: dlopen()s LIB (librace*.so: a library linking the static resolver, not called yet),
 * starts THREADS threads (default 64) that wait on a barrier and then make the library's first resolver
 * call at the same moment: even threads amxshim_usable(), odd threads amxshim_state(). Then every thread
 * asks again (now from the cache). Prints one summary line:
 *
 *   usable=1 agree=yes reason=ok probes=N req=R get=G other=O perm18=P
 *
 * N is the number of probes the race made that reached the kernel (ARCH_GET_XCOMP_SUPP calls: each gathering
 * makes one where the CPU agrees; CPUIDs no longer tell, every leaf is read once): 1 when one thread filled
 * the cache and nobody else looked before it was done, 1 + the losers that gathered privately. R/G/O count the resolver's arch_prctl calls (REQ, GET_SUPP+GET_PERM, anything else) made by the race;
 * perm18 is bit 18 of the real kernel's ARCH_GET_XCOMP_PERM afterwards (-1: unreadable). Exit 0 when all
 * answers agree, 1 when they do not, 2 on a setup error. The driver compares with the ground truth. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

#define MAX_THREADS 256

static int (*usable_fn)(void);
static int (*state_fn)(int *);
static pthread_barrier_t barrier;

struct slot {
	int index;
	int first, first_reason;
	int again, again_reason;
};

static void *racer(void *arg)
{
	struct slot *s = arg;
	pthread_barrier_wait(&barrier);
	s->first_reason = -1;
	if (s->index % 2 == 0)
		s->first = usable_fn();
	else
		s->first = state_fn(&s->first_reason);
	s->again = state_fn(&s->again_reason);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: race LIB [THREADS]\n");
		return 2;
	}
	int n = argc > 2 ? atoi(argv[2]) : 64;
	if (n < 2 || n > MAX_THREADS) {
		fprintf(stderr, "race: THREADS must be 2..%d\n", MAX_THREADS);
		return 2;
	}
	void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "race: %s\n", dlerror());
		return 2;
	}
	usable_fn = (int (*)(void))dlsym(h, "race_usable");
	state_fn = (int (*)(int *))dlsym(h, "race_state");
	const char *(*reason_name)(int) = (const char *(*)(int))dlsym(h, "race_reason_name");
	void (*counts)(unsigned *, unsigned *, unsigned *) =
		(void (*)(unsigned *, unsigned *, unsigned *))dlsym(h, "race_counts");
	unsigned (*probe_count)(void) = (unsigned (*)(void))dlsym(h, "race_probes");
	if (!usable_fn || !state_fn || !reason_name || !counts || !probe_count) {
		fprintf(stderr, "race: %s lacks the race_* functions\n", argv[1]);
		return 2;
	}
	unsigned get, req, other;
	counts(&get, &req, &other);
	if (get || req || other) {
		fprintf(stderr, "race: the resolver ran before the race (%u calls)\n", get + req + other);
		return 2;
	}

	static struct slot slots[MAX_THREADS];
	pthread_t tids[MAX_THREADS];
	pthread_barrier_init(&barrier, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		slots[i].index = i;
		if (pthread_create(&tids[i], NULL, racer, &slots[i]) != 0) {
			fprintf(stderr, "race: pthread_create failed at thread %d\n", i);
			return 2;
		}
	}
	for (int i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
	pthread_barrier_destroy(&barrier);

	int agree = 1, want = slots[0].again, reason = slots[0].again_reason;
	for (int i = 0; i < n; i++) {
		const struct slot *s = &slots[i];
		if (s->first != want || s->again != want || s->again_reason != reason ||
		    (s->first_reason != -1 && s->first_reason != reason)) {
			fprintf(stderr, "race: thread %d: first %d (%d), again %d (%d); thread 0 said %d (%s)\n", i,
				s->first, s->first_reason, s->again, s->again_reason, want, reason_name(reason));
			agree = 0;
		}
	}
	counts(&get, &req, &other);
	uint64_t perm = 0;
	int perm18 = syscall(SYS_arch_prctl, 0x1022, &perm) == 0 ? (int)(perm >> 18 & 1) : -1;
	printf("usable=%d agree=%s reason=%s probes=%u req=%u get=%u other=%u perm18=%d\n", want, agree ? "yes" : "no",
	       reason_name(reason), probe_count(), req, get, other, perm18);
	dlclose(h);
	return agree ? 0 : 1;
}
