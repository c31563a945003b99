# SPDX-License-Identifier: MIT
TOOLS_TEST := $(BUILD)/tests/tools
TESTS += tests/tools/amxinfo.sh tests/tools/amxrun.sh tests/tools/readme-build.sh tests/tools/demo.sh
TEST_DEPS += $(TOOLS_TEST)/static-perm $(TOOLS_TEST)/asan-prog $(TOOLS_TEST)/amxrun-exec-fake
SANITIZE_TESTS += tests/tools/amxinfo-smoke.sh
SANITIZE_DEPS += $(BUILD)/amxinfo
# amxinfo --verify: amxinfo over the fake platform, so that a "usable" decision can be scripted and
# its tile instructions run under libamxemu or fault where no AMX exists.
TESTS += tests/tools/verify.sh tests/tools/verify-hw.sh tests/tools/nfd.sh
TEST_DEPS += $(BUILD)/tests/tools/amxinfo-fake $(BUILD)/libamxemu.so $(BUILD)/tests/integration/seccomp-run
$(BUILD)/tests/tools/amxinfo-fake: $(BUILD)/tools/amxinfo.o $(BUILD)/tools/verify.o $(BUILD)/tools/nfd.o $(FAKE_RESOLVER_LIB)
	@mkdir -p $(@D)
	$(LINK) -o $@ $^

$(TOOLS_TEST)/static-perm.o: override CFLAGS := $(filter-out -fsanitize=%,$(CFLAGS))
$(TOOLS_TEST)/static-perm: $(TOOLS_TEST)/static-perm.o
	$(CC) $(filter-out -fsanitize=%,$(CFLAGS)) $(LDFLAGS) -static -o $@ $<

# A real gcc -fsanitize=address program (dynamic libasan). Where gcc or its ASan runtime is missing, a
# stand-in that has no libasan in DT_NEEDED: the test then skips its ASan part.
ASAN_PROG_CC ?= gcc
$(TOOLS_TEST)/asan-prog: tests/tools/asan-prog.c
	@mkdir -p $(@D)
	$(ASAN_PROG_CC) -std=gnu11 -O1 -g -fsanitize=address -o $@ $< 2>/dev/null || $(CC) -std=gnu11 $(CFLAGS) -o $@ $<

# amxrun's helper on the fake platform fed a Sapphire Rapids fixture: every layer but the kernel agrees,
# so the static-executable path really injects its request into the program (the real kernel answers).
$(TOOLS_TEST)/amxrun-exec-fake: $(BUILD)/tools/amxrun-exec.o $(BUILD)/tools/explain.o \
		$(BUILD)/tools/amxrun-exec-scan/x86len.o $(BUILD)/tools/amxrun-exec-scan/classify.o $(FAKE_RESOLVER_LIB)
	@mkdir -p $(@D)
	$(CC) $(AMXRUN_EXEC_CFLAGS) $(LDFLAGS) -static -o $@ $^

# amxrun --explain: the crashes it explains (tests/tools/explain.sh).
TESTS += tests/tools/explain.sh
TEST_DEPS += $(TOOLS_TEST)/explain-prog $(BUILD)/tests/integration/amxtruth
$(TOOLS_TEST)/explain-prog: $(TOOLS_TEST)/explain-prog.o
	$(LINK) -o $@ $< -pthread
