// SPDX-License-Identifier: MIT
/* The fake platform (see fake_platform.h). Freestanding on purpose: no libc call anywhere in this file,
 * because the environment-driven path runs inside IFUNC resolvers, before libc is initialised. */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include "fake_platform.h"

struct cpuid_entry {
	uint32_t leaf, subleaf;
	struct amxshim_cpuid r;
};

static struct {
	int scripted; /* fake_reset() was called, or the environment was read */
	int env_loaded;
	int env_status;
	unsigned n_cpuid;
	struct cpuid_entry cpuid[FAKE_MAX_CPUID];
	int has_xcr0;
	uint64_t xcr0;
	struct fake_kernel kernel;
	int req_granted; /* a REQ returned 0: later GET_PERM answer perm_after_err */
	unsigned n_calls;
	struct fake_call calls[FAKE_MAX_CALLS];
	unsigned cpuid_calls, cpuid_above_max, xgetbv_calls, xgetbv_faults, glibc_calls;
	int no_glibc; /* glibc keeps no leaves (< 2.33, or a static program without the function) */
} fk;

/* ---- the CPUID table ---- */

static struct cpuid_entry *find(uint32_t leaf, uint32_t subleaf)
{
	for (unsigned i = 0; i < fk.n_cpuid; i++)
		if (fk.cpuid[i].leaf == leaf && fk.cpuid[i].subleaf == subleaf)
			return &fk.cpuid[i];
	return 0;
}

static struct cpuid_entry *find_or_add(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_entry *e = find(leaf, subleaf);
	if (e)
		return e;
	if (fk.n_cpuid == FAKE_MAX_CPUID)
		return 0;
	e = &fk.cpuid[fk.n_cpuid++];
	amx_memzero(e, sizeof *e);
	e->leaf = leaf;
	e->subleaf = subleaf;
	return e;
}

static void read_entry(uint32_t leaf, uint32_t subleaf, struct amxshim_cpuid *out)
{
	const struct cpuid_entry *e = find(leaf, subleaf);
	out->eax = e ? e->r.eax : 0;
	out->ebx = e ? e->r.ebx : 0;
	out->ecx = e ? e->r.ecx : 0;
	out->edx = e ? e->r.edx : 0;
}

static int vendor_is_intel(void)
{
	const struct cpuid_entry *e = find(0, 0);
	/* "GenuineIntel" in EBX, EDX, ECX */
	return e && e->r.ebx == 0x756e6547u && e->r.edx == 0x49656e69u && e->r.ecx == 0x6c65746eu;
}

/* ---- the kernel model ---- */

static void kernel_preset(struct fake_kernel *k, enum fake_kernel_outcome outcome)
{
	amx_memzero(k, sizeof *k);
	k->supp = FAKE_SUPP_AMX;
	k->perm = FAKE_SUPP_AMX & ~(1ull << AMX_XTILEDATA);
	k->req_effect = FAKE_REQ_OR;
	switch (outcome) {
	case FAKE_KERNEL_GRANTED:
	case FAKE_KERNEL_COUNT: break;
	case FAKE_KERNEL_ALREADY: k->perm = FAKE_SUPP_AMX; break;
	case FAKE_KERNEL_EINVAL:
		k->supp = k->perm = 0;
		k->supp_err = k->perm_err = k->perm_after_err = k->req_err = EINVAL;
		break;
	case FAKE_KERNEL_EOPNOTSUPP:
		k->supp = k->perm = FAKE_SUPP_NO_AMX;
		k->req_err = EOPNOTSUPP;
		break;
	case FAKE_KERNEL_ENOSPC: k->req_err = ENOSPC; break;
	case FAKE_KERNEL_EPERM: k->req_err = EPERM; break;
	case FAKE_KERNEL_ENOSYS: k->req_err = ENOSYS; break;
	case FAKE_KERNEL_OVERWRITE: k->req_effect = FAKE_REQ_OVERWRITE; break;
	}
}

