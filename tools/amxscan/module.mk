# SPDX-License-Identifier: MIT
# amxscan: reports which ELF files use AMX and whether they ask for permission (amxscan(1)).
AMXSCAN_CORE := $(patsubst %,tools/amxscan/%.c,x86len classify symbols calls codewalk segments elfinfo jit scan report scanfile deps ifunc ifuncwalk ifuncreport)
AMXSCAN_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(AMXSCAN_CORE) tools/amxscan/main.c)

ALL_TARGETS += $(BUILD)/amxscan
INSTALL_BIN += $(BUILD)/amxscan
INSTALL_MAN1 += man/amxscan.1
TESTS += tests/amxscan/run.sh tests/amxscan/decoder.sh tests/amxscan/nextgen.sh tests/amxscan/fuzz-smoke.sh tests/amxscan/patterns.sh tests/amxscan/odd.sh \
	tests/amxscan/field.sh tests/amxscan/manycpu.sh tests/amxscan/check-ifunc.sh
TEST_DEPS += $(BUILD)/amxscan $(BUILD)/tests/amxscan/lencheck $(BUILD)/tests/amxscan/sysconf512.so
# field.sh strips the project's own binaries: a distribution ships them stripped.
TEST_DEPS += $(BUILD)/amxinfo $(BUILD)/libamxshim.so $(BUILD)/amxrun-exec $(BUILD)/libamxkernels.so
# check-ifunc.sh: the project's own resolvers, and fixtures linked with the resolver library.
TEST_DEPS += $(BUILD)/libamxemu.so $(BUILD)/libamxresolver.a

$(BUILD)/amxscan: $(AMXSCAN_OBJS)
	$(LINK) -o $@ $^ -lelf

# The decoder checked line by line against objdump (tests/amxscan/decoder.sh).
$(BUILD)/tests/amxscan/lencheck: $(BUILD)/tests/amxscan/lencheck.o $(BUILD)/tools/amxscan/x86len.o \
		$(BUILD)/tools/amxscan/classify.o
	$(LINK) -o $@ $^

# A sysconf() that reports 512 CPUs (tests/amxscan/manycpu.sh).
$(BUILD)/tests/amxscan/sysconf512.so: $(BUILD)/tests/amxscan/fixtures/sysconf512.o
	$(LINK) -shared -Wl,--no-undefined -o $@ $< -ldl

# libFuzzer build of the ELF and decoder paths; clang only, never part of `all`.
FUZZ_CC ?= clang
FUZZ_TIME ?= 600
# tests/amxscan/fuzz-smoke.sh runs it where FUZZ_CC has libFuzzer (else that test skips).
TEST_DEPS += $(if $(filter /%,$(shell $(FUZZ_CC) -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)),$(BUILD)/fuzz-amxscan)
$(BUILD)/fuzz-amxscan: $(AMXSCAN_CORE) tools/amxscan/fuzz.c $(wildcard tools/amxscan/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) -Iinclude $(CPPFLAGS) -D_GNU_SOURCE $(WARN) $(BASE_CFLAGS) -g -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(LDFLAGS) -o $@ $(AMXSCAN_CORE) tools/amxscan/fuzz.c -lelf

# Long run; new inputs are kept in tests/amxscan/corpus/. FUZZ_TIME=seconds.
.PHONY: fuzz
fuzz: $(BUILD)/fuzz-amxscan
	@mkdir -p tests/amxscan/corpus
	$(BUILD)/fuzz-amxscan -max_total_time=$(FUZZ_TIME) -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
		-print_final_stats=1 tests/amxscan/corpus

.PHONY: bench-amxscan
bench-amxscan: $(BUILD)/amxscan
	scripts/bench-amxscan $(BENCH_FILES)
