# SPDX-License-Identifier: MIT
# The library author's view of <amxshim/resolver.h>: the header under every standard and warning set,
# compile errors for a wrong registry, AMXSHIM_BOUND in every link mode, libraries built with sanitizers and
# profiling, what the API asks the kernel and the CPU (fake platform), and the section-3 pages' examples.
# Drivers are scripts here; they compile with whatever compilers are installed (gcc, clang-14, clang-22)
# and skip the missing ones.
HDT := $(BUILD)/tests/header
HDT_CFLAGS = -Iinclude $(CPPFLAGS) -D_GNU_SOURCE $(WARN) $(CFLAGS) $(BASE_CFLAGS) -Itests/fake -Iexamples $(LDFLAGS)

TESTS += tests/header/hygiene.sh tests/header/compile-fail.sh tests/header/bound.sh \
	tests/header/instrumented.sh $(HDT)/requests tests/header/cost.sh tests/header/lto.sh \
	tests/header/man-examples.sh
TEST_DEPS += $(HDT)/requests $(HDT)/cost $(BUILD)/libamxresolver.a $(FAKE_RESOLVER_LIB)
# man-examples.sh: the section-3 pages' programs, the AMX one executed by libamxemu, amxtruth the oracle.
TEST_DEPS += $(BUILD)/libamxemu.so $(BUILD)/tests/integration/amxtruth

$(HDT)/requests: tests/header/requests.c tests/fake/fake_platform.h include/amxshim/resolver.h $(FAKE_RESOLVER_LIB)
	@mkdir -p $(@D)
	$(CC) $(HDT_CFLAGS) -o $@ $< $(FAKE_RESOLVER_LIB)

# The example library's objects in a program, with the fake platform, to count what a load costs.
$(HDT)/cost: tests/header/cost.c tests/fake/fake_platform.h $(wildcard examples/*.h) $(EX_OBJS) $(FAKE_RESOLVER_LIB)
	@mkdir -p $(@D)
	$(CC) $(HDT_CFLAGS) -o $@ $< $(EX_OBJS) $(FAKE_RESOLVER_LIB) -lm