static const char *const kernel_names[FAKE_KERNEL_COUNT] = {
	[FAKE_KERNEL_GRANTED] = "granted",       [FAKE_KERNEL_ALREADY] = "already",     [FAKE_KERNEL_EINVAL] = "einval",
	[FAKE_KERNEL_EOPNOTSUPP] = "eopnotsupp", [FAKE_KERNEL_ENOSPC] = "enospc",       [FAKE_KERNEL_EPERM] = "eperm",
	[FAKE_KERNEL_ENOSYS] = "enosys",         [FAKE_KERNEL_OVERWRITE] = "overwrite",
};

const char *fake_kernel_name(enum fake_kernel_outcome outcome)
{
	return (unsigned)outcome < FAKE_KERNEL_COUNT ? kernel_names[outcome] : "unknown";
}

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

int fake_kernel_from_name(const char *name)
{
	for (int i = 0; i < FAKE_KERNEL_COUNT; i++)
		if (str_eq(name, kernel_names[i]))
			return i;
	return -1;
}

/* ---- the fixture parser ---- */

struct cursor {
	const char *p, *end;
};

static void skip_blanks(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r'))
		c->p++;
}

static int take(struct cursor *c, const char *word)
{
	const char *p = c->p;
	while (*word) {
		if (p == c->end || *p != *word)
			return 0;
		p++;
		word++;
	}
	c->p = p;
	return 1;
}

static int hexdigit(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* 0x-prefixed hex or decimal; at most 64 bits. */
static int number(struct cursor *c, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;
	skip_blanks(c);
	if (take(c, "0x") || take(c, "0X")) {
		int d;
		while (c->p < c->end && (d = hexdigit(*c->p)) >= 0) {
			if (++digits > 16)
				return 0;
			v = v << 4 | (unsigned)d;
			c->p++;
		}
	} else {
		while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
			if (++digits > 19)
				return 0;
			v = v * 10 + (unsigned)(*c->p - '0');
			c->p++;
		}
	}
	*out = v;
	return digits > 0;
}

static int number32(struct cursor *c, uint32_t *out)
{
	uint64_t v;
	if (!number(c, &v) || v > 0xffffffffu)
		return 0;
	*out = (uint32_t)v;
	return 1;
}

static int reg(struct cursor *c, const char *name, uint32_t *out)
{
	skip_blanks(c);
	return take(c, name) && number32(c, out);
}

static int at_line_end(struct cursor *c)
{
	skip_blanks(c);
	return c->p == c->end || *c->p == '\n' || *c->p == '#';
}

/* One line (without its newline). 1 cpuid line, 0 blank/comment/xcr0, -1 error. */
static int parse_line(struct cursor *c)
{
	skip_blanks(c);
	if (at_line_end(c))
		return 0;
	if (take(c, "xcr0:")) {
		uint64_t v;
		if (!number(c, &v) || !at_line_end(c))
			return -1;
		fk.xcr0 = v;
		fk.has_xcr0 = 1;
		return 0;
	}
	uint32_t leaf, sub;
	struct amxshim_cpuid r;
	if (!take(c, "leaf") || !number32(c, &leaf))
		return -1;
	skip_blanks(c);
	if (!take(c, "subleaf") || !number32(c, &sub))
		return -1;
	skip_blanks(c);
	if (!take(c, ":") || !reg(c, "eax=", &r.eax) || !reg(c, "ebx=", &r.ebx) || !reg(c, "ecx=", &r.ecx) ||
	    !reg(c, "edx=", &r.edx) || !at_line_end(c))
		return -1;
	struct cpuid_entry *e = find_or_add(leaf, sub);
	if (!e)
		return -1;
	e->r = r;
	return 1;
}

int fake_parse_fixture(const char *text, size_t len)
{
	struct cursor all = { text, text + len };
	int n = 0, line = 0;
	fk.n_cpuid = 0;
	fk.has_xcr0 = 0;
	while (all.p < all.end) {
		const char *eol = all.p;
		while (eol < all.end && *eol != '\n')
			eol++;
		struct cursor c = { all.p, eol };
		line++;
		int r = parse_line(&c);
		if (r < 0)
			return -line;
		n += r;
		all.p = eol < all.end ? eol + 1 : eol;
	}
	return n;
}

