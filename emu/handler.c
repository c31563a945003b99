// SPDX-License-Identifier: MIT
/* The SIGILL handler: fetch, decode, run on the thread's tile state, advance RIP. Anything that
 * is not a runnable AMX instruction goes to the disposition that was there before us, so real
 * crashes still crash. Everything here is async-signal-safe: syscalls and our own code. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <amxshim/resolver.h> /* AMXSHIM_RESOLVER_CONTEXT */

#include "amxemu.h"
#include "decode.h"
#include "exec.h"
#include "early.h"
#include "frame.h"
#include "machine.h"

#define API __attribute__((visibility("default")))

struct emu_thread {
	struct emu_tiles t;
	uint8_t seen[ISA_TILECFG_BYTES]; /* native-config mode: the frame's config as last adopted */
	int seen_valid;
};

static __thread struct emu_thread *tls_state __attribute__((tls_model("initial-exec")));
static struct sigaction prev_ill;
static pthread_key_t state_key;
static int installed, install_lock, cfg_faulted, setup_done;
static unsigned long long n_emulated, n_passed, n_faults;

static void free_state(void *p)
{
	munmap(p, sizeof(struct emu_thread));
	tls_state = NULL;
}

/* mmap, not malloc: we are inside a signal handler. Freed at thread exit by the key. */
static struct emu_thread *thread_state(void)
{
	void *p;

	if (tls_state)
		return tls_state;
	p = mmap(NULL, sizeof(struct emu_thread), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	tls_state = p;
	pthread_setspecific(state_key, p);
	return p;
}

/* Measured: a forked child keeps the tile config but its tile data is zero. */
static void after_fork_child(void)
{
	if (tls_state)
		memset(tls_state->t.data, 0, sizeof tls_state->t.data);
}

/* Adopt the hardware's config when it changed since we last looked (a native LDTILECFG or
 * TILERELEASE ran): that zeroes the tile data, as those instructions do. */
static void sync_native_cfg(struct emu_thread *st, uint8_t *cfg, int init)
{
	uint8_t img[ISA_TILECFG_BYTES] = { 0 };

	if (!init)
		memcpy(img, cfg, ISA_TILECFG_BYTES);
	img[ISA_TILECFG_START_ROW] = 0;
	if (!st->seen_valid || memcmp(img, st->seen, ISA_TILECFG_BYTES)) {
		if (emu_ldtilecfg(&st->t, img))
			emu_tilerelease(&st->t);
		memcpy(st->seen, img, ISA_TILECFG_BYTES);
		st->seen_valid = 1;
	}
	st->t.start_row = init ? 0 : cfg[ISA_TILECFG_START_ROW];
}

static void load_cpu(struct emu_cpu *cpu, const ucontext_t *uc, const struct emu_insn *in)
{
	static const int map[16] = { REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
				     REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15 };
	int i;

	for (i = 0; i < 16; i++)
		cpu->gpr[i] = (uint64_t)uc->uc_mcontext.gregs[map[i]];
	cpu->rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	cpu->fs = cpu->gs = 0;
	if (in->mem.seg == EMU_SEG_FS)
		cpu->fs = emu_machine_fs_base();
	else if (in->mem.seg == EMU_SEG_GS)
		cpu->gs = emu_machine_gs_base();
}

/* Queue the SIGSEGV the hardware would raise; it is delivered after we return, with the
 * instruction's own context (RIP unchanged). Like a real fault, a blocked or ignored SIGSEGV
 * falls back to the default action. */
static void raise_segv(ucontext_t *uc, const struct emu_fault *f)
{
	struct sigaction cur;
	siginfo_t si;
	sigset_t segv;

	memset(&si, 0, sizeof si);
	si.si_signo = SIGSEGV;
	si.si_code = f->code;
	si.si_addr = (void *)(uintptr_t)f->addr;
	sigaction(SIGSEGV, NULL, &cur);
	if (cur.sa_handler == SIG_IGN || sigismember(&uc->uc_sigmask, SIGSEGV)) {
		memset(&cur, 0, sizeof cur);
		cur.sa_handler = SIG_DFL;
		sigaction(SIGSEGV, &cur, NULL);
		sigdelset(&uc->uc_sigmask, SIGSEGV);
	}
	sigemptyset(&segv);
	sigaddset(&segv, SIGSEGV);
	sigprocmask(SIG_BLOCK, &segv, NULL);
	syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGSEGV, &si);
}

