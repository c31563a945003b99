// SPDX-License-Identifier: MIT
/* amxinfo --nfd: a feature file for the local source of Kubernetes Node Feature Discovery (NFD v0.19,
 * docs/usage/customization-guide.md "Local feature source"): `name=value` lines and `#` comments; nfd-worker
 * turns each line into a node label. CPUID alone (NFD's cpu-cpuid.AMXTILE) says nothing about the kernel,
 * XFD or the palette, so these labels carry amxshim's decision as a process that asks for permission gets
 * it. That request is made in a child (amxinfo's own permission stays as it was) unless --request asks
 * for it here.
 *
 * Every name carries the feature.node.kubernetes.io/ prefix itself: nfd-master accepts that namespace
 * without configuration, and the DisableAutoPrefix feature gate (alpha since v0.16) would leave unprefixed
 * names unprefixed. Names (after the prefix) and values are Kubernetes label names and values: at most 63
 * characters of [A-Za-z0-9._-], alphanumeric at both ends (tests/tools/nfd.sh checks every one). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <amxshim/resolver.h>
#include "nfd.h"
#include "verify.h"

#define NFD_PREFIX "feature.node.kubernetes.io/amxshim."

static const struct {
	unsigned flag;
	const char *label; /* amx-tile: the name after NFD_PREFIX */
} nfd_features[] = {
	{ AMXSHIM_TILE, "amx-tile" },     { AMXSHIM_INT8, "amx-int8" },       { AMXSHIM_BF16, "amx-bf16" },
	{ AMXSHIM_FP16, "amx-fp16" },     { AMXSHIM_COMPLEX, "amx-complex" }, { AMXSHIM_FP8, "amx-fp8" },
	{ AMXSHIM_AVX512, "amx-avx512" }, { AMXSHIM_MOVRS, "amx-movrs" },
};
#define N_NFD (sizeof nfd_features / sizeof nfd_features[0])

/* The decision of a process that asked: AMX-TILE's, and each sub-feature's after that request. */
struct answer {
	int usable, reason;
	int feature_usable[N_NFD];
};

static void decide(struct answer *a)
{
	struct amxshim_state st;
	memset(a, 0, sizeof *a);
	/* Only what the decision needs: no arch_prctl at all on a CPU without AMX or with AMXSHIM_DISABLE. */
	a->usable = amxshim_probe(&st, AMXSHIM_TILE, AMXSHIM_PROBE_REQUEST);
	a->reason = (int)st.reason;
	for (unsigned i = 0; i < N_NFD; i++)
		a->feature_usable[i] = amxshim_probe(&st, nfd_features[i].flag, 0);
}

/* decide() in a child, its answer through a pipe; 0, or -1 when the child gave none (a message printed). */
static int decide_in_child(struct answer *a)
{
	int fd[2];
	if (pipe(fd) != 0) {
		fprintf(stderr, "amxinfo: --nfd: pipe: %s\n", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		decide(a);
		_exit(write(fd[1], a, sizeof *a) == (ssize_t)sizeof *a ? 0 : 1);
	}
	close(fd[1]);
	ssize_t n = pid > 0 ? read(fd[0], a, sizeof *a) : -1;
	int err = errno;
	close(fd[0]);
	int status = 0;
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (n == (ssize_t)sizeof *a)
		return 0;
	if (pid < 0)
		fprintf(stderr, "amxinfo: --nfd: fork: %s\n", strerror(err));
	else if (WIFSIGNALED(status)) /* e.g. a seccomp policy that kills on arch_prctl */
		fprintf(stderr, "amxinfo: --nfd: the child deciding with a permission request was killed by signal %d\n",
			WTERMSIG(status));
	else
		fprintf(stderr, "amxinfo: --nfd: the child deciding with a permission request gave no answer\n");
	return -1;
}

static void label(FILE *out, const char *name, const char *suffix, const char *value)
{
	fprintf(out, NFD_PREFIX "%s%s=%s\n", name, suffix, value);
}

/* amx-verified: --verify ran, AMX-TILE runs and no sub-feature the decision calls usable faults. */
static int all_verified(int verify)
{
	const char *tile = verify_result(AMXSHIM_TILE);
	return verify && tile && strcmp(tile, "runs") == 0 && !verify_faulted();
}

int nfd_print(FILE *out, int request, int verify)
{
	struct answer a;
	if (request)
		decide(&a);
	else if (decide_in_child(&a) != 0)
		return 2;
	fprintf(out, "# amxshim %s: Intel AMX as a process that requests permission finds it (amxinfo --nfd%s%s)\n",
		AMXSHIM_VERSION_STRING, request ? " --request" : "", verify ? " --verify" : "");
	label(out, "version", "", AMXSHIM_VERSION_STRING);
	label(out, "amx-usable", "", a.usable ? "true" : "false");
	label(out, "amx-reason", "", amxshim_reason_name(a.reason));
	label(out, "amx-verified", "", all_verified(verify) ? "true" : "false");
	for (unsigned i = 0; i < N_NFD; i++) {
		const char *result = verify ? verify_result(nfd_features[i].flag) : "not-run";
		label(out, nfd_features[i].label, "", a.feature_usable[i] ? "true" : "false");
		/* FP8, AMX-AVX512 and MOVRS have no instruction in --verify: "not-run" says so. */
		label(out, nfd_features[i].label, ".verify", result ? result : "not-run");
	}
	return 0;
}