int fake_fixture_has_xcr0(void)
{
	return fk.has_xcr0;
}

/* ---- the file, read with raw system calls (no libc, no errno) ---- */

static char file_buf[32768];

int fake_load_fixture(const char *path)
{
	long fd = amx_raw_syscall4(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return -1000 + (int)fd;
	size_t len = 0;
	long n;
	do {
		n = amx_raw_syscall3(SYS_read, fd, (long)(file_buf + len), (long)(sizeof file_buf - len));
		if (n > 0)
			len += (size_t)n;
	} while ((n > 0 || n == -EINTR) && len < sizeof file_buf);
	if (n > 0 && len == sizeof file_buf)
		n = -EFBIG;
	amx_raw_syscall3(SYS_close, fd, 0, 0);
	if (n < 0)
		return -1000 + (int)n;
	return fake_parse_fixture(file_buf, len);
}

/* ---- scripting ---- */

static void clear_log(void)
{
	fk.n_calls = 0;
	fk.cpuid_calls = fk.cpuid_above_max = fk.xgetbv_calls = fk.xgetbv_faults = fk.glibc_calls = 0;
}

/* A new machine: the resolver's caches (each leaf read once per library) forget the old one too. */
void fake_reset(void)
{
	int no_glibc = fk.no_glibc;
	amx_memzero(&fk, sizeof fk);
	fk.scripted = 1;
	fk.no_glibc = no_glibc;
	kernel_preset(&fk.kernel, FAKE_KERNEL_GRANTED);
	amx_caches_reset();
}

void fake_set_glibc(int has_leaves)
{
	fk.no_glibc = !has_leaves;
}

unsigned fake_glibc_calls(void)
{
	return fk.glibc_calls;
}

void fake_clear_log(void)
{
	clear_log();
}

void fake_set_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx)
{
	struct amxshim_cpuid *r = fake_cpuid_entry(leaf, subleaf);
	if (!r)
		return;
	r->eax = eax;
	r->ebx = ebx;
	r->ecx = ecx;
	r->edx = edx;
}

struct amxshim_cpuid *fake_cpuid_entry(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_entry *e = find_or_add(leaf, subleaf);
	return e ? &e->r : 0;
}

void fake_set_xcr0(uint64_t xcr0)
{
	fk.xcr0 = xcr0;
}

void fake_set_kernel(enum fake_kernel_outcome outcome)
{
	kernel_preset(&fk.kernel, outcome);
	fk.req_granted = 0;
}

struct fake_kernel *fake_kernel(void)
{
	return &fk.kernel;
}

void fake_kernel_follow_cpu(void)
{
	struct amxshim_cpuid l7, d1;
	read_entry(7, 0, &l7);
	read_entry(0xd, 1, &d1);
	uint64_t drop = 0;
	if (!((l7.edx >> 24) & 1u)) /* xsave_cpuid_features: XTILECFG/XTILEDATA need X86_FEATURE_AMX_TILE */
		drop |= AMX_XTILE_MASK;
	if (!((d1.eax >> 4) & 1u)) /* no X86_FEATURE_XFD: XFEATURE_MASK_USER_DYNAMIC (XTILEDATA) dropped */
		drop |= 1ull << AMX_XTILEDATA;
	fk.kernel.supp &= ~drop;
	fk.kernel.perm &= ~drop;
}

/* ---- the environment path ---- */

static int env_xcr0(const char *s, uint64_t *out)
{
	struct cursor c = { s, s };
	while (*c.end)
		c.end++;
	return number(&c, out) && at_line_end(&c);
}

/* A set-user-ID or file-capability program (AT_SECURE) must not let its caller choose what the resolver
 * believes: read from the kernel's auxiliary vector, else from the real and effective IDs. */
