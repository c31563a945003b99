// SPDX-License-Identifier: MIT
/* amxscan: which ELF files use AMX, and do they ask the kernel for permission first.
 * Exit status: 0 none needs the shim, 1 some file needs it, 2 some file could not be read (wins). */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "amxscan.h"

#define MAX_DEPTH 128 /* deeper than any real tree; bounds recursion on bind-mount loops */

struct opts {
	enum out_mode mode;
	int recursive;
	int need_shim, bad;
};

static void account(struct opts *o, int rc)
{
	if (rc == -1)
		o->bad = 1;
	else if (rc == V_NEEDS_SHIM)
		o->need_shim = 1;
}

static void scan_dir(struct opts *o, const char *dir, int depth);

/* Inside a directory: symlinks are not followed (no loops, no double counting of lib.so links)
 * and non-ELF files are skipped without a word. */
static void scan_entry(struct opts *o, const char *path, int depth)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		complain(path, strerror(errno));
		o->bad = 1;
	} else if (S_ISDIR(st.st_mode)) {
		scan_dir(o, path, depth + 1);
	} else if (S_ISREG(st.st_mode)) {
		account(o, scan_path(path, o->mode, 1));
	}
}

static void scan_dir(struct opts *o, const char *dir, int depth)
{
	if (depth > MAX_DEPTH) {
		complain(dir, "directories nested too deep");
		o->bad = 1;
		return;
	}
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		complain(dir, strerror(errno));
		o->bad = 1;
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
			char path[PATH_MAX];
			size_t dl = strlen(dir);
			int sep = dl && dir[dl - 1] != '/';
			if (snprintf(path, sizeof(path), "%s%s%s", dir, sep ? "/" : "", name) >= (int)sizeof(path)) {
				complain(dir, "path too long below this directory");
				o->bad = 1;
			} else {
				scan_entry(o, path, depth);
			}
		}
		free(ents[i]);
	}
	free(ents);
}

static void usage(FILE *f)
{
	fputs("usage: amxscan [--json | --quiet] [-r] PATH...\n"
	      "  --json       one JSON object per file, one per line\n"
	      "  --quiet, -q  only 'PATH: VERDICT' per file\n"
	      "  -r           scan directories recursively (symlinks inside are not followed)\n"
	      "exit: 0 no file needs the shim, 1 some file needs it, 2 a file could not be read\n",
	      f);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "recursive", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { OUT_TABLE, 0, 0, 0 };
	int json = 0, quiet = 0, c;
	while ((c = getopt_long(argc, argv, "qrh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'q': quiet = 1; break;
		case 'r': o.recursive = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc || (json && quiet)) {
		if (json && quiet)
			fputs("amxscan: --json and --quiet exclude each other\n", stderr);
		usage(stderr);
		return 2;
	}
	o.mode = json ? OUT_JSON : quiet ? OUT_QUIET : OUT_TABLE;
	elf_version(EV_CURRENT);
	for (int i = optind; i < argc; i++) {
		struct stat st;
		/* Named paths are followed; a directory needs -r. */
		if (o.recursive && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			scan_dir(&o, argv[i], 0);
		else
			account(&o, scan_path(argv[i], o.mode, 0));
	}
	return o.bad ? 2 : o.need_shim ? 1 : 0;
}
