// SPDX-License-Identifier: MIT
/* amxscan: which ELF files use AMX, and do they ask the kernel for permission first.
 * Exit status: 0 none needs the shim, 1 some file needs (or may need) it, 2 some file could not be
 * read (wins). Files are listed first (trees walked in order), then scanned by -j workers; each
 * file's output is buffered and printed in list order, so the output does not depend on -j. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <amxshim/resolver.h>

#include "amxscan.h"
#include "ifunc.h"

#define MAX_DEPTH 128 /* deeper than any real tree; bounds recursion on bind-mount loops */
#define MAX_JOBS 256

/* One item of work: a file to scan, or an error found while listing (printed in its place). */
struct item {
	char *path;
	char *error; /* listing error: printed instead of scanning */
	int named;
	int special; /* found by -r, no regular file (FIFO, socket, device): skipped, not opened */
	uint64_t size;
	char *out, *err; /* the buffered report and messages */
	size_t outlen, errlen;
	int rc, done;
};

/* A whole program (--deps) or process (--pid): its objects and its verdict, the worst of theirs. */
struct group {
	char *name;
	size_t *items;
	size_t n;
	struct strlist missing;
};

struct run {
	struct scan_opts so;
	struct group *groups;
	size_t ngroups;
	struct strlist seen; /* objects already listed by a group: each is scanned and listed once */
	struct item *v;
	size_t n, cap;
	size_t next; /* next item a worker takes */
	size_t printed;
	uint64_t bytes_done, bytes_total;
	int progress, recursive;
	unsigned skipped_code, skipped_special; /* -r: files that are no x86-64 code, files that are no files */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static int add_item(struct run *R, const char *path, const char *error, int named, uint64_t size)
{
	if (R->n == R->cap) {
		size_t cap = R->cap ? R->cap * 2 : 256;
		struct item *v = realloc(R->v, cap * sizeof(*v));
		if (!v)
			return -1;
		R->v = v;
		R->cap = cap;
	}
	struct item *it = &R->v[R->n];
	memset(it, 0, sizeof(*it));
	it->path = strdup(path);
	it->error = error ? strdup(error) : NULL;
	it->named = named;
	it->size = size;
	if (!it->path || (error && !it->error))
		return -1;
	R->n++;
	R->bytes_total += size;
	return 0;
}

static int list_dir(struct run *R, const char *dir, int depth);

/* One group from a list of object paths; an object another group listed is shared, not repeated. */
static int add_group(struct run *R, const char *name, const struct strlist *objs, struct strlist *missing)
{
	struct group *g = realloc(R->groups, (R->ngroups + 1) * sizeof(*g));
	if (!g)
		return -1;
	R->groups = g;
	g = &R->groups[R->ngroups++];
	memset(g, 0, sizeof(*g));
	g->name = strdup(name);
	g->items = malloc((objs->n ? objs->n : 1) * sizeof(*g->items));
	if (!g->name || !g->items)
		return -1;
	if (missing)
		g->missing = *missing;
	for (size_t i = 0; i < objs->n; i++) {
		int added = strlist_add(&R->seen, objs->v[i]);
		if (added < 0)
			return -1;
		size_t idx = R->n;
		if (added) {
			struct stat st;
			if (add_item(R, objs->v[i], NULL, 1, stat(objs->v[i], &st) == 0 ? (uint64_t)st.st_size : 0) < 0)
				return -1;
		} else {
			for (idx = 0; idx < R->n && strcmp(R->v[idx].path, objs->v[i]) != 0; idx++)
				;
		}
		g->items[g->n++] = idx;
	}
	return 0;
}

/* A program with an object ld.so would not find cannot be judged whole: unreadable, exit 2. */
static int group_verdict(const struct group *g, const int *rcs, int *found)
{
	int worst = SCAN_SKIPPED;
	for (size_t i = 0; i < g->n; i++)
		worst = worse(worst, rcs[g->items[i]]);
	*found = worst;
	return g->missing.n ? SCAN_UNREADABLE : worst;
}

static const char *group_word(int v)
{
	return v == SCAN_UNREADABLE ? "unreadable" : v < 0 ? "no-amx" : verdict_name(v);
}

static void group_json(const struct run *R, const struct group *g, int v, int found)
{
	fputs("{\"program\":", stdout);
	json_str(stdout, g->name);
	printf(",\"verdict\":\"%s\",\"found_verdict\":\"%s\",\"objects\":[", group_word(v), group_word(found));
	for (size_t i = 0; i < g->n; i++) {
		if (i)
			putchar(',');
		json_str(stdout, R->v[g->items[i]].path);
	}
	fputs("],\"missing\":[", stdout);
	for (size_t i = 0; i < g->missing.n; i++) {
		if (i)
			putchar(',');
		json_str(stdout, g->missing.v[i]);
	}
	fputs("]}\n", stdout);
}

static void group_text(const struct group *g, int v, int found)
{
	text_str(stdout, g->name);
	if (!g->missing.n) {
		printf(": %s (program: the worst of %zu objects)\n", group_word(v), g->n);
		return;
	}
	printf(": %s (program: not found:", group_word(v));
	for (size_t i = 0; i < g->missing.n; i++) {
		putchar(' ');
		text_str(stdout, g->missing.v[i]);
	}
	printf("; the worst of the %zu found: %s)\n", g->n, group_word(found));
	for (size_t i = 0; i < g->missing.n; i++) {
		char msg[300];
		snprintf(msg, sizeof(msg), "needs %s, which ld.so would not find", g->missing.v[i]);
		complain(stderr, g->name, msg);
	}
}

/* Prints each program's verdict; returns the worst of them (missing objects: SCAN_UNREADABLE). */
static int report_groups(struct run *R, const int *rcs)
{
	int result = SCAN_SKIPPED;
	for (size_t k = 0; k < R->ngroups; k++) {
		struct group *g = &R->groups[k];
		int found, v = group_verdict(g, rcs, &found);
		if (R->so.mode == OUT_JSON)
			group_json(R, g, v, found);
		else
			group_text(g, v, found);
		result = worse(result, v);
		free(g->name);
		free(g->items);
		strlist_free(&g->missing);
	}
	free(R->groups);
	strlist_free(&R->seen);
	return result;
}

/* Inside a directory: symlinks are not followed (no loops, no double counting of lib.so links). */
static int list_entry(struct run *R, const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return add_item(R, path, strerror(errno), 0, 0);
	if (S_ISDIR(st.st_mode))
		return list_dir(R, path, depth + 1);
	if (S_ISREG(st.st_mode))
		return add_item(R, path, NULL, 0, (uint64_t)st.st_size);
	if (S_ISLNK(st.st_mode))
		return 0; /* not followed, and not a file of its own */
	if (add_item(R, path, NULL, 0, 0) < 0)
		return -1;
	R->v[R->n - 1].special = 1;
	return 0;
}

static int list_dir(struct run *R, const char *dir, int depth)
{
	if (depth > MAX_DEPTH)
		return add_item(R, dir, "directories nested too deep", 0, 0);
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return add_item(R, dir, strerror(errno), 0, 0);
	int rc = 0;
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		if (rc == 0 && strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
			char path[PATH_MAX];
			size_t dl = strlen(dir);
			int sep = dl && dir[dl - 1] != '/';
			if (snprintf(path, sizeof(path), "%s%s%s", dir, sep ? "/" : "", name) >= (int)sizeof(path))
				rc = add_item(R, dir, "path too long below this directory", 0, 0);
			else
				rc = list_entry(R, path, depth);
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

static void scan_item(struct run *R, struct item *it)
{
	FILE *out = open_memstream(&it->out, &it->outlen);
	FILE *err = open_memstream(&it->err, &it->errlen);
	if (!out || !err) {
		if (out)
			fclose(out);
		if (err)
			fclose(err);
		it->rc = SCAN_UNREADABLE;
		return;
	}
	if (it->error) {
		complain(err, it->path, it->error);
		it->rc = SCAN_UNREADABLE;
	} else if (it->special) {
		if (R->so.verbose)
			complain(err, it->path, "skipped: not a regular file");
		it->rc = SCAN_SKIPPED;
	} else {
		it->rc = scan_path(it->path, &R->so, it->named, out, err);
	}
	fclose(out);
	fclose(err);
}

static void *worker(void *arg)
{
	struct run *R = arg;
	pthread_mutex_lock(&R->lock);
	while (R->next < R->n) {
		struct item *it = &R->v[R->next++];
		pthread_mutex_unlock(&R->lock);
		scan_item(R, it);
		pthread_mutex_lock(&R->lock);
		it->done = 1;
		R->bytes_done += it->size;
		pthread_cond_broadcast(&R->cond);
	}
	pthread_mutex_unlock(&R->lock);
	scan_buffers_free();
	return NULL;
}

/* One line on a terminal's stderr, rewritten in place: files and MB done, the file being printed. */
static void show_progress(struct run *R, const char *path)
{
	static struct timespec last;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - last.tv_sec + (now.tv_nsec - last.tv_nsec) / 1e9 < 0.1)
		return;
	last = now;
	fprintf(stderr, "\r\033[K%zu/%zu files, %llu/%llu MB ", R->printed, R->n,
		(unsigned long long)(R->bytes_done >> 20), (unsigned long long)(R->bytes_total >> 20));
	size_t l = strlen(path);
	text_str(stderr, l > 60 ? path + l - 60 : path);
	fflush(stderr);
}

static void usage(FILE *f)
{
	fputs("usage: amxscan [--json | --quiet] [-r | --deps] [--pid PID] [-j N] [--verbose] PATH...\n"
	      "  --json       one JSON object per file, one per line\n"
	      "  --quiet, -q  only 'PATH: VERDICT' per file\n"
	      "  -r           scan directories recursively (symlinks inside are not followed)\n"
	      "  -j N         scan N files at a time (default: the number of CPUs); output order is kept\n"
	      "  --deps       each PATH is a program: scan it and every object ld.so would load for it\n"
	      "  --pid PID    scan the ELF objects process PID has mapped (a program verdict, too)\n"
	      "  --verbose    name every file -r skipped (not x86-64 code, not a regular file)\n"
	      "  --check-ifunc  check every IFUNC resolver of each FILE for what crashes before relocation\n"
	      "               (PLT/GOT calls, TLS, the stack protector); exit 0 all safe, 1 some unsafe\n"
	      "  --version    print the version\n"
	      "exit: 0 no file needs the shim, 1 some file needs or may need it, 2 a file could not be read\n",
	      f);
}

/* What the command line asked for besides R->so: the paths start at argv[optind]. */
struct args {
	int json, quiet, recursive, deps, check_ifunc;
	long jobs;
	struct strlist pids;
};

/* Returns -1 to go on, else the exit status (--version, --help, a usage error). */
static int parse_args(int argc, char **argv, struct run *R, struct args *a)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },      { "quiet", no_argument, NULL, 'q' },
		{ "recursive", no_argument, NULL, 'r' }, { "jobs", required_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },   { "version", no_argument, NULL, 'V' },
		{ "deps", no_argument, NULL, 'D' },      { "pid", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },      { "check-ifunc", no_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;
	/* one thread per CPU, but no more than the thread table holds (machines with 512 CPUs exist) */
	a->jobs = sysconf(_SC_NPROCESSORS_ONLN);
	a->jobs = a->jobs < 1 ? 1 : a->jobs > MAX_JOBS ? MAX_JOBS : a->jobs;
	while ((c = getopt_long(argc, argv, "qrhvj:", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': a->json = 1; break;
		case 'q': a->quiet = 1; break;
		case 'r': a->recursive = 1; break;
		case 'v': R->so.verbose = 1; break;
		case 'j':
			a->jobs = strtol(optarg, &end, 10);
			if (*end || a->jobs < 1 || a->jobs > MAX_JOBS) {
				fprintf(stderr, "amxscan: -j wants a number from 1 to %d\n", MAX_JOBS);
				return 2;
			}
			break;
		case 'D': a->deps = 1; break;
		case 'I': a->check_ifunc = 1; break;
		case 'P':
			if (!*optarg || strspn(optarg, "0123456789") != strlen(optarg)) {
				fprintf(stderr, "amxscan: --pid wants a process id\n");
				return 2;
			}
			strlist_add(&a->pids, optarg);
			break;
		case 'V': printf("amxscan (amxshim) %s\n", AMXSHIM_VERSION_STRING); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if ((optind >= argc && !a->pids.n) || (a->json && a->quiet) || (a->deps && a->recursive)) {
		if (a->deps && a->recursive)
			fputs("amxscan: --deps and -r exclude each other\n", stderr);
		if (a->json && a->quiet)
			fputs("amxscan: --json and --quiet exclude each other\n", stderr);
		usage(stderr);
		return 2;
	}
	if (a->check_ifunc && (a->quiet || a->recursive || a->deps || a->pids.n || optind >= argc)) {
		fputs("amxscan: --check-ifunc takes files only (and --json)\n", stderr);
		return 2;
	}
	R->so.mode = a->json ? OUT_JSON : a->quiet ? OUT_QUIET : OUT_TABLE;
	R->recursive = a->recursive;
	return -1;
}

/* The work list: processes' objects, programs' objects, files, trees. Returns -1 when it failed (said). */
static int list_inputs(struct run *R, struct args *a, int argc, char **argv)
{
	for (size_t i = 0; i < a->pids.n; i++) {
		struct strlist objs = { 0 };
		char err[300], name[64];
		snprintf(name, sizeof(name), "pid %s", a->pids.v[i]);
		if (pid_objects(a->pids.v[i], &objs, err, sizeof(err)) < 0) {
			fprintf(stderr, "amxscan: %s\n", err);
			strlist_free(&objs);
			return -1;
		}
		int rc = add_group(R, name, &objs, NULL);
		strlist_free(&objs);
		if (rc < 0)
			goto oom;
	}
	for (int i = optind; i < argc; i++) {
		struct stat st;
		int rc;
		struct strlist objs = { 0 }, missing = { 0 };
		if (a->deps && deps_resolve(argv[i], &objs, &missing) == 0) {
			rc = add_group(R, argv[i], &objs, &missing);
			strlist_free(&objs);
		} else if (a->recursive && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc = list_dir(R, argv[i], 0);
		else
			rc = add_item(R, argv[i], NULL, 1, stat(argv[i], &st) == 0 ? (uint64_t)st.st_size : 0);
		if (rc < 0)
			goto oom;
	}
	return 0;
oom:
	fputs("amxscan: out of memory\n", stderr);
	return -1;
}

/* Waits for item i, showing progress on a terminal; called and returns with R->lock held. */
static void wait_item(struct run *R, struct item *it)
{
	while (!it->done) {
		if (R->progress)
			show_progress(R, R->v[R->printed < R->n ? R->printed : 0].path);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&R->cond, &R->lock, &ts);
	}
}

/* Prints the items in list order as the workers finish them; returns the worst result. */
static int print_items(struct run *R, int *rcs)
{
	int result = SCAN_SKIPPED;
	pthread_mutex_lock(&R->lock);
	for (size_t i = 0; i < R->n; i++) {
		struct item *it = &R->v[i];
		wait_item(R, it);
		pthread_mutex_unlock(&R->lock);
		if (R->progress && (it->outlen || it->errlen))
			fputs("\r\033[K", stderr);
		fwrite(it->out, 1, it->outlen, stdout);
		fflush(stdout);
		fwrite(it->err, 1, it->errlen, stderr);
		if (it->rc == SCAN_SKIPPED && !it->named) {
			R->skipped_special += it->special;
			R->skipped_code += !it->special;
		}
		free(it->out);
		free(it->err);
		free(it->path);
		free(it->error);
		rcs[i] = it->rc;
		result = worse(result, it->rc);
		pthread_mutex_lock(&R->lock);
		R->printed = i + 1;
	}
	pthread_mutex_unlock(&R->lock);
	return result;
}

/* Scans every item with up to `jobs` threads; the worst result. */
static int run_scans(struct run *R, long jobs, int *rcs)
{
	pthread_mutex_init(&R->lock, NULL);
	pthread_cond_init(&R->cond, NULL);
	pthread_t tid[MAX_JOBS];
	long started = 0;
	for (; started < jobs && started < MAX_JOBS && (size_t)started < R->n; started++)
		if (pthread_create(&tid[started], NULL, worker, R) != 0)
			break;
	if (started == 0)
		worker(R); /* no thread could start: scan here */
	int result = print_items(R, rcs);
	for (long t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	if (R->progress)
		fputs("\r\033[K", stderr);
	return result;
}

/* -r: what was skipped, last on stdout in every mode (a table, --quiet, a JSON object of its own). */
static void print_summary(const struct run *R)
{
	unsigned code = R->skipped_code, special = R->skipped_special;
	if (!R->recursive || !(code + special))
		return;
	if (R->so.mode == OUT_JSON) {
		printf("{\"skipped\":{\"total\":%u,\"not_x86_64_code\":%u,\"not_regular_file\":%u}}\n", code + special,
		       code, special);
		return;
	}
	printf("amxscan: %u file%s skipped: %u not x86-64 code, %u not regular files%s\n", code + special,
	       code + special == 1 ? "" : "s", code, special, R->so.verbose ? "" : " (--verbose names them)");
}

int main(int argc, char **argv)
{
	struct run R;
	struct args a;
	memset(&R, 0, sizeof(R));
	memset(&a, 0, sizeof(a));
	int rc = parse_args(argc, argv, &R, &a);
	if (rc >= 0)
		return rc;
	if (a.check_ifunc)
		return check_ifunc_paths(argv + optind, argc - optind, a.json);
	elf_version(EV_CURRENT);
	rc = list_inputs(&R, &a, argc, argv);
	strlist_free(&a.pids);
	if (rc < 0)
		return 2;
	R.progress = (a.recursive || a.deps) && R.so.mode == OUT_TABLE && isatty(2);
	int *rcs = calloc(R.n ? R.n : 1, sizeof(*rcs));
	if (!rcs) {
		fputs("amxscan: out of memory\n", stderr);
		return 2;
	}
	int result = run_scans(&R, a.jobs, rcs);
	result = worse(result, report_groups(&R, rcs));
	free(rcs);
	print_summary(&R);
	free(R.v);
	if (result == SCAN_UNREADABLE)
		return 2;
	return result == V_NEEDS_SHIM || result == V_MAY_NEED_SHIM ? 1 : 0;
}
