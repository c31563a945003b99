# SPDX-License-Identifier: MIT
# `make bench` part for the example kernels (scripts/bench-kernels): GFLOP/s of every variant, the AVX2 bf16
# variant against OpenBLAS sgemm (loaded at run time, so no build dependency), the roofline. Never in check.
KBENCH := $(BUILD)/bench/kernels-bench

$(BUILD)/bench/kernels/kernels-bench.o: OBJ_CFLAGS = -Iexamples
$(KBENCH): $(BUILD)/bench/kernels/kernels-bench.o $(BUILD)/libamxkernels.so
	$(LINK) -o $@ $< -L$(BUILD) -l:libamxkernels.so -ldl -Wl,-rpath,'$$ORIGIN/..'

bench: $(KBENCH)