/* Why an AMX instruction we decoded cannot run here, on stderr (write(2): async-signal-safe). */
static void say_cannot(const struct emu_insn *in, uint64_t rip, const char *why)
{
	char buf[320], *p = buf;
	const char *parts[] = { "libamxemu: ", isa_mnemonic(in->op), " at 0x" };

	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		for (const char *q = parts[i]; *q && p < buf + 64; q++)
			*p++ = *q;
	for (int sh = 60; sh >= 0; sh -= 4)
		*p++ = "0123456789abcdef"[(rip >> sh) & 15];
	*p++ = ':', *p++ = ' ';
	while (*why && p < buf + sizeof buf - 1)
		*p++ = *why++;
	*p++ = '\n';
	(void)!write(2, buf, (size_t)(p - buf));
}

/* The state beyond the legacy registers that an instruction needs: R16-R31 (APX) for an address or row
 * selector, a ZMM destination (AMX-AVX512). 0, or -1 (with a message) when the frame does not have it: the
 * CPU lacks APX or AVX-512, so the instruction cannot have run there either. */
static int load_ext(ucontext_t *uc, const struct emu_insn *in, struct emu_cpu *cpu, uint8_t *zmm, uint8_t **xs,
		    uint32_t *size, uint64_t *xfeatures)
{
	uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];

	*xs = frame_xsave(uc, size, xfeatures);
	if (in->egpr && (!*xs || frame_get_egpr(*xs, *size, *xfeatures, frame_cpu_layout(), cpu->gpr + 16))) {
		say_cannot(in, rip,
			   "uses r16-r31, but the signal frame has no APX state (XSAVE component 19): "
			   "this CPU has no APX; SIGILL passed on");
		return -1;
	}
	if (isa_insn(in->op)->feature == ISA_F_AVX512) {
		if (!*xs || !frame_has_zmm(*size, *xfeatures, frame_cpu_layout())) {
			say_cannot(in, rip,
				   "AMX-AVX512 writes a ZMM register, but the signal frame has no AVX-512 "
				   "state (XCR0 bits 5-7): this CPU has no AVX-512; SIGILL passed on");
			return -1;
		}
		cpu->zmm = zmm;
	}
	return 0;
}

/* 1: handled (emulated or turned into SIGSEGV); 0: not ours to run. */
/* The AMX sets to emulate (bit i: ISA feature i; early.h): an instruction of any other set passes its SIGILL
 * on, as on a CPU without that set. */
static uint32_t sets_allowed = ~0u;

AMXSHIM_RESOLVER_CONTEXT void emu_allow_sets(uint32_t mask)
{
	__atomic_store_n(&sets_allowed, mask, __ATOMIC_RELAXED);
}

static int set_allowed(enum isa_insn op)
{
	const struct isa_insn_desc *d = isa_insn(op);
	uint32_t allowed = __atomic_load_n(&sets_allowed, __ATOMIC_RELAXED);
	return ((allowed >> d->feature) & 1u) && (d->also == ISA_F_NONE || ((allowed >> d->also) & 1u));
}

