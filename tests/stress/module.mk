# SPDX-License-Identifier: MIT
# Fault and load tests: racing first calls (also under ThreadSanitizer), dlopen/dlclose
# cycles, a deep fork+exec chain, hostile signal/fd/environment set-ups. Helpers are built into
# $(BUILD)/tests/stress; the drivers are the *.sh files here (exit 0 pass, 77 skip, else fail).
STRESS := $(BUILD)/tests/stress
# The resolver's platform seam, wrapped so that librace counts (and, over the fake, serialises) its calls.
STRESS_WRAP := -Wl,--wrap=amx_platform_arch_prctl -Wl,--wrap=amx_platform_cpuid -Wl,--wrap=amx_platform_xgetbv0 \
	-Wl,--wrap=amx_platform_glibc_leaf

STRESS_PROGS := race dlcycle sigprog stress-exec early startcost dlshim stepprog
STRESS_LIBS := librace-real.so librace-fake.so libfd2.so libearly.so libamxshim-audit.so
TESTS += tests/stress/race.sh tests/stress/dlcycle.sh tests/stress/chain.sh tests/stress/signals.sh \
	tests/stress/envvalues.sh tests/stress/audit.sh tests/stress/dlshim.sh tests/stress/stepcount.sh \
	tests/stress/cpuidcount.sh
TEST_DEPS += $(addprefix $(STRESS)/,$(STRESS_PROGS) $(STRESS_LIBS)) $(BUILD)/bench/stepcount $(BUILD)/bench/libempty.so

$(STRESS)/race: $(STRESS)/race.o
	$(LINK) -pthread -o $@ $< -ldl
$(STRESS)/dlcycle $(STRESS)/stress-exec $(STRESS)/startcost: $(STRESS)/%: $(STRESS)/%.o
	$(LINK) -o $@ $< -ldl
# stepprog: _start alone, the exact instruction stream that tests/stress/stepcount.sh counts.
$(STRESS)/stepprog: $(STRESS)/stepprog.o
	$(LINK) -nostdlib -static -o $@ $<
$(STRESS)/dlshim: $(STRESS)/dlshim.o
	$(LINK) -pthread -o $@ $< -ldl
# sigprog links libfd2.so (a DT_NEEDED library whose constructor may open a file before the shim's runs).
$(STRESS)/sigprog: $(STRESS)/sigprog.o $(STRESS)/libfd2.so
	$(LINK) -o $@ $< -L$(STRESS) -lfd2 -Wl,-rpath,'$$ORIGIN'
$(STRESS)/libfd2.so: $(STRESS)/libfd2.o
	$(LINK) -shared -Wl,--no-undefined -o $@ $<

# LD_AUDIT.md: libearly.so's IFUNC resolver runs inside relocation (resolver flags); early links it.
RESOLVER_CONTEXT += $(STRESS)/libearly.o
$(STRESS)/libearly.so: $(STRESS)/libearly.o
	$(LINK) -shared -Wl,--no-undefined -o $@ $<
$(STRESS)/early: $(STRESS)/early.o $(STRESS)/libearly.so
	$(LINK) -o $@ $< -L$(STRESS) -learly -Wl,-rpath,'$$ORIGIN'
# A test-only audit build of the shim: its own objects plus la_version (libamxshim.so has none).
$(STRESS)/libamxshim-audit.so: $(SHIM_OBJS) $(SHIM_RESOLVER_OBJS) $(STRESS)/audit_version.o amxshim.map
	$(SHIM_LINK) -o $@ $(filter %.o,$^)

# Resolver code: the resolver's own flags (librace runs nothing at load time, but stays honest).
RESOLVER_CONTEXT += $(STRESS)/librace.o $(STRESS)/librace-serial.o
# (--no-undefined only without a sanitizer: an instrumented library leaves the runtime to the program.)
STRESS_NOUNDEF := $(if $(findstring -fsanitize,$(CFLAGS)),,-Wl,--no-undefined)
$(STRESS)/librace-real.so: $(STRESS)/librace.o $(BUILD)/libamxresolver.a
	$(LINK) -shared $(STRESS_NOUNDEF) $(STRESS_WRAP) -o $@ $^
