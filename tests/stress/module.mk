# SPDX-License-Identifier: MIT
# Fault and load tests (issue 5 part 2): racing first calls (also under ThreadSanitizer), dlopen/dlclose
# cycles, a deep fork+exec chain, hostile signal/fd/environment set-ups. Helpers are built into
# $(BUILD)/tests/stress; the drivers are the *.sh files here (exit 0 pass, 77 skip, else fail).
STRESS := $(BUILD)/tests/stress
STRESS_CFLAGS := $(BASE_CFLAGS) $(CFLAGS)
# The resolver's platform seam, wrapped so that librace counts (and, over the fake, serialises) its calls.
STRESS_WRAP := -Wl,--wrap=amx_platform_arch_prctl -Wl,--wrap=amx_platform_cpuid -Wl,--wrap=amx_platform_xgetbv0

STRESS_PROGS := race dlcycle sigprog stress-exec early startcost dlshim
STRESS_LIBS := librace-real.so librace-fake.so libfd2.so libearly.so libamxshim-audit.so
TESTS += tests/stress/race.sh tests/stress/dlcycle.sh tests/stress/chain.sh tests/stress/signals.sh \
	tests/stress/envvalues.sh tests/stress/audit.sh tests/stress/dlshim.sh
TEST_DEPS += $(addprefix $(STRESS)/,$(STRESS_PROGS) $(STRESS_LIBS))

$(STRESS)/%.o: tests/stress/%.c tests/integration/tileop.h include/amxshim/resolver.h resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(STRESS_CFLAGS) -c $< -o $@

$(STRESS)/race: $(STRESS)/race.o
	$(CC) $(CFLAGS) -pthread -o $@ $< -ldl
$(STRESS)/dlcycle $(STRESS)/stress-exec $(STRESS)/startcost: $(STRESS)/%: $(STRESS)/%.o
	$(CC) $(CFLAGS) -o $@ $< -ldl
$(STRESS)/dlshim: $(STRESS)/dlshim.o
	$(CC) $(CFLAGS) -pthread -o $@ $< -ldl
# sigprog links libfd2.so (a DT_NEEDED library whose constructor may open a file before the shim's runs).
$(STRESS)/sigprog: $(STRESS)/sigprog.o $(STRESS)/libfd2.so
	$(CC) $(CFLAGS) -o $@ $< -L$(STRESS) -lfd2 -Wl,-rpath,'$$ORIGIN'
$(STRESS)/libfd2.so: $(STRESS)/libfd2.o
	$(CC) $(CFLAGS) -shared -Wl,--no-undefined -o $@ $<

# LD_AUDIT.md: libearly.so's IFUNC resolver runs inside relocation (resolver flags); early links it.
$(STRESS)/libearly.o: tests/stress/libearly.c
	@mkdir -p $(@D)
	$(CC) $(STRESS_CFLAGS) $(RESOLVER_CFLAGS) -c $< -o $@
$(STRESS)/libearly.so: $(STRESS)/libearly.o
	$(CC) $(CFLAGS) -shared -Wl,--no-undefined -o $@ $<
$(STRESS)/early: $(STRESS)/early.o $(STRESS)/libearly.so
	$(CC) $(CFLAGS) -o $@ $< -L$(STRESS) -learly -Wl,-rpath,'$$ORIGIN'
# A test-only audit build of the shim: its own objects plus la_version (libamxshim.so has none).
$(STRESS)/libamxshim-audit.so: $(SHIM_OBJS) $(BUILD)/shim/altstack_sys.o $(SHIM_RESOLVER_OBJS) \
		$(STRESS)/audit_version.o amxshim.map
	$(CC) $(LIB_LDFLAGS) $(SHIM_LDFLAGS) -o $@ $(filter %.o,$^)