static int emulate(ucontext_t *uc)
{
	uint8_t code[15], *cfg = NULL, zmm[64], *xs;
	struct emu_insn in;
	struct emu_cpu cpu;
	struct emu_fault f;
	struct emu_thread *st;
	size_t n = emu_read_partial(code, (uint64_t)uc->uc_mcontext.gregs[REG_RIP], sizeof code);
	uint32_t xsize;
	uint64_t xfeatures;
	int init = 1, rc;

	if (emu_decode(code, n, &in) != EMU_DEC_OK || !set_allowed(in.op))
		return 0;
	memset(&cpu, 0, sizeof cpu);
	if (load_ext(uc, &in, &cpu, zmm, &xs, &xsize, &xfeatures))
		return 0;
	if (in.op == ISA_LDTILECFG || in.op == ISA_STTILECFG || in.op == ISA_TILERELEASE ||
	    in.op == ISA_LDTILECFG_EVEX || in.op == ISA_STTILECFG_EVEX)
		__atomic_store_n(&cfg_faulted, 1, __ATOMIC_RELAXED); /* the CPU cannot run them */
	else if (!__atomic_load_n(&cfg_faulted, __ATOMIC_RELAXED))
		cfg = frame_tilecfg(uc, &init);
	st = thread_state();
	if (!st)
		return 0;
	if (cfg)
		sync_native_cfg(st, cfg, init);
	load_cpu(&cpu, uc, &in);
	rc = emu_exec(&st->t, &in, &cpu, &f);
	if (rc == EMU_EXEC_UD)
		return 0;
	if (cfg && !init)
		cfg[1] = st->t.start_row;
	if (rc == EMU_EXEC_FAULT) {
		__atomic_fetch_add(&n_faults, 1, __ATOMIC_RELAXED);
		raise_segv(uc, &f);
		return 1;
	}
	if (cpu.zmm)
		frame_put_zmm(xs, xsize, xfeatures, frame_cpu_layout(), in.treg, zmm);
	uc->uc_mcontext.gregs[REG_RIP] += in.len;
	__atomic_fetch_add(&n_emulated, 1, __ATOMIC_RELAXED);
	return 1;
}

/* Not ours: the previous handler runs as if it had been called by the kernel; with no handler
 * we restore the default and return, so the instruction faults again and kills the process. */
static void pass_on(int sig, siginfo_t *si, ucontext_t *uc)
{
	struct sigaction p = prev_ill;

	__atomic_fetch_add(&n_passed, 1, __ATOMIC_RELAXED);
	if (p.sa_handler != SIG_DFL && p.sa_handler != SIG_IGN) {
		if (p.sa_flags & SA_SIGINFO)
			p.sa_sigaction(sig, si, uc);
		else
			p.sa_handler(sig);
		return;
	}
	memset(&p, 0, sizeof p);
	p.sa_handler = SIG_DFL;
	sigaction(SIGILL, &p, NULL);
	sigdelset(&uc->uc_sigmask, SIGILL);
}

static void ensure_setup(void);

static void on_sigill(int sig, siginfo_t *si, void *ucv)
{
	int saved_errno = errno;

	ensure_setup();
	if (!emulate(ucv))
		pass_on(sig, si, ucv);
	errno = saved_errno;
}

static int handler_is_ours(void)
{
	struct sigaction cur;

	return sigaction(SIGILL, NULL, &cur) == 0 && (cur.sa_flags & SA_SIGINFO) && cur.sa_sigaction == on_sigill;
}

/* The process-wide state the handler needs beyond the disposition: the frame layout, the thread key and
 * the fork hook. Once, with install_lock held (or from the first SIGILL when only the relocation-time
 * install has run, e.g. an AMX instruction in a library constructor that runs before ours). */
static void setup_locked(void)
{
	if (setup_done)
		return;
	frame_init();
	pthread_key_create(&state_key, free_state);
	pthread_atfork(NULL, NULL, after_fork_child);
	__atomic_store_n(&setup_done, 1, __ATOMIC_RELEASE);
}