#define FAKE_AT_SECURE 23
static int secure_execution(void)
{
	unsigned long aux[2 * 64];
	long fd = amx_raw_syscall4(SYS_openat, AT_FDCWD, (long)"/proc/self/auxv", O_RDONLY | O_CLOEXEC, 0);
	long n = fd < 0 ? -1 : amx_raw_syscall3(SYS_read, fd, (long)aux, (long)sizeof aux);
	if (fd >= 0)
		amx_raw_syscall3(SYS_close, fd, 0, 0);
	for (long i = 0; i + 1 < n / (long)sizeof aux[0]; i += 2)
		if (aux[i] == FAKE_AT_SECURE)
			return aux[i + 1] != 0;
	return amx_raw_syscall2(SYS_getuid, 0, 0) != amx_raw_syscall2(SYS_geteuid, 0, 0) ||
	       amx_raw_syscall2(SYS_getgid, 0, 0) != amx_raw_syscall2(SYS_getegid, 0, 0);
}

static void load_from_env(void)
{
	fk.scripted = 1;
	fk.env_loaded = 1;
	kernel_preset(&fk.kernel, FAKE_KERNEL_GRANTED);
	if (secure_execution()) {
		/* No settings: an empty CPU table, so every registry binds its portable last entry. */
		fk.env_status = FAKE_ENV_SECURE;
		fake_kernel_follow_cpu();
#ifdef FAKE_TESTKIT
		if (amx_startenv_get("AMXSHIM_FAKE_CPU"))
			testkit_settings_used(0, fk.env_status);
#endif
		return;
	}
	const char *kernel = amx_startenv_get("AMXSHIM_FAKE_KERNEL");
	if (kernel) {
		int k = fake_kernel_from_name(kernel);
		if (k < 0)
			fk.env_status = -2000;
		else
			kernel_preset(&fk.kernel, (enum fake_kernel_outcome)k);
	}
	const char *path = amx_startenv_get("AMXSHIM_FAKE_CPU");
	int r = path ? fake_load_fixture(path) : -2002;
	if (r < 0) {
		fk.n_cpuid = 0;
		fk.has_xcr0 = 0;
		if (!fk.env_status)
			fk.env_status = r;
	}
	if (!fk.has_xcr0) {
		struct amxshim_cpuid d0;
		read_entry(0xd, 0, &d0);
		fk.xcr0 = (uint64_t)d0.edx << 32 | d0.eax;
	}
	const char *glibc = amx_startenv_get("AMXSHIM_FAKE_GLIBC");
	fk.no_glibc = glibc && glibc[0] == '0' && !glibc[1];
	const char *xcr0 = amx_startenv_get("AMXSHIM_FAKE_XCR0");
	if (xcr0 && !env_xcr0(xcr0, &fk.xcr0) && !fk.env_status)
		fk.env_status = -2001;
	fake_kernel_follow_cpu();
#ifdef FAKE_TESTKIT
	if (amx_startenv_get("AMXSHIM_FAKE_CPU") || kernel || xcr0)
		testkit_settings_used(path, fk.env_status);
#endif
}

static void ensure_state(void)
{
	if (!fk.scripted)
		load_from_env();
}

int fake_env_status(void)
{
	ensure_state();
	return fk.env_status;
}

int fake_env_loaded(void)
{
	ensure_state();
	return fk.env_loaded;
}

/* ---- the log ---- */

unsigned fake_call_count(void)
{
	return fk.n_calls;
}

const struct fake_call *fake_call(unsigned i)
{
	return i < fk.n_calls && i < FAKE_MAX_CALLS ? &fk.calls[i] : 0;
}

unsigned fake_count_code(int code)
{
	unsigned n = 0;
	for (unsigned i = 0; i < fk.n_calls && i < FAKE_MAX_CALLS; i++)
		n += fk.calls[i].code == code;
	return n;
}

unsigned fake_cpuid_calls(void)
{
	return fk.cpuid_calls;
}

unsigned fake_cpuid_above_max(void)
{
	return fk.cpuid_above_max;
}

unsigned fake_xgetbv_calls(void)
{
	return fk.xgetbv_calls;
}

unsigned fake_xgetbv_faults(void)
{
	return fk.xgetbv_faults;
}

