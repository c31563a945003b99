# SPDX-License-Identifier: MIT
# Integration tests: the real loader and the real kernel. Helpers are built into $(BUILD)/tests/integration;
# the drivers are shell scripts in this directory (each exits 0 pass, 77 skip, else fail).
ITEST := $(BUILD)/tests/integration
# WARN is C-only in places; g++ would warn (and -Werror fail) on these.
ITEST_CXX = $(CXX) -Iinclude $(CPPFLAGS) -D_GNU_SOURCE $(filter-out -Wstrict-prototypes -Wmissing-prototypes,$(WARN)) \
	$(CXXFLAGS) -std=gnu++17 -fPIC -fvisibility=hidden -MMD -MP $(LDFLAGS)
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

$(ITEST)/amxtruth $(ITEST)/seccomp-run $(ITEST)/hello $(ITEST)/forkexec: $(ITEST)/%: $(ITEST)/%.o
	$(LINK) -o $@ $<

$(ITEST)/cxxthreads: tests/integration/cxxthreads.cc
	@mkdir -p $(@D)
	$(ITEST_CXX) -pthread -o $@ $<

$(ITEST)/libordering.so $(ITEST)/libctorthreads.so: $(ITEST)/%.so: $(ITEST)/%.o
	$(LINK) -shared -pthread -Wl,--no-undefined -o $@ $<

$(ITEST)/ordering: $(ITEST)/ordering.o $(ITEST)/libordering.so
	$(LINK) -o $@ $< -L$(ITEST) -lordering $(ITEST_RPATH)

$(ITEST)/ctorthreads: $(ITEST)/ctorthreads.o $(ITEST)/libctorthreads.so
	$(LINK) -pthread -o $@ $< -L$(ITEST) -lctorthreads $(ITEST_RPATH)

# The IFUNC library with the static resolver, once under lazy binding and once with BIND_NOW.
$(ITEST)/libifunc-lazy.so: $(ITEST)/libifunc.o $(BUILD)/libamxresolver.a
	$(LINK) -shared -Wl,--no-undefined -Wl,-z,lazy -Wl,-soname,libifunc-lazy.so -o $@ $^
$(ITEST)/libifunc-now.so: $(ITEST)/libifunc.o $(BUILD)/libamxresolver.a
	$(LINK) -shared -Wl,--no-undefined -Wl,-z,now -Wl,-soname,libifunc-now.so -o $@ $^

$(ITEST)/ifunc-lazy: $(ITEST)/ifunc-main.o $(ITEST)/libifunc-lazy.so
	$(LINK) -Wl,-z,lazy -o $@ $< -L$(ITEST) -l:libifunc-lazy.so $(ITEST_RPATH)
$(ITEST)/ifunc-now: $(ITEST)/ifunc-main.o $(ITEST)/libifunc-now.so
	$(LINK) -Wl,-z,now -o $@ $< -L$(ITEST) -l:libifunc-now.so $(ITEST_RPATH)
$(ITEST)/ifunc-dlopen: $(ITEST)/ifunc-dlopen.o
	$(LINK) -o $@ $< -ldl

# Linked to the shim itself with an absolute RUNPATH: a setgid copy still loads it (secure.sh).
$(ITEST)/secure-prog: $(ITEST)/secure-prog.o $(BUILD)/libamxshim.so
	$(LINK) -o $@ $< -Wl,--no-as-needed -L$(BUILD) -l:libamxshim.so \
		-Wl,-rpath,$(abspath $(BUILD))

# Static: the resolver code runs from __libc_start_main's IRELATIVE pass (no stack protector there).
RESOLVER_CONTEXT += $(ITEST)/static-prog.o $(ITEST)/librelinka.o
$(ITEST)/static-prog: $(ITEST)/static-prog.o $(BUILD)/libamxresolver.a
	$(LINK) -static -o $@ $^

# Exports functions named like the shim's early hook (earlyhook.sh).
$(ITEST)/earlyhook-prog: $(ITEST)/earlyhook-prog.o
	$(LINK) -rdynamic -o $@ $<

# glibc's "Relink" case (relink.sh): librelinkb uses librelinka's IFUNC without DT_NEEDED on it.
$(ITEST)/librelinka.so: $(ITEST)/librelinka.o $(BUILD)/libamxresolver.a
	$(LINK) -shared -Wl,--no-undefined -o $@ $^
$(ITEST)/librelinkb.so: $(ITEST)/librelinkb.o
	$(LINK) -shared -Wl,--allow-shlib-undefined -o $@ $<
$(ITEST)/relink-main: $(ITEST)/relink-main.o $(ITEST)/librelinkb.so
	$(LINK) -o $@ $< -L$(ITEST) -lrelinkb -Wl,--allow-shlib-undefined -ldl $(ITEST_RPATH)
