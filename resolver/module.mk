# SPDX-License-Identifier: MIT
# libamxresolver.a: the probe and decision, linked (static, hidden) into libraries and into the shim.
RESOLVER_OBJS := $(RESOLVER_SRCS:%.c=$(BUILD)/%.o)

ALL_TARGETS += $(BUILD)/libamxresolver.a
INSTALL_LIB += $(BUILD)/libamxresolver.a
RESOLVER_CONTEXT += $(RESOLVER_OBJS)

$(BUILD)/libamxresolver.a: $(RESOLVER_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^