$(STRESS)/librace-fake.so: $(STRESS)/librace-serial.o $(FAKE_RESOLVER_LIB)
	$(LINK) -shared $(STRESS_NOUNDEF) $(STRESS_WRAP) -o $@ $^

# The same race under ThreadSanitizer: the program, librace and every resolver source (and the fake)
# instrumented, in $(STRESS)/tsan. Built only where $(CC) can link -fsanitize=thread (GCC: libtsan2, a
# dependency of Debian's gcc; clang: libclang-rt); race.sh reports SKIP for that part otherwise.
TSAN := $(STRESS)/tsan
TSAN_CFLAGS := $(filter-out -fsanitize=%,$(CFLAGS)) -O1 -g -fsanitize=thread
TSAN_WORKS := $(shell echo 'int main(void){return 0;}' | $(CC) -fsanitize=thread -x c - -o /dev/null 2>/dev/null \
	&& echo yes)
TSAN_BINS := $(TSAN)/race $(TSAN)/librace-real.so $(TSAN)/librace-fake.so
TEST_DEPS += $(if $(TSAN_WORKS),$(TSAN_BINS))

TSAN_RESOLVER_OBJS := $(RESOLVER_SRCS:resolver/%.c=$(TSAN)/resolver/%.o)
TSAN_OBJS := $(TSAN_RESOLVER_OBJS) $(TSAN)/fake_platform.o $(TSAN)/librace.o $(TSAN)/librace-serial.o $(TSAN)/race.o
# (override: a CFLAGS given on the command line must not drop -fsanitize=thread here)
$(TSAN_OBJS): override CFLAGS := $(TSAN_CFLAGS)
RESOLVER_CONTEXT += $(filter-out %/race.o,$(TSAN_OBJS))
# (instrumented on purpose: the race is what TSan must see)
$(TSAN_OBJS): RESOLVER_NO_INSTRUMENT :=
$(eval $(call COMPILE_RULE,$(TSAN)/resolver,resolver/))
$(eval $(call COMPILE_RULE,$(TSAN),tests/fake/))
$(eval $(call COMPILE_RULE,$(TSAN),tests/stress/))
$(TSAN)/race: $(TSAN)/race.o
	$(CC) $(TSAN_CFLAGS) $(LDFLAGS) -pthread -o $@ $< -ldl
$(TSAN)/librace-real.so: $(TSAN)/librace.o $(TSAN_RESOLVER_OBJS)
	$(CC) $(TSAN_CFLAGS) $(LDFLAGS) -shared $(STRESS_WRAP) -o $@ $^
$(TSAN)/librace-fake.so: $(TSAN)/librace-serial.o $(TSAN)/fake_platform.o $(filter-out %/platform.o,$(TSAN_RESOLVER_OBJS))
	$(CC) $(TSAN_CFLAGS) $(LDFLAGS) -shared $(STRESS_WRAP) -o $@ $^

# make asan / ubsan / valgrind: the race (plain build, instrumented by those builds' CFLAGS) and the
# dlopen/dlclose cycles, shorter; sanitize.sh runs them under $VALGRIND when set.
SANITIZE_TESTS += tests/stress/sanitize.sh
SANITIZE_DEPS += $(addprefix $(STRESS)/,race librace-real.so librace-fake.so dlcycle) \
	$(BUILD)/tests/integration/libifunc-now.so

# `make tsan`: only the race tests, under ThreadSanitizer (make check runs them too).
.PHONY: tsan
tsan: $(TSAN_BINS) $(addprefix $(STRESS)/,race librace-real.so librace-fake.so) $(BUILD)/tests/integration/amxtruth
	@BUILD=$(BUILD) scripts/run-tests tests/stress/race.sh
