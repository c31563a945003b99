// SPDX-License-Identifier: MIT
/* One path: open it safely (no blocking on FIFOs, no devices), map it (SIGBUS from a file that
 * shrinks meanwhile is caught, and any change is noticed) or read it, hand it to libelf (archives
 * member by member), report. */
#include <ar.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "amxscan.h"

void complain(FILE *err, const char *path, const char *what)
{
	fputs("amxscan: ", err);
	text_str(err, path);
	fprintf(err, ": %s\n", what);
}

/* A skipped file: named on the command line it gets a note, found by -r only with --verbose. */
static int skip(const struct scan_opts *o, int named, FILE *err, const char *path, const char *why)
{
	if (named || o->verbose) {
		char msg[300];
		snprintf(msg, sizeof(msg), "skipped: %s", why);
		complain(err, path, msg);
	}
	return SCAN_SKIPPED;
}

static int scan_one_elf(Elf *elf, size_t size, const char *path, const struct scan_opts *o, int named, FILE *out,
			FILE *err)
{
	char msg[256];
	struct scan_result r;
	int rc = scan_elf(elf, size, &r, msg, sizeof(msg));
	if (rc == SCAN_SKIPPED)
		return skip(o, named, err, path, msg);
	if (rc < 0) {
		complain(err, path, msg);
		return SCAN_UNREADABLE;
	}
	report(out, o->mode, path, &r);
	rc = (int)scan_verdict(&r);
	scan_result_free(&r);
	return rc;
}

/* The worst of two results: unreadable, then needs-shim, may-need-shim, requests-permission, no-amx. */
int worse(int a, int b)
{
	static const int rank[] = {
		[V_NO_AMX] = 1, [V_REQUESTS_PERMISSION] = 2, [V_MAY_NEED_SHIM] = 3, [V_NEEDS_SHIM] = 4
	};
	int ra = a == SCAN_UNREADABLE ? 5 : a < 0 ? 0 : rank[a];
	int rb = b == SCAN_UNREADABLE ? 5 : b < 0 ? 0 : rank[b];
	return ra >= rb ? a : b;
}

/* Every ELF member of an ar archive as "archive(member)"; other members (symbol index, data) skipped. */
static int scan_archive(Elf *ar, const char *path, const struct scan_opts *o, int named, FILE *out, FILE *err)
{
	int rc = SCAN_SKIPPED, members = 0;
	Elf_Cmd cmd = ELF_C_READ_MMAP; /* what elf_memory images need (ELF_C_READ wants a descriptor) */
	Elf *m;
	while ((m = elf_begin(-1, cmd, ar)) != NULL) {
		Elf_Arhdr *h = elf_getarhdr(m);
		if (h && h->ar_name && h->ar_name[0] != '/' && elf_kind(m) == ELF_K_ELF) {
			size_t n = strlen(path) + strlen(h->ar_name) + 3;
			char *name = malloc(n);
			if (!name) {
				elf_end(m);
				complain(err, path, "out of memory");
				return SCAN_UNREADABLE;
			}
			snprintf(name, n, "%s(%s)", path, h->ar_name);
			rc = worse(rc, scan_one_elf(m, h->ar_size, name, o, 0, out, err));
			members++;
			free(name);
		}
		cmd = elf_next(m);
		elf_end(m);
	}
	if (!members)
		return skip(o, named, err, path, "ar archive without ELF members");
	return rc;
}

int scan_image(const char *buf, size_t size, const char *path, const struct scan_opts *o, int named, FILE *out,
	       FILE *err)
{
	if (size < SELFMAG || memcmp(buf, ELFMAG, SELFMAG) != 0) {
		if (size >= SARMAG && memcmp(buf, ARMAG, SARMAG) == 0) {
			Elf *ar = elf_memory((char *)buf, size);
			if (!ar || elf_kind(ar) != ELF_K_AR) {
				complain(err, path, "libelf cannot read this archive");
				elf_end(ar);
				return SCAN_UNREADABLE;
			}
			int rc = scan_archive(ar, path, o, named, out, err);
			elf_end(ar);
			return rc;
		}
		return skip(o, named, err, path, size ? "not an ELF file" : "empty file");
	}
	Elf *elf = elf_memory((char *)buf, size);
	if (!elf) {
		char msg[256];
		snprintf(msg, sizeof(msg), "libelf cannot read it: %s", elf_errmsg(-1));
		complain(err, path, msg);
		return SCAN_UNREADABLE;
	}
	int rc = scan_one_elf(elf, size, path, o, named, out, err);
	elf_end(elf);
	return rc;
}

/* One read buffer per thread, kept between files: a fresh buffer per file would cost a page fault
 * and a cleared page for every 4 KiB read (most of the system time of a whole-system scan). */
static __thread char *rbuf;
static __thread size_t rcap;

