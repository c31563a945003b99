// SPDX-License-Identifier: MIT
/* dlcycle LIB CYCLES WANT [LEAK_BYTES]: dlopen()s and dlclose()s LIB (an IFUNC library linking the static
 * resolver: tests/integration's libifunc-*.so) CYCLES times. Every cycle runs the library's IFUNC resolvers
 * again (a fresh copy, a fresh cache) and calls both picks, which must be WANT (amx or fallback). After
 * dlclose the library must be gone from /proc/self/maps (checked on the first and the last cycle). Prints
 *
 *   cycles=N warm=W rss_warm_kb=A rss_end_kb=B growth_kb=B-A maps_warm=M maps_end=M2
 *
 * RSS (resident pages, /proc/self/statm) and the number of mappings are sampled after W warm-up cycles
 * (malloc arenas and ld.so's caches reach their steady state) and after the last. LEAK_BYTES=n leaks n
 * touched bytes of malloc per cycle on purpose (about what one leaked link_map would cost), to show that the
 * driver's bound catches such a leak. Exit 0, or 1 on a wrong pick or a library left mapped, 2 on setup
 * errors. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int kernel_fn(void);

static long statm_resident_pages(void)
{
	long size = 0, resident = -1;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident;
}

/* Number of mappings, and whether any maps `name`. */
static int maps(const char *name, int *found)
{
	char line[4096];
	int n = 0;
	*found = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		n++;
		if (strstr(line, name))
			*found = 1;
	}
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: dlcycle LIB CYCLES amx|fallback [LEAK_EVERY]\n");
		return 2;
	}
	const char *lib = argv[1];
	long cycles = atol(argv[2]);
	int want = !strcmp(argv[3], "amx") ? 1 : 2;
	long leak_bytes = argc > 4 ? atol(argv[4]) : 0;
	long warm = cycles / 10;
	const char *base = strrchr(lib, '/') ? strrchr(lib, '/') + 1 : lib;
	long page_kb = sysconf(_SC_PAGESIZE) / 1024;
	long rss_warm = 0, rss_end = 0;
	int maps_warm = 0, maps_end = 0, found;

	for (long i = 1; i <= cycles; i++) {
		void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			fprintf(stderr, "dlcycle: cycle %ld: %s\n", i, dlerror());
			return 2;
		}
		kernel_fn *sel = (kernel_fn *)dlsym(h, "amxsel"), *ptr = (kernel_fn *)dlsym(h, "amxsel_ptr");
		if (!sel || !ptr) {
			fprintf(stderr, "dlcycle: %s lacks amxsel/amxsel_ptr\n", lib);
			return 2;
		}
		int a = sel(), b = ptr();
		if (a != want || b != want) {
			fprintf(stderr, "dlcycle: cycle %ld: picks %d/%d, want %d\n", i, a, b, want);
			return 1;
		}
		if (i == 1 && (maps(base, &found), !found)) {
			fprintf(stderr, "dlcycle: %s open but not in /proc/self/maps\n", base);
			return 2;
		}
		if (leak_bytes > 0) {
			void *volatile leak = malloc((size_t)leak_bytes);
			if (leak)
				memset(leak, 1, (size_t)leak_bytes);
		}
		if (dlclose(h) != 0) {
			fprintf(stderr, "dlcycle: cycle %ld: dlclose: %s\n", i, dlerror());
			return 1;
		}
		if ((i == 1 || i == cycles) && (maps(base, &found), found)) {
			fprintf(stderr, "dlcycle: cycle %ld: %s still mapped after dlclose\n", i, base);
			return 1;
		}
		if (i == warm) {
			rss_warm = statm_resident_pages();
			maps_warm = maps(base, &found);
		}
	}
	rss_end = statm_resident_pages();
	maps_end = maps(base, &found);
	printf("cycles=%ld warm=%ld rss_warm_kb=%ld rss_end_kb=%ld growth_kb=%ld maps_warm=%d maps_end=%d\n", cycles,
	       warm, rss_warm * page_kb, rss_end * page_kb, (rss_end - rss_warm) * page_kb, maps_warm, maps_end);
	return 0;
}