# Resolver code: the resolver's own flags (librace runs nothing at load time, but stays honest).
$(STRESS)/librace.o $(STRESS)/librace-serial.o: tests/stress/librace.c include/amxshim/resolver.h resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(STRESS_CFLAGS) $(RESOLVER_CFLAGS) $(if $(findstring serial,$@),-DSERIALIZE_PLATFORM) -c $< -o $@
# (--no-undefined only without a sanitizer: an instrumented library leaves the runtime to the program.)
STRESS_NOUNDEF := $(if $(findstring -fsanitize,$(CFLAGS)),,-Wl,--no-undefined)
$(STRESS)/librace-real.so: $(STRESS)/librace.o $(BUILD)/libamxresolver.a
	$(CC) $(CFLAGS) -shared $(STRESS_NOUNDEF) $(STRESS_WRAP) -o $@ $^
$(STRESS)/librace-fake.so: $(STRESS)/librace-serial.o $(FAKE_RESOLVER_LIB)
	$(CC) $(CFLAGS) -shared $(STRESS_NOUNDEF) $(STRESS_WRAP) -o $@ $^

# The same race under ThreadSanitizer: the program, librace and every resolver source (and the fake)
# instrumented, in $(STRESS)/tsan. Built only where $(CC) can link -fsanitize=thread (GCC: libtsan2, a
# dependency of Debian's gcc; clang: libclang-rt); race.sh reports SKIP for that part otherwise.
TSAN := $(STRESS)/tsan
TSAN_CFLAGS := $(BASE_CFLAGS) $(filter-out -fsanitize=%,$(CFLAGS)) -O1 -g -fsanitize=thread
TSAN_WORKS := $(shell echo 'int main(void){return 0;}' | $(CC) -fsanitize=thread -x c - -o /dev/null 2>/dev/null \
	&& echo yes)
TSAN_BINS := $(TSAN)/race $(TSAN)/librace-real.so $(TSAN)/librace-fake.so
TEST_DEPS += $(if $(TSAN_WORKS),$(TSAN_BINS))

$(TSAN)/resolver/%.o: resolver/%.c include/amxshim/resolver.h resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(TSAN_CFLAGS) $(RESOLVER_CFLAGS) -c $< -o $@
$(TSAN)/fake_platform.o: tests/fake/fake_platform.c tests/fake/fake_platform.h resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(TSAN_CFLAGS) $(RESOLVER_CFLAGS) -c $< -o $@
$(TSAN)/librace.o $(TSAN)/librace-serial.o: tests/stress/librace.c include/amxshim/resolver.h resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(TSAN_CFLAGS) $(RESOLVER_CFLAGS) $(if $(findstring serial,$@),-DSERIALIZE_PLATFORM) -c $< -o $@
$(TSAN)/race: tests/stress/race.c
	@mkdir -p $(@D)
	$(CC) $(TSAN_CFLAGS) -pthread -o $@ $< -ldl
$(TSAN)/librace-real.so: $(TSAN)/librace.o $(RESOLVER_SRCS:resolver/%.c=$(TSAN)/resolver/%.o)
	$(CC) $(TSAN_CFLAGS) -shared $(STRESS_WRAP) -o $@ $^
$(TSAN)/librace-fake.so: $(TSAN)/librace-serial.o $(TSAN)/fake_platform.o \
		$(filter-out %/platform.o,$(RESOLVER_SRCS:resolver/%.c=$(TSAN)/resolver/%.o))
	$(CC) $(TSAN_CFLAGS) -shared $(STRESS_WRAP) -o $@ $^

# make asan / ubsan / valgrind: the race (plain build, instrumented by those builds' CFLAGS) and the
# dlopen/dlclose cycles, shorter; sanitize.sh runs them under $VALGRIND when set.
SANITIZE_TESTS += tests/stress/sanitize.sh
SANITIZE_DEPS += $(addprefix $(STRESS)/,race librace-real.so librace-fake.so dlcycle) \
	$(BUILD)/tests/integration/libifunc-now.so

# `make tsan`: only the race tests, under ThreadSanitizer (make check runs them too).
.PHONY: tsan
tsan: $(TSAN_BINS) $(addprefix $(STRESS)/,race librace-real.so librace-fake.so) $(BUILD)/tests/integration/amxtruth
	@BUILD=$(BUILD) scripts/run-tests tests/stress/race.sh
