# SPDX-License-Identifier: MIT
# libamxshim.so.1: the resolver compiled again with its API exported (AMXSHIM_1.0), plus the early hook.
# libamxshim.so (a link to it) is the LD_PRELOAD path.
SHIM_API_FLAGS := '-DAMXSHIM_API=__attribute__((visibility("default")))'
SHIM_SONAME := libamxshim.so.1

ALL_TARGETS += $(BUILD)/libamxshim.so $(BUILD)/$(SHIM_SONAME)
INSTALL_SHLIB += $(BUILD)/$(SHIM_SONAME)
# The early hook runs inside an IFUNC resolver; settings.c and the sigaltstack guard (altstack*.c) are
# ordinary code.
RESOLVER_CONTEXT += $(SHIM_RESOLVER_OBJS) $(BUILD)/shim/shim.o $(BUILD)/shim/stderr.o

$(SHIM_RESOLVER_OBJS) $(SHIM_OBJS): OBJ_CFLAGS = $(SHIM_API_FLAGS)
$(eval $(call COMPILE_RULE,$(BUILD)/shim/resolver,resolver/))

# The one shim link, for the shim and its test builds (which replace or add objects):
# -Bsymbolic-functions: the shim's own calls to its API bind locally, never through the PLT.
SHIM_LINK = $(SHLINK) -Wl,-Bsymbolic-functions -Wl,--version-script=amxshim.map
# In the build tree libamxshim.so is the file (tools that refuse links, like readelf, take the LD_PRELOAD
# path) and the SONAME a link to it; the install copies it as the SONAME file with the usual .so link.
$(BUILD)/libamxshim.so: $(SHIM_OBJS) $(SHIM_RESOLVER_OBJS) amxshim.map
	$(SHIM_LINK) -Wl,-soname,$(SHIM_SONAME) -o $@ $(filter %.o,$^)
$(BUILD)/$(SHIM_SONAME): $(BUILD)/libamxshim.so
	ln -sf $(<F) $@
