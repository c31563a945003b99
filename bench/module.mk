# SPDX-License-Identifier: MIT
# `make bench` (never part of make check): start-up, probe and dispatch costs, then the example kernels and
# amxscan when they are built; prints the tables and writes $(BUILD)/BENCHMARKS.md. `make bench-docs`
# copies that run to docs/BENCHMARKS.md (the tracked record).
BENCH := $(BUILD)/bench
BENCH_PROGS := $(BENCH)/startup $(BENCH)/probe $(BENCH)/probe_count $(BENCH)/dispatch $(BENCH)/libempty.so \
	$(BENCH)/libdispatch.so $(BENCH)/stepcount $(BENCH)/zero16
.PHONY: bench bench-startup bench-count bench-docs

$(BENCH)/probe_count.o: OBJ_CFLAGS = -Itests/fake
# The resolver runs inside the IFUNC resolver here.
RESOLVER_CONTEXT += $(BENCH)/libdispatch.o

$(BENCH)/startup: $(BENCH)/startup.o
	$(LINK) -o $@ $^
$(BENCH)/stepcount: $(BENCH)/stepcount.o
	$(LINK) -o $@ $^
$(BENCH)/probe: $(BENCH)/probe.o $(BUILD)/libamxresolver.a
	$(LINK) -o $@ $^
$(BENCH)/probe_count: $(BENCH)/probe_count.o $(FAKE_RESOLVER_LIB)
	$(LINK) -o $@ $^ -ldl
$(BENCH)/libempty.so: $(BENCH)/empty.o
	$(SHLINK) -o $@ $^
$(BENCH)/libdispatch.so: $(BENCH)/libdispatch.o $(BUILD)/libamxresolver.a
	$(SHLINK) -o $@ $^
$(BENCH)/dispatch: $(BENCH)/dispatch.o $(BENCH)/libdispatch.so
	$(LINK) -o $@ $< -L$(BENCH) -ldispatch -Wl,-rpath,'$$ORIGIN'

bench: all $(BENCH_PROGS)
	@BUILD=$(BUILD) scripts/bench.sh

# The start-up comparison alone, to run on an AMX machine: the `/bin/true` row and the shim / empty preload
# ratio (BENCH_ROUNDS, default 401 interleaved runs).
bench-startup: $(BENCH)/startup $(BENCH)/libempty.so $(BUILD)/libamxshim.so
	@$(BENCH)/startup $${BENCH_ROUNDS:-401} $(abspath $(BENCH)/libempty.so) $(abspath $(BUILD)/libamxshim.so) \
		/bin/true | awk -F'|' '{ print; printf "shim / empty preload: %.3f (AMX here: %s)\n", $$7, \
		system("grep -qw amx_tile /proc/cpuinfo") ? "no" : "yes" }'

# The README's library example ("For library authors"), built as printed there (the build tree in place of
# pkg-config): the start-up count of a program whose library binds an IFUNC through the resolver.
$(BENCH)/zero16.c: README.md
	@mkdir -p $(@D)
	sed -n '/^## For library authors/,$$p' $< | sed -n '/^```c$$/,/^```$$/p' | sed '1d;$$d' >$@
	@test -s $@ || { echo "no C example in README.md" >&2; rm -f $@; exit 1; }
$(BENCH)/libzero16.so: $(BENCH)/zero16.c $(BUILD)/libamxresolver.a
	$(CC) -O2 -fPIC -fno-stack-protector -shared -Iinclude -o $@ $^
$(BENCH)/zero16: tests/examples/zero16-main.c $(BENCH)/libzero16.so
	$(CC) -O2 -o $@ $< -L$(BENCH) -lzero16 -Wl,-rpath,'$$ORIGIN'

# The instruction counts alone (bench/count.sh: deterministic, a minute at most).
bench-count: $(BENCH)/stepcount $(BENCH)/libempty.so $(BENCH)/zero16 $(BUILD)/libamxshim.so $(BUILD)/amxinfo
	@BUILD=$(BUILD) bench/count.sh

bench-docs:
	cp $(BUILD)/BENCHMARKS.md docs/BENCHMARKS.md
