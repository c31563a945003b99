# SPDX-License-Identifier: MIT
# Unit tests of the resolver over the fake platform (the link-time seam: platform.o left out).
# Reusable by other modules: FAKE_RESOLVER_LIB (resolver + fake, no hardware access), FAKE_PLATFORM_H's
# directory for -I, and FIXTURE_DIR (CPUID fixtures; tests take it from argv or AMXSHIM_FIXTURE_DIR).
FAKE_RESOLVER_LIB := $(BUILD)/libamxresolver-fake.a
FAKE_PLATFORM_DIR := tests/fake
FIXTURE_DIR := tests/fixtures/cpuid

FAKE_OBJ := $(BUILD)/tests/fake/fake_platform.o
UNIT_TESTS := $(BUILD)/tests/unit/test_decide $(BUILD)/tests/unit/test_api

TESTS += $(UNIT_TESTS)
TEST_DEPS += $(UNIT_TESTS) $(FAKE_RESOLVER_LIB)

# The fake may run inside IFUNC resolvers (AMXSHIM_FAKE_CPU path): same flags as the resolver code.
$(FAKE_OBJ): tests/fake/fake_platform.c tests/fake/fake_platform.h include/amxshim/resolver.h resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(RESOLVER_CFLAGS) $(CFLAGS) -c $< -o $@

# Refuse a fake that calls libc: its only outside reference may be the resolver's own amx_startenv_get.
$(FAKE_RESOLVER_LIB): $(RESOLVER_PURE_OBJS) $(FAKE_OBJ)
	@undef=$$(nm -u $(FAKE_OBJ) | awk '{print $$2}' | grep -v -x -e amx_startenv_get -e '__[a-z]*san_.*' -e _GLOBAL_OFFSET_TABLE_); \
	if [ -n "$$undef" ]; then echo "$(FAKE_OBJ) must not call libc, it references: $$undef" >&2; exit 1; fi
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/tests/unit/%.o: tests/unit/%.c tests/unit/unit.h tests/fake/fake_platform.h include/amxshim/resolver.h \
		resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -c $< -o $@

$(UNIT_TESTS): $(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/unit.o $(FAKE_RESOLVER_LIB)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/tests/unit/unit.o $(FAKE_RESOLVER_LIB) -lcmocka
SANITIZE_TESTS += $(UNIT_TESTS)