void scan_buffers_free(void)
{
	free(rbuf);
	rbuf = NULL;
	rcap = 0;
	walk_buffers_free();
}

/* Reads exactly st_size bytes; a file that ends early or goes on is changing under us. */
static char *slurp(int fd, size_t size, const char **why)
{
	if (size + 1 > rcap) {
		free(rbuf);
		rcap = size + 1 > 1 << 20 ? size + 1 : 1 << 20;
		rbuf = malloc(rcap);
		if (!rbuf) {
			rcap = 0;
			*why = "out of memory";
			return NULL;
		}
	}
	char *buf = rbuf;
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*why = n < 0 ? strerror(errno) : "the file shrank while it was read";
			return NULL;
		}
		got += (size_t)n;
	}
	char extra;
	ssize_t n;
	while ((n = read(fd, &extra, 1)) < 0 && errno == EINTR)
		;
	if (n != 0) {
		*why = n < 0 ? strerror(errno) : "the file grew while it was read";
		return NULL;
	}
	return buf;
}

/* Mapping a file saves copying it (a sixth of the time on large libraries), but a file truncated
 * while mapped raises SIGBUS on access. The handler jumps back to the file's own sigsetjmp, per
 * thread, and the file is an error alone; its partial report is dropped. SIGBUS anywhere else keeps
 * its default action. */
#define NOT_MAPPED (-3)
static __thread sigjmp_buf *bus_env;

static void on_sigbus(int sig)
{
	if (bus_env)
		siglongjmp(*bus_env, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int scan_mapped(int fd, const struct stat *st, const char *path, const struct scan_opts *o, int named, FILE *out,
		       FILE *err)
{
	static int installed;
	size_t size = (size_t)st->st_size;
	if (size == 0)
		return NOT_MAPPED; /* nothing to map, or a /proc file whose size says nothing */
	if (!__atomic_exchange_n(&installed, 1, __ATOMIC_ACQ_REL)) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_sigbus;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGBUS, &sa, NULL);
	}
	/* private and writable: libelf may convert data in place in an elf_memory image */
	char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return NOT_MAPPED;
	long out_pos = ftell(out), err_pos = ftell(err);
	sigjmp_buf env;
	volatile int rc = SCAN_UNREADABLE, jumped = 0;
	if (sigsetjmp(env, 1) == 0) {
		bus_env = &env;
		rc = scan_image(map, size, path, o, named, out, err);
	} else {
		jumped = 1; /* SIGBUS: the file is shorter than when it was mapped */
	}
	bus_env = NULL;
	munmap(map, size);
	struct stat now;
	if (!jumped && fstat(fd, &now) == 0 && now.st_size == st->st_size && now.st_mtim.tv_sec == st->st_mtim.tv_sec &&
	    now.st_mtim.tv_nsec == st->st_mtim.tv_nsec)
		return rc;
	/* the file changed under the scan: what was printed for it is dropped */
	if (out_pos >= 0)
		fseek(out, out_pos, SEEK_SET);
	if (err_pos >= 0)
		fseek(err, err_pos, SEEK_SET);
	complain(err, path, "the file changed while it was read");
	return SCAN_UNREADABLE;
}

/* Files found by -r are read whole only when they start like ELF or an ar archive. */
static int named_or_magic(int fd, int named)
{
	char m[SARMAG];
	if (named)
		return 1;
	ssize_t n = pread(fd, m, sizeof(m), 0);
	return (n >= SELFMAG && memcmp(m, ELFMAG, SELFMAG) == 0) || (n == SARMAG && memcmp(m, ARMAG, SARMAG) == 0);
}

int scan_path(const char *path, const struct scan_opts *o, int named, FILE *out, FILE *err)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		complain(err, path,
			 errno == ELOOP ? "too many levels of symbolic links (a symlink loop?)" : strerror(errno));
		return SCAN_UNREADABLE;
	}
	struct stat st;
	int rc = SCAN_UNREADABLE;
	if (fstat(fd, &st) < 0) {
		complain(err, path, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		complain(err, path, "is a directory (use -r to scan it)");
	} else if (!S_ISREG(st.st_mode)) {
		complain(err, path, "not a regular file");
	} else if (!named_or_magic(fd, named)) {
		rc = skip(o, named, err, path, st.st_size ? "not an ELF file" : "empty file");
	} else if ((rc = scan_mapped(fd, &st, path, o, named, out, err)) == NOT_MAPPED) {
		const char *why = NULL;
		char *buf = slurp(fd, (size_t)st.st_size, &why);
		rc = SCAN_UNREADABLE;
		if (!buf)
			complain(err, path, why);
		else
			rc = scan_image(buf, (size_t)st.st_size, path, o, named, out, err);
	}
	close(fd);
	return rc;
}
