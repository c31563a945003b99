// SPDX-License-Identifier: MIT
/* One path: open it safely (no blocking on FIFOs, no devices), hand it to libelf, report. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "amxscan.h"

void complain(const char *path, const char *what)
{
	fputs("amxscan: ", stderr);
	text_str(stderr, path);
	fprintf(stderr, ": %s\n", what);
}

int scan_path(const char *path, enum out_mode mode, int quiet_non_elf)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		complain(path, errno == ELOOP ? "too many levels of symbolic links (a symlink loop?)" : strerror(errno));
		return -1;
	}
	struct stat st;
	int rc = -1;
	unsigned char magic[4];
	if (fstat(fd, &st) < 0) {
		complain(path, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		complain(path, "is a directory (use -r to scan it)");
	} else if (!S_ISREG(st.st_mode)) {
		complain(path, "not a regular file");
	} else if (st.st_size == 0) {
		rc = quiet_non_elf ? -2 : -1;
		if (rc == -1)
			complain(path, "empty file");
	} else if (pread(fd, magic, 4, 0) != 4 || memcmp(magic, ELFMAG, SELFMAG) != 0) {
		rc = quiet_non_elf ? -2 : -1;
		if (rc == -1)
			complain(path, "not an ELF file");
	} else {
		Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		char err[256];
		struct scan_result r;
		if (!elf) {
			snprintf(err, sizeof(err), "libelf cannot read it: %s", elf_errmsg(-1));
			complain(path, err);
		} else if (scan_elf(elf, (size_t)st.st_size, &r, err, sizeof(err)) < 0) {
			complain(path, err);
		} else {
			report(stdout, mode, path, &r);
			rc = (int)scan_verdict(&r);
			scan_result_free(&r);
		}
		elf_end(elf);
	}
	close(fd);
	return rc;
}
