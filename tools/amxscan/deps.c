// SPDX-License-Identifier: MIT
/* Whole programs: the objects a program loads, found the way ld.so finds them (DT_RPATH when there is
 * no DT_RUNPATH, LD_LIBRARY_PATH, DT_RUNPATH, /etc/ld.so.cache, the default directories; $ORIGIN),
 * and the objects a running process has mapped (/proc/PID/maps). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "amxscan.h"

int strlist_add(struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	if (!(l->v[l->n] = strdup(s)))
		return -1;
	l->n++;
	return 1;
}

void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* /etc/ld.so.cache, format "glibc-ld.so.cache1.1" (glibc >= 2.32 writes only this one): a 48-byte
 * header, nlibs entries of 24 bytes (flags, key, value, osversion, hwcap), string offsets from the
 * start of the file. Only x86-64 libc6 entries (flags 0x0303) are used. */
static char *cache;
static size_t cache_len;

static void cache_load(void)
{
	static int loaded;
	if (loaded)
		return;
	loaded = 1;
	int fd = open("/etc/ld.so.cache", O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && st.st_size > 48 && st.st_size < (1 << 28) && (cache = malloc((size_t)st.st_size))) {
		if (pread(fd, cache, (size_t)st.st_size, 0) == st.st_size &&
		    memcmp(cache, "glibc-ld.so.cache1.1", 20) == 0) {
			cache_len = (size_t)st.st_size;
		} else {
			free(cache);
			cache = NULL;
		}
	}
	close(fd);
}

static const char *cache_find(const char *name)
{
	cache_load();
	if (!cache)
		return NULL;
	uint32_t nlibs;
	memcpy(&nlibs, cache + 20, 4);
	if (nlibs > (cache_len - 48) / 24)
		return NULL;
	for (uint32_t i = 0; i < nlibs; i++) {
		const char *e = cache + 48 + (size_t)i * 24;
		int32_t flags;
		uint32_t key, value;
		memcpy(&flags, e, 4);
		memcpy(&key, e + 4, 4);
		memcpy(&value, e + 8, 4);
		if ((flags & 0xffff) != 0x0303 || key >= cache_len || value >= cache_len)
			continue;
		if (!memchr(cache + key, 0, cache_len - key) || !memchr(cache + value, 0, cache_len - value))
			continue;
		if (strcmp(cache + key, name) == 0)
			return cache + value;
	}
	return NULL;
}

/* An x86-64 (or x32) ELF object that ld.so could load for this program. */
static int loadable(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	unsigned char h[20];
	int ok = 0;
	if (fd < 0)
		return 0;
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && pread(fd, h, sizeof(h), 0) == (ssize_t)sizeof(h))
		ok = memcmp(h, ELFMAG, SELFMAG) == 0 && h[EI_CLASS] == ELFCLASS64 && h[18] == EM_X86_64;
	close(fd);
	return ok;
}

/* Tries each directory of a colon-separated list, with $ORIGIN replaced. */
static int search(const char *list, const char *origin, const char *name, char *out)
{
	while (list && *list) {
		const char *end = strchr(list, ':');
		size_t n = end ? (size_t)(end - list) : strlen(list);
		char dir[PATH_MAX];
		size_t o = 0;
		for (size_t i = 0; i < n && o < sizeof(dir) - 1;) {
			if (strncmp(list + i, "$ORIGIN", 7) == 0 || strncmp(list + i, "${ORIGIN}", 9) == 0) {
				size_t skip = list[i + 1] == '{' ? 9 : 7;
				o += (size_t)snprintf(dir + o, sizeof(dir) - o, "%s", origin);
				if (o >= sizeof(dir))
					o = sizeof(dir) - 1;
				i += skip;
			} else {
				dir[o++] = list[i++];
			}
		}
		dir[o] = '\0';
		if (snprintf(out, PATH_MAX, "%s/%s", o ? dir : ".", name) < PATH_MAX && loadable(out))
			return 1;
		list = end ? end + 1 : NULL;
	}
	return 0;
}

/* The dynamic section's DT_NEEDED names and the search paths of one object. */
struct dyninfo {
	struct strlist needed;
	char *rpath, *runpath;
};

