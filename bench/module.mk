# SPDX-License-Identifier: MIT
# `make bench` (never part of make check): start-up, probe and dispatch costs, then the example kernels and
# amxscan when they are built; prints the tables and writes $(BUILD)/BENCHMARKS.md. `make bench-docs`
# copies that run to docs/BENCHMARKS.md (the tracked record).
BENCH := $(BUILD)/bench
BENCH_PROGS := $(BENCH)/startup $(BENCH)/probe $(BENCH)/probe_count $(BENCH)/dispatch $(BENCH)/libempty.so \
	$(BENCH)/libdispatch.so $(BENCH)/stepcount
.PHONY: bench bench-startup bench-docs

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

bench-docs:
	cp $(BUILD)/BENCHMARKS.md docs/BENCHMARKS.md
