// SPDX-License-Identifier: MIT
/* libctorthreads.so: a DT_NEEDED library whose constructor starts threads before main. */
#include <pthread.h>
#include <stdio.h>

#define N 4
static pthread_t threads[N];
static unsigned long results[N];
static int started;

static void *work(void *arg)
{
	unsigned long i = (unsigned long)arg, s = 0;
	for (unsigned long k = 0; k < 50000 * (i + 1); k++)
		s += k * i;
	results[i] = s;
	return 0;
}

__attribute__((constructor)) static void start_threads(void)
{
	for (unsigned long i = 0; i < N; i++)
		if (pthread_create(&threads[i], 0, work, (void *)i) == 0)
			started++;
}

__attribute__((visibility("default"))) int ctorthreads_join(unsigned long *out, int max);
int ctorthreads_join(unsigned long *out, int max)
{
	for (int i = 0; i < started && i < max; i++) {
		pthread_join(threads[i], 0);
		out[i] = results[i];
	}
	return started;
}
