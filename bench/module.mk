# SPDX-License-Identifier: MIT
# `make bench` (never part of make check): start-up, probe and dispatch costs, then the example kernels and
# amxscan when they are built; prints the tables and writes docs/BENCHMARKS.md.
BENCH := $(BUILD)/bench
BENCH_PROGS := $(BENCH)/startup $(BENCH)/probe $(BENCH)/probe_count $(BENCH)/dispatch $(BENCH)/libempty.so \
	$(BENCH)/libdispatch.so
.PHONY: bench bench-startup

$(BENCH)/%.o: bench/%.c bench/stats.h include/amxshim/resolver.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -Itests/fake $(CFLAGS) -c $< -o $@

$(BENCH)/startup: $(BENCH)/startup.o
	$(CC) $(CFLAGS) -o $@ $^
$(BENCH)/probe: $(BENCH)/probe.o $(BUILD)/libamxresolver.a
	$(CC) $(CFLAGS) -o $@ $^
# (tests/module.mk is read after this file: name the fake archive directly)
$(BENCH)/probe_count: $(BENCH)/probe_count.o $(BUILD)/libamxresolver-fake.a
	$(CC) $(CFLAGS) -o $@ $^ -ldl
$(BENCH)/libempty.so: $(BENCH)/empty.o
	$(CC) $(LIB_LDFLAGS) -o $@ $^
# The resolver runs inside the IFUNC resolver here: no stack protector.
$(BENCH)/libdispatch.o: bench/libdispatch.c include/amxshim/resolver.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(RESOLVER_CFLAGS) $(CFLAGS) -c $< -o $@
$(BENCH)/libdispatch.so: $(BENCH)/libdispatch.o $(BUILD)/libamxresolver.a
	$(CC) $(LIB_LDFLAGS) -o $@ $^
$(BENCH)/dispatch: $(BENCH)/dispatch.o $(BENCH)/libdispatch.so
	$(CC) $(CFLAGS) -o $@ $< -L$(BENCH) -ldispatch -Wl,-rpath,'$$ORIGIN'

bench: all $(BENCH_PROGS)
	@BUILD=$(BUILD) scripts/bench.sh

# The start-up comparison alone, to run on an AMX machine: the `/bin/true` row and the shim / empty preload
# ratio (BENCH_ROUNDS, default 401 interleaved runs).
bench-startup: $(BENCH)/startup $(BENCH)/libempty.so $(BUILD)/libamxshim.so
	@$(BENCH)/startup $${BENCH_ROUNDS:-401} $(abspath $(BENCH)/libempty.so) $(abspath $(BUILD)/libamxshim.so) \
		/bin/true | awk -F'|' '{ print; printf "shim / empty preload: %.3f (AMX here: %s)\n", $$7, \
		system("grep -qw amx_tile /proc/cpuinfo") ? "no" : "yes" }'