static int read_dynamic(const char *path, struct dyninfo *di)
{
	memset(di, 0, sizeof(*di));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* ELF_C_READ: libelf reads with pread, no mapping that a shrinking file could turn into SIGBUS */
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while (elf && (scn = elf_nextscn(elf, scn)) != NULL) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		for (size_t i = 0; d; i++) {
			GElf_Dyn dyn;
			if (!gelf_getdyn(d, (int)i, &dyn) || dyn.d_tag == DT_NULL)
				break;
			if (dyn.d_tag != DT_NEEDED && dyn.d_tag != DT_RPATH && dyn.d_tag != DT_RUNPATH)
				continue;
			const char *s = elf_strptr(elf, sh.sh_link, dyn.d_un.d_val);
			if (!s)
				continue;
			if (dyn.d_tag == DT_NEEDED)
				strlist_add(&di->needed, s);
			else if (dyn.d_tag == DT_RPATH && !di->rpath)
				di->rpath = strdup(s);
			else if (dyn.d_tag == DT_RUNPATH && !di->runpath)
				di->runpath = strdup(s);
		}
		break;
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return 0;
}

static void dyninfo_free(struct dyninfo *di)
{
	strlist_free(&di->needed);
	free(di->rpath);
	free(di->runpath);
}

/* Breadth first, as ld.so loads: each object once (by its real path). The program's DT_RPATH also
 * applies to its libraries that have no DT_RUNPATH (the loader chain rule, simplified to the program). */
int deps_resolve(const char *prog, struct strlist *out, struct strlist *missing)
{
	char real[PATH_MAX];
	if (!realpath(prog, real))
		return -1;
	if (strlist_add(out, real) < 0)
		return -1;
	const char *ldpath = getenv("LD_LIBRARY_PATH");
	char *prog_rpath = NULL;
	static const char defaults[] =
		"/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib64:/usr/lib64:/lib:/usr/lib";
	size_t first = out->n - 1;
	for (size_t i = first; i < out->n; i++) {
		struct dyninfo di;
		if (read_dynamic(out->v[i], &di) < 0)
			continue;
		char origin[PATH_MAX];
		snprintf(origin, sizeof(origin), "%s", out->v[i]);
		char *slash = strrchr(origin, '/');
		if (slash)
			*(slash == origin ? slash + 1 : slash) = '\0';
		if (i == first && di.rpath)
			prog_rpath = strdup(di.rpath);
		for (size_t k = 0; k < di.needed.n; k++) {
			const char *name = di.needed.v[k];
			char found[PATH_MAX];
			int ok = 0;
			if (strchr(name, '/')) {
				ok = snprintf(found, sizeof(found), "%s", name) < (int)sizeof(found) && loadable(found);
			} else {
				const char *c;
				ok = (!di.runpath && di.rpath && search(di.rpath, origin, name, found)) ||
				     (!di.runpath && prog_rpath && i != first &&
				      search(prog_rpath, origin, name, found)) ||
				     (ldpath && search(ldpath, origin, name, found)) ||
				     (di.runpath && search(di.runpath, origin, name, found));
				if (!ok && (c = cache_find(name)) && strlen(c) < sizeof(found) && loadable(c)) {
					strcpy(found, c);
					ok = 1;
				}
				if (!ok)
					ok = search(defaults, origin, name, found);
			}
			char r2[PATH_MAX];
			if (ok && realpath(found, r2))
				strlist_add(out, r2);
			else if (!ok)
				strlist_add(missing, name);
		}
		dyninfo_free(&di);
	}
	free(prog_rpath);
	return 0;
}

/* Every file-backed mapping of the process whose file is ELF, in map order, each once. */
int pid_objects(const char *pid, struct strlist *out, char *err, size_t errlen)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char line[PATH_MAX + 128];
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, '/');
		if (!p)
			continue;
		p[strcspn(p, "\n")] = '\0';
		size_t n = strlen(p);
		if (n > 10 && strcmp(p + n - 10, " (deleted)") == 0)
			continue; /* replaced on disk since: the file there now is not what runs */
		if (loadable(p) && strlist_add(out, p) < 0) {
			fclose(f);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	fclose(f);
	if (!out->n) {
		snprintf(err, errlen, "no ELF object mapped (process gone, or no permission to read its maps)");
		return -1;
	}
	return 0;
}
