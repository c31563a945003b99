# SPDX-License-Identifier: MIT
# libamxkernels.so: the example library (AMX, AVX2+FMA and portable GEMM kernels bound by AMXSHIM_IFUNC),
# and kernels-demo, which shows what the resolver bound and why. See examples/README.md.
EX_OBJS := $(addprefix $(EX)/,pack.o gemm_c.o gemm_avx2.o gemm_amx.o gemm_fp8_amx.o select.o)
EX_COMMA := ,
# The same objects linked with lazy binding (LIB_LDFLAGS says -z now) for the binding tests.
EX_LAZY_LDFLAGS := $(filter-out -Wl$(EX_COMMA)-z$(EX_COMMA)now,$(LIB_LDFLAGS)) -Wl,-z,lazy
EX_LINK = $(LINK) -Wl,--version-script=examples/amxkernels.map -Wl,-soname,$(@F)

ALL_TARGETS += $(BUILD)/libamxkernels.so $(EX)/libamxkernels-lazy.so $(EX)/kernels-demo
TEST_DEPS += $(BUILD)/libamxkernels.so $(EX)/libamxkernels-lazy.so $(EX)/kernels-demo

# Per-variant instruction sets: only the file that holds a variant may use its instructions.
$(EX)/gemm_amx.o: OBJ_CFLAGS = -mamx-tile -mamx-bf16 -mamx-int8
$(EX)/gemm_avx2.o: OBJ_CFLAGS = -mavx2 -mfma
$(EX)/gemm_fp8_amx.o: OBJ_CFLAGS = -mamx-tile
$(EX)/kernels-demo.o: OBJ_CFLAGS = -Iexamples
# The resolvers and predicates run inside ld.so's relocation.
RESOLVER_CONTEXT += $(EX)/select.o

$(BUILD)/libamxkernels.so: $(EX_OBJS) $(BUILD)/libamxresolver.a examples/amxkernels.map
	$(EX_LINK) $(LIB_LDFLAGS) -o $@ $(filter-out %.map,$^)

# (LDFLAGS may say -z now too: the lazy link puts -z lazy after it.)
$(EX)/libamxkernels-lazy.so: $(EX_OBJS) $(BUILD)/libamxresolver.a examples/amxkernels.map
	$(EX_LINK) $(EX_LAZY_LDFLAGS) -o $@ $(filter-out %.map,$^)

$(EX)/kernels-demo: $(EX)/kernels-demo.o $(BUILD)/libamxkernels.so $(BUILD)/libamxresolver.a
	$(LINK) -o $@ $< -L$(BUILD) -l:libamxkernels.so $(BUILD)/libamxresolver.a -ldl -lm -Wl,-rpath,'$$ORIGIN/..'

# `make demo-kernels`: the bound variants and why, and the AMX variant under the emulator.
.PHONY: demo-kernels
demo-kernels: $(EX)/kernels-demo
	$(EX)/kernels-demo --emulator $(BUILD)/libamxemu.so

# The same objects against the fake platform (tests/module.mk), for the IFUNC selection tests: the resolver
# then answers from AMXSHIM_FAKE_CPU / AMXSHIM_FAKE_KERNEL.
TEST_DEPS += $(EX)/libamxkernels-fake.so

$(EX)/libamxkernels-fake.so: $(EX_OBJS) $(FAKE_RESOLVER_LIB) examples/amxkernels.map
	$(EX_LINK) $(LIB_LDFLAGS) -o $@ $(filter-out %.map,$^)
