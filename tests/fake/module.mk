# SPDX-License-Identifier: MIT
# The fake platform, and FAKE_RESOLVER_LIB: the resolver with the fake in place of resolver/platform.o (the
# link-time seam, no hardware access), for the resolver tests and other fragments' fake builds.
FAKE_RESOLVER_OBJS := $(filter-out %/platform.o,$(RESOLVER_SRCS:%.c=$(BUILD)/%.o))

TEST_DEPS += $(FAKE_RESOLVER_LIB)
# The fake may run inside IFUNC resolvers (AMXSHIM_FAKE_CPU path).
RESOLVER_CONTEXT += $(FAKE_OBJ)

# Refuse a fake that calls libc: its only outside references may be the resolver's amx_startenv_get and the
# freestanding helpers (resolver/freestanding.h).
$(FAKE_RESOLVER_LIB): $(FAKE_RESOLVER_OBJS) $(FAKE_OBJ)
	@undef=$$($(NM) -u $(FAKE_OBJ) | awk '{print $$2}' | grep -v -x -e amx_startenv_get -e amx_caches_reset -e amx_memzero -e amx_copy -e 'amx_line_[a-z]*' -e '__[a-z]*san_.*' -e _GLOBAL_OFFSET_TABLE_); \
	if [ -n "$$undef" ]; then echo "$(FAKE_OBJ) must not call libc, it references: $$undef" >&2; exit 1; fi
	@rm -f $@
	$(AR) rcs $@ $^
