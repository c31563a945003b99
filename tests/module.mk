# SPDX-License-Identifier: MIT
# Unit tests of the resolver over the fake platform (the link-time seam: platform.o left out).
# FAKE_RESOLVER_LIB (resolver + fake, no hardware access) is reused by other fragments.
UNIT_TESTS := $(BUILD)/tests/unit/test_decide $(BUILD)/tests/unit/test_api

TESTS += $(UNIT_TESTS)
TEST_DEPS += $(UNIT_TESTS) $(FAKE_RESOLVER_LIB)

# The fake may run inside IFUNC resolvers (AMXSHIM_FAKE_CPU path).
RESOLVER_CONTEXT += $(FAKE_OBJ)

# Refuse a fake that calls libc: its only outside references may be the resolver's amx_startenv_get and the
# freestanding helpers (resolver/freestanding.h).
$(FAKE_RESOLVER_LIB): $(RESOLVER_PURE_OBJS) $(FAKE_OBJ)
	@undef=$$($(NM) -u $(FAKE_OBJ) | awk '{print $$2}' | grep -v -x -e amx_startenv_get -e amx_memzero -e amx_copy -e 'amx_line_[a-z]*' -e '__[a-z]*san_.*' -e _GLOBAL_OFFSET_TABLE_); \
	if [ -n "$$undef" ]; then echo "$(FAKE_OBJ) must not call libc, it references: $$undef" >&2; exit 1; fi
	@rm -f $@
	$(AR) rcs $@ $^

$(UNIT_TESTS): $(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/unit.o $(FAKE_RESOLVER_LIB)
	$(LINK) -o $@ $< $(BUILD)/tests/unit/unit.o $(FAKE_RESOLVER_LIB) -lcmocka
SANITIZE_TESTS += $(UNIT_TESTS)
