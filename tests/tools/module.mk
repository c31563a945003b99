# SPDX-License-Identifier: MIT
TESTS += tests/tools/amxinfo.sh
SANITIZE_TESTS += tests/tools/amxinfo-smoke.sh
SANITIZE_DEPS += $(BUILD)/amxinfo
# amxinfo --verify (issue 11): amxinfo over the fake platform, so that a "usable" decision can be scripted and
# its tile instructions run under libamxemu or fault where no AMX exists.
TESTS += tests/tools/verify.sh tests/tools/verify-hw.sh
TEST_DEPS += $(BUILD)/tests/tools/amxinfo-fake $(BUILD)/libamxemu.so $(BUILD)/tests/integration/seccomp-run
$(BUILD)/tests/tools/amxinfo-fake: $(BUILD)/tools/amxinfo.o $(BUILD)/tools/verify.o $(BUILD)/libamxresolver-fake.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^
