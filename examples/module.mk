# SPDX-License-Identifier: MIT
# libamxkernels.so: the example library (AMX, AVX2+FMA and portable GEMM kernels bound by AMXSHIM_IFUNC),
# and kernels-demo, which shows what the resolver bound and why. See examples/README.md.
EX := $(BUILD)/examples
EX_OBJS := $(addprefix $(EX)/,pack.o gemm_c.o gemm_avx2.o gemm_amx.o select.o)
EX_HDRS := examples/amxkernels.h examples/internal.h include/amxshim/resolver.h
EX_COMMA := ,
# The same objects linked with lazy binding (LIB_LDFLAGS says -z now) for the binding tests.
EX_LAZY_LDFLAGS := $(filter-out -Wl$(EX_COMMA)-z$(EX_COMMA)now,$(LIB_LDFLAGS)) -Wl,-z,lazy
EX_LINK = -Wl,--version-script=examples/amxkernels.map -Wl,-soname,$(@F)

ALL_TARGETS += $(BUILD)/libamxkernels.so $(EX)/libamxkernels-lazy.so $(EX)/kernels-demo
TEST_DEPS += $(BUILD)/libamxkernels.so $(EX)/libamxkernels-lazy.so $(EX)/kernels-demo

# Per-variant instruction sets: only the file that holds a variant may use its instructions.
$(EX)/gemm_amx.o: EX_ISA := -mamx-tile -mamx-bf16 -mamx-int8
$(EX)/gemm_avx2.o: EX_ISA := -mavx2 -mfma
# The resolvers and predicates run inside ld.so's relocation.
$(EX)/select.o: EX_ISA := $(RESOLVER_CFLAGS)

$(EX)/%.o: examples/%.c $(EX_HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(EX_ISA) $(CFLAGS) -c $< -o $@

$(BUILD)/libamxkernels.so: $(EX_OBJS) $(BUILD)/libamxresolver.a examples/amxkernels.map
	$(CC) $(CFLAGS) $(LIB_LDFLAGS) $(EX_LINK) -o $@ $(EX_OBJS) $(BUILD)/libamxresolver.a

$(EX)/libamxkernels-lazy.so: $(EX_OBJS) $(BUILD)/libamxresolver.a examples/amxkernels.map
	$(CC) $(CFLAGS) $(EX_LAZY_LDFLAGS) $(EX_LINK) -o $@ $(EX_OBJS) $(BUILD)/libamxresolver.a

$(EX)/kernels-demo: examples/kernels-demo.c examples/amxkernels.h $(BUILD)/libamxkernels.so $(BUILD)/libamxresolver.a
	$(CC) $(BASE_CFLAGS) -Iexamples $(CFLAGS) -o $@ $< -L$(BUILD) -l:libamxkernels.so \
		$(BUILD)/libamxresolver.a -ldl -lm -Wl,-rpath,'$$ORIGIN/..'

# `make demo-kernels`: the bound variants and why, and the AMX variant under the emulator.
.PHONY: demo-kernels
demo-kernels: $(EX)/kernels-demo
	$(EX)/kernels-demo --emulator $(BUILD)/libamxemu.so

# The same objects against the fake platform (tests/module.mk), for the IFUNC selection tests: the resolver
# then answers from AMXSHIM_FAKE_CPU / AMXSHIM_FAKE_KERNEL. tests/module.mk is read after this file, so its
# path is repeated here for the prerequisite list (the two must agree).
FAKE_RESOLVER_LIB ?= $(BUILD)/libamxresolver-fake.a
TEST_DEPS += $(EX)/libamxkernels-fake.so

$(EX)/libamxkernels-fake.so: $(EX_OBJS) $(FAKE_RESOLVER_LIB) examples/amxkernels.map
	$(CC) $(CFLAGS) $(LIB_LDFLAGS) $(EX_LINK) -o $@ $(EX_OBJS) $(FAKE_RESOLVER_LIB)
