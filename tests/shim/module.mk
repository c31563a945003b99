# SPDX-License-Identifier: MIT
# The shim's sigaltstack guard: on the real kernel, and on a fake platform + fake kernel that grant AMX
# (CI machines without AMX cannot).
SHIM_TEST_DIR := $(BUILD)/tests/shim
ALTSTACK_PROG := $(SHIM_TEST_DIR)/altstack_prog
FAKE_SHIM := $(SHIM_TEST_DIR)/libamxshim-fake.so

TESTS += tests/shim/altstack-noop.sh tests/shim/altstack-amx.sh tests/shim/altstack-fake.sh tests/shim/altstack-efault.sh \
	tests/shim/sigpipe.sh tests/shim/imports.sh
TEST_DEPS += $(BUILD)/tests/integration/amxtruth $(ALTSTACK_PROG) $(FAKE_SHIM) $(SHIM_TEST_DIR)/epipe_prog

$(ALTSTACK_PROG): $(SHIM_TEST_DIR)/altstack_prog.o
	$(LINK) -o $@ $< -lpthread

$(SHIM_TEST_DIR)/epipe_prog: $(SHIM_TEST_DIR)/epipe_prog.o
	$(LINK) -o $@ $<

$(SHIM_TEST_DIR)/fake_altstack_sys.o: OBJ_CFLAGS = $(SHIM_API_FLAGS)

# The real shim objects with the two seams replaced: fake platform, fake sigaltstack system call.
$(FAKE_SHIM): $(filter-out %/altstack_sys.o,$(SHIM_OBJS)) $(filter-out %/platform.o,$(SHIM_RESOLVER_OBJS)) \
		$(FAKE_OBJ) $(SHIM_TEST_DIR)/fake_altstack_sys.o amxshim.map
	$(SHIM_LINK) -o $@ $(filter %.o,$^)