/* ---- the seam: resolver/internal.h ---- */

void amx_platform_cpuid(uint32_t leaf, uint32_t subleaf, struct amxshim_cpuid *out)
{
	ensure_state();
	fk.cpuid_calls++;
	struct amxshim_cpuid l0;
	read_entry(0, 0, &l0);
	if (leaf < 0x80000000u && leaf > l0.eax) {
		fk.cpuid_above_max++;
		if (vendor_is_intel()) {
			/* Intel: the highest basic leaf's data. */
			read_entry(l0.eax, subleaf, out);
			return;
		}
		out->eax = out->ebx = out->ecx = out->edx = 0; /* AMD */
		return;
	}
	read_entry(leaf, subleaf, out);
}

/* glibc's copy: what its loader read (glibc 2.36 cpu-features.c get_common_indices: leaf 1; 7.0 and 7.1
 * when the max basic leaf >= 7, 0xD.1 when >= 0xD, zeros otherwise), counted apart from CPUID. */
int amx_platform_glibc_leaf(unsigned index, struct amxshim_cpuid *out)
{
	static const struct {
		unsigned index;
		uint32_t leaf, sub;
	} kept[] = { { AMX_GLIBC_INDEX_1, 1, 0 }, { AMX_GLIBC_INDEX_7, 7, 0 }, { AMX_GLIBC_INDEX_D_1, 0xd, 1 },
		     { AMX_GLIBC_INDEX_7_1, 7, 1 } };
	ensure_state();
	if (fk.no_glibc)
		return 0;
	fk.glibc_calls++;
	struct amxshim_cpuid l0;
	read_entry(0, 0, &l0);
	out->eax = out->ebx = out->ecx = out->edx = 0;
	for (unsigned i = 0; i < sizeof kept / sizeof kept[0]; i++)
		if (kept[i].index == index && kept[i].leaf <= l0.eax)
			read_entry(kept[i].leaf, kept[i].sub, out);
	return 1;
}

uint64_t amx_platform_xgetbv0(void)
{
	ensure_state();
	fk.xgetbv_calls++;
	struct amxshim_cpuid l1;
	read_entry(1, 0, &l1);
	if (!((l1.ecx >> 27) & 1u))
		fk.xgetbv_faults++;
	return fk.xcr0;
}

static long get_mask(int err, uint64_t mask, unsigned long arg)
{
	if (err)
		return -err;
	if (!arg)
		return -EFAULT;
	*(uint64_t *)arg = mask;
	return 0;
}

static long request(struct fake_kernel *k, unsigned long idx)
{
	if (k->req_err)
		return -k->req_err;
	/* xstate.c: an index >= XFEATURE_MAX is EINVAL; a feature that is not a supported dynamic one (17!) is
	 * EOPNOTSUPP. */
	if (idx >= 20)
		return -EINVAL;
	if (idx != AMX_XTILEDATA || !((k->supp >> idx) & 1u))
		return -EOPNOTSUPP;
	switch (k->req_effect) {
	case FAKE_REQ_OR: k->perm |= 1ull << idx; break;
	case FAKE_REQ_OVERWRITE: k->perm = 1ull << idx; break;
	case FAKE_REQ_NOOP: break;
	}
	fk.req_granted = 1;
	return 0;
}

long amx_platform_arch_prctl(int code, unsigned long arg)
{
	ensure_state();
	if (fk.n_calls < FAKE_MAX_CALLS) {
		fk.calls[fk.n_calls].code = code;
		fk.calls[fk.n_calls].arg = arg;
	}
	fk.n_calls++;
	struct fake_kernel *k = &fk.kernel;
	switch (code) {
	case AMX_ARCH_GET_XCOMP_SUPP: return get_mask(k->supp_err, k->supp, arg);
	case AMX_ARCH_GET_XCOMP_PERM: return get_mask(fk.req_granted ? k->perm_after_err : k->perm_err, k->perm, arg);
	case AMX_ARCH_REQ_XCOMP_PERM: return request(k, arg);
	default: return -EINVAL;
	}
}
