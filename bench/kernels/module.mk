# SPDX-License-Identifier: MIT
# `make bench` part for the example kernels (scripts/bench-kernels): GFLOP/s of every variant, the AVX2 bf16
# variant against OpenBLAS sgemm (loaded at run time, so no build dependency), the roofline. Never in check.
# (examples/module.mk is read after this file: the library's path is spelled out.)
KBENCH := $(BUILD)/bench/kernels-bench

$(KBENCH): bench/kernels/kernels-bench.c bench/stats.h tests/examples/kdata.h examples/amxkernels.h include/amxshim/resolver.h \
		$(BUILD)/libamxkernels.so
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -Iexamples $(CFLAGS) -o $@ $< -L$(BUILD) -l:libamxkernels.so -ldl \
		-Wl,-rpath,'$$ORIGIN/..'

bench: $(KBENCH)
