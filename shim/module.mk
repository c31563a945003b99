# SPDX-License-Identifier: MIT
# libamxshim.so: the resolver compiled again with its API exported (AMXSHIM_1.0), plus the early hook.
SHIM_RESOLVER_OBJS := $(RESOLVER_SRCS:resolver/%.c=$(BUILD)/shim/resolver/%.o)
SHIM_API_FLAGS := '-DAMXSHIM_API=__attribute__((visibility("default")))'

ALL_TARGETS += $(BUILD)/libamxshim.so
INSTALL_LIB += $(BUILD)/libamxshim.so $(BUILD)/libamxresolver.a

$(BUILD)/shim/resolver/%.o: resolver/%.c include/amxshim/resolver.h resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(RESOLVER_CFLAGS) $(SHIM_API_FLAGS) $(CFLAGS) -c $< -o $@

# The early hook runs inside an IFUNC resolver: same restrictions as the resolver code.
$(BUILD)/shim/shim.o $(BUILD)/shim/stderr.o: $(BUILD)/shim/%.o: shim/%.c include/amxshim/resolver.h \
		resolver/internal.h shim/report.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(RESOLVER_CFLAGS) $(SHIM_API_FLAGS) $(CFLAGS) -c $< -o $@

# The sigaltstack guard is ordinary code (never runs inside a resolver).
$(BUILD)/shim/altstack.o $(BUILD)/shim/altstack_sys.o: $(BUILD)/shim/%.o: shim/%.c shim/altstack.h shim/report.h \
		resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SHIM_API_FLAGS) $(CFLAGS) -c $< -o $@

SHIM_OBJS := $(BUILD)/shim/shim.o $(BUILD)/shim/stderr.o $(BUILD)/shim/altstack.o
# -Bsymbolic-functions: the shim's own calls to its API bind locally, never through the PLT.
# -z nodelete: dlclose() never unloads the shim. The kernel may still run handlers on substitute stacks it
# owns, threads still hold its thread-exit destructor (a pthread key), and the program's sigaltstack()
# answers depend on its table: none of that can be undone safely while other threads run (issue 9 bug 3:
# each unload leaked a key until pthread_key_create failed). A second dlopen() reuses the loaded copy.
SHIM_LDFLAGS := -Wl,-Bsymbolic-functions -Wl,-z,nodelete -Wl,--version-script=amxshim.map
$(BUILD)/libamxshim.so: $(SHIM_OBJS) $(BUILD)/shim/altstack_sys.o $(SHIM_RESOLVER_OBJS) amxshim.map
	$(CC) $(LIB_LDFLAGS) $(SHIM_LDFLAGS) -o $@ \
		$(SHIM_OBJS) $(BUILD)/shim/altstack_sys.o $(SHIM_RESOLVER_OBJS)
