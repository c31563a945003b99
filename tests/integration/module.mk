# SPDX-License-Identifier: MIT
# Integration tests: the real loader and the real kernel. Helpers are built into $(BUILD)/tests/integration;
# the drivers are shell scripts in this directory (each exits 0 pass, 77 skip, else fail).
ITEST := $(BUILD)/tests/integration
ITEST_CFLAGS := $(BASE_CFLAGS) $(CFLAGS)
# BASE_CFLAGS is C-only in places; g++ would warn (and -Werror fail) on these.
ITEST_CXXFLAGS := $(filter-out -std=gnu11 -Wstrict-prototypes -Wmissing-prototypes,$(BASE_CFLAGS)) -std=gnu++17 \
	$(CFLAGS)
ITEST_RPATH := -Wl,-rpath,'$$ORIGIN'

ITEST_PROGS := static-prog amxtruth seccomp-run hello forkexec ordering ctorthreads ifunc-lazy ifunc-now ifunc-dlopen \
	secure-prog cxxthreads earlyhook-prog relink-main
ITEST_LIBS := libordering.so libctorthreads.so libifunc-lazy.so libifunc-now.so librelinka.so librelinkb.so

TEST_DEPS += $(addprefix $(ITEST)/,$(ITEST_PROGS) $(ITEST_LIBS))
TESTS += tests/integration/hygiene.sh tests/integration/transparency.sh tests/integration/disable.sh \
	tests/integration/faults.sh tests/integration/ordering.sh tests/integration/ifunc.sh \
	tests/integration/secure.sh tests/integration/ldso.sh tests/integration/static.sh \
	tests/integration/earlyhook.sh tests/integration/relink.sh

# The drivers find the helpers under $BUILD (relative to the repository root).
check: export BUILD := $(BUILD)

$(ITEST)/%.o: tests/integration/%.c tests/integration/tileop.h include/amxshim/resolver.h
	@mkdir -p $(@D)
	$(CC) $(ITEST_CFLAGS) -c $< -o $@

$(ITEST)/amxtruth $(ITEST)/seccomp-run $(ITEST)/hello $(ITEST)/forkexec: $(ITEST)/%: $(ITEST)/%.o
	$(CC) $(CFLAGS) -o $@ $<

$(ITEST)/cxxthreads: tests/integration/cxxthreads.cc
	@mkdir -p $(@D)
	$(CXX) $(ITEST_CXXFLAGS) -pthread -o $@ $<

$(ITEST)/libordering.so $(ITEST)/libctorthreads.so: $(ITEST)/%.so: $(ITEST)/%.o
	$(CC) $(CFLAGS) -shared -pthread -Wl,--no-undefined -o $@ $<

$(ITEST)/ordering: $(ITEST)/ordering.o $(ITEST)/libordering.so
	$(CC) $(CFLAGS) -o $@ $< -L$(ITEST) -lordering $(ITEST_RPATH)

$(ITEST)/ctorthreads: $(ITEST)/ctorthreads.o $(ITEST)/libctorthreads.so
	$(CC) $(CFLAGS) -pthread -o $@ $< -L$(ITEST) -lctorthreads $(ITEST_RPATH)

# The IFUNC library with the static resolver, once under lazy binding and once with BIND_NOW.
$(ITEST)/libifunc-lazy.so: $(ITEST)/libifunc.o $(BUILD)/libamxresolver.a
	$(CC) $(CFLAGS) -shared -Wl,--no-undefined -Wl,-z,lazy -Wl,-soname,libifunc-lazy.so -o $@ $^
$(ITEST)/libifunc-now.so: $(ITEST)/libifunc.o $(BUILD)/libamxresolver.a
	$(CC) $(CFLAGS) -shared -Wl,--no-undefined -Wl,-z,now -Wl,-soname,libifunc-now.so -o $@ $^

$(ITEST)/ifunc-lazy: $(ITEST)/ifunc-main.o $(ITEST)/libifunc-lazy.so
	$(CC) $(CFLAGS) -Wl,-z,lazy -o $@ $< -L$(ITEST) -l:libifunc-lazy.so $(ITEST_RPATH)
$(ITEST)/ifunc-now: $(ITEST)/ifunc-main.o $(ITEST)/libifunc-now.so
	$(CC) $(CFLAGS) -Wl,-z,now -o $@ $< -L$(ITEST) -l:libifunc-now.so $(ITEST_RPATH)
$(ITEST)/ifunc-dlopen: $(ITEST)/ifunc-dlopen.o
	$(CC) $(CFLAGS) -o $@ $< -ldl

# Linked to the shim itself with an absolute RUNPATH: a setgid copy still loads it (secure.sh).
$(ITEST)/secure-prog: $(ITEST)/secure-prog.o $(BUILD)/libamxshim.so
	$(CC) $(CFLAGS) -o $@ $< -Wl,--no-as-needed -L$(BUILD) -l:libamxshim.so \
		-Wl,-rpath,$(abspath $(BUILD))

# Static: the resolver code runs from __libc_start_main's IRELATIVE pass (no stack protector there).
$(ITEST)/static-prog: tests/integration/static-prog.c include/amxshim/resolver.h $(BUILD)/libamxresolver.a
	@mkdir -p $(@D)
	$(CC) $(ITEST_CFLAGS) $(RESOLVER_CFLAGS) -static -o $@ $< $(BUILD)/libamxresolver.a

# Exports functions named like the shim's early hook (earlyhook.sh).
$(ITEST)/earlyhook-prog: $(ITEST)/earlyhook-prog.o
	$(CC) $(CFLAGS) -rdynamic -o $@ $<

# glibc's "Relink" case (relink.sh): librelinkb uses librelinka's IFUNC without DT_NEEDED on it.
$(ITEST)/librelinka.o: tests/integration/librelinka.c include/amxshim/resolver.h
	@mkdir -p $(@D)
	$(CC) $(ITEST_CFLAGS) $(RESOLVER_CFLAGS) -c $< -o $@
$(ITEST)/librelinka.so: $(ITEST)/librelinka.o $(BUILD)/libamxresolver.a
	$(CC) $(CFLAGS) -shared -Wl,--no-undefined -o $@ $^
$(ITEST)/librelinkb.so: $(ITEST)/librelinkb.o
	$(CC) $(CFLAGS) -shared -Wl,--allow-shlib-undefined -o $@ $<
$(ITEST)/relink-main: $(ITEST)/relink-main.o $(ITEST)/librelinkb.so
	$(CC) $(CFLAGS) -o $@ $< -L$(ITEST) -lrelinkb -Wl,--allow-shlib-undefined -ldl $(ITEST_RPATH)
