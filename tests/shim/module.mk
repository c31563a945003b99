# SPDX-License-Identifier: MIT
# The shim's sigaltstack guard: on the real kernel, and on a fake platform + fake kernel that grant AMX
# (CI machines without AMX cannot).
SHIM_TEST_DIR := $(BUILD)/tests/shim
ALTSTACK_PROG := $(SHIM_TEST_DIR)/altstack_prog
FAKE_SHIM := $(SHIM_TEST_DIR)/libamxshim-fake.so

TESTS += tests/shim/altstack-noop.sh tests/shim/altstack-amx.sh tests/shim/altstack-fake.sh tests/shim/altstack-efault.sh \
	tests/shim/sigpipe.sh
TEST_DEPS += $(ALTSTACK_PROG) $(FAKE_SHIM) $(SHIM_TEST_DIR)/epipe_prog

$(ALTSTACK_PROG): tests/shim/altstack_prog.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< -lpthread

$(SHIM_TEST_DIR)/epipe_prog: tests/shim/epipe_prog.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $<

$(SHIM_TEST_DIR)/fake_altstack_sys.o: tests/shim/fake_altstack_sys.c shim/altstack.h resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SHIM_API_FLAGS) $(CFLAGS) -c $< -o $@

# The real shim objects with the two seams replaced: fake platform, fake sigaltstack system call.
$(FAKE_SHIM): $(SHIM_OBJS) $(filter-out %/platform.o,$(SHIM_RESOLVER_OBJS)) $(FAKE_OBJ) \
		$(SHIM_TEST_DIR)/fake_altstack_sys.o amxshim.map
	$(CC) $(LIB_LDFLAGS) $(SHIM_LDFLAGS) -o $@ \
		$(filter %.o,$^)
