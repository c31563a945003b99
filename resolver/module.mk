# SPDX-License-Identifier: MIT
# libamxresolver.a: the probe and decision, linked (static, hidden) into libraries and into the shim.
RESOLVER_SRCS := resolver/platform.c resolver/probe.c resolver/decide.c resolver/startenv.c resolver/api.c
RESOLVER_OBJS := $(RESOLVER_SRCS:%.c=$(BUILD)/%.o)
# The same code without the hardware file: tests link a fake platform in its place (the link-time seam).
RESOLVER_PURE_OBJS := $(filter-out $(BUILD)/resolver/platform.o,$(RESOLVER_OBJS))

ALL_TARGETS += $(BUILD)/libamxresolver.a

# Resolver code runs before any sanitizer or profiling runtime exists: it is never instrumented, whatever
# CFLAGS say (a library built with -fsanitize=address must still load). `make RESOLVER_NO_INSTRUMENT=`
# instruments it as ordinary code, for unit tests that call it after start-up.
RESOLVER_NO_INSTRUMENT ?= -fno-sanitize=all -fno-profile-generate -fno-profile-arcs \
	$(call cc-option,-fno-instrument-functions) $(call cc-option,-fno-profile-instr-generate)

$(BUILD)/resolver/%.o: resolver/%.c include/amxshim/resolver.h resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(RESOLVER_CFLAGS) $(CFLAGS) $(RESOLVER_NO_INSTRUMENT) -c $< -o $@

$(BUILD)/libamxresolver.a: $(RESOLVER_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^