static void lock_install(void)
{
	while (__atomic_exchange_n(&install_lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
}

static void unlock_install(void)
{
	__atomic_store_n(&install_lock, 0, __ATOMIC_RELEASE);
}

static void ensure_setup(void)
{
	if (__atomic_load_n(&setup_done, __ATOMIC_ACQUIRE))
		return;
	lock_install();
	setup_locked();
	unlock_install();
}

/* Idempotent. Also re-installs (chaining to whoever replaced us) when another handler took
 * SIGILL over since, e.g. a test framework's crash handler. */
API int amxemu_install(void)
{
	struct sigaction sa;
	int rc = 0;

	if (__atomic_load_n(&installed, __ATOMIC_ACQUIRE) && __atomic_load_n(&setup_done, __ATOMIC_ACQUIRE) &&
	    handler_is_ours())
		return 0;
	lock_install();
	setup_locked();
	if (!handler_is_ours()) {
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_sigill;
		sa.sa_flags = SA_SIGINFO;
		/* Block other signals while we run, so their handlers cannot use AMX while SIGILL is
		 * blocked (that would kill). Synchronous faults stay deliverable. */
		sigfillset(&sa.sa_mask);
		sigdelset(&sa.sa_mask, SIGSEGV);
		sigdelset(&sa.sa_mask, SIGBUS);
		sigdelset(&sa.sa_mask, SIGFPE);
		sigdelset(&sa.sa_mask, SIGTRAP);
		rc = sigaction(SIGILL, &sa, &prev_ill);
	}
	if (rc == 0)
		__atomic_store_n(&installed, 1, __ATOMIC_RELEASE);
	unlock_install();
	return rc;
}

/* The kernel's struct sigaction (rt_sigaction with an 8-byte mask), which the relocation-time install
 * uses because libc may not be called there. */
struct emu_ksigaction {
	void (*handler)(int, siginfo_t *, void *);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};
#define EMU_SA_RESTORER 0x04000000ul

/* rt_sigreturn for handlers installed without libc's sigaction (which would supply its own restorer).
 * No endbr64: the handler's ret reaches it, never an indirect jump or call (as glibc's __restore_rt). */
void emu_restore_rt(void);
__asm__(".pushsection .text\n\t.p2align 4\n\t.hidden emu_restore_rt\n\t.type emu_restore_rt,@function\n"
	"emu_restore_rt:\n\tmov $15, %eax\n\tsyscall\n\t.size emu_restore_rt,.-emu_restore_rt\n\t.popsection\n");

AMXSHIM_RESOLVER_CONTEXT static inline long raw_syscall4(long nr, long a, long b, long c, long d)
{
	long ret;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall" : "=a"(ret) : "0"(nr), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
	return ret;
}

/* libamxemu.so's relocation-time install (ctor.c): raw system calls only, no libc, no instrumentation
 * (it runs inside an IFUNC resolver). The rest of the set-up happens at the first SIGILL or in
 * amxemu_install(), whichever comes first. Returns 0 or -errno. */
AMXSHIM_RESOLVER_CONTEXT int emu_install_early(void)
{
	struct emu_ksigaction sa, old;
	long rc;

	frame_init(); /* CPUID/XGETBV only */
	sa.handler = on_sigill;
	sa.flags = SA_SIGINFO | EMU_SA_RESTORER;
	sa.restorer = emu_restore_rt;
	/* Everything blocked but the synchronous faults, as amxemu_install() does. */
	sa.mask =
		~((1ull << (SIGSEGV - 1)) | (1ull << (SIGBUS - 1)) | (1ull << (SIGFPE - 1)) | (1ull << (SIGTRAP - 1)));
	rc = raw_syscall4(SYS_rt_sigaction, SIGILL, (long)&sa, (long)&old, sizeof sa.mask);
	if (rc != 0)
		return (int)rc;
	/* Field by field (a struct copy could become a libc call); the rest of prev_ill is still zero. */
	prev_ill.sa_sigaction = old.handler;
	prev_ill.sa_flags = (int)old.flags;
	prev_ill.sa_restorer = old.restorer;
	prev_ill.sa_mask.__val[0] = old.mask;
	__atomic_store_n(&installed, 1, __ATOMIC_RELEASE);
	return 0;
}

API void amxemu_stats(struct amxemu_stats *out)
{
	out->emulated = __atomic_load_n(&n_emulated, __ATOMIC_RELAXED);
	out->passed_on = __atomic_load_n(&n_passed, __ATOMIC_RELAXED);
	out->faults = __atomic_load_n(&n_faults, __ATOMIC_RELAXED);
}

API int amxemu_native_tilecfg(void)
{
	return frame_xcr0_tilecfg() && !__atomic_load_n(&cfg_faulted, __ATOMIC_RELAXED);
}
