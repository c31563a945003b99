# SPDX-License-Identifier: MIT
# Tests of the example library (examples/): variants against the portable one, the AMX variant under the
# emulator and on real hardware, IFUNC selection over fixture CPUs (fake platform), lazy/now binding with and
# without the shim, and the README example. Helpers go to $(BUILD)/tests/examples; drivers are scripts here.
EXT := $(BUILD)/tests/examples
EXT_PROGS := $(EXT)/kernels-test $(EXT)/kernels-test-lazy $(EXT)/kernels-test-fake

TEST_DEPS += $(EXT_PROGS) $(EXT)/ctorprog
TESTS += tests/examples/variants.sh tests/examples/amx-emu.sh tests/examples/amx-hw.sh \
	tests/examples/binding.sh tests/examples/select.sh tests/examples/readme.sh tests/examples/emu-ctor.sh
check: export BUILD := $(BUILD)

$(EXT)/kernels-test.o: OBJ_CFLAGS = -Iexamples

# Linked to the -z now library (as a -z now program) and to the -z lazy one (lazily); the static resolver
# only supplies amxshim_reason_name() to the program.
$(EXT)/kernels-test: $(EXT)/kernels-test.o $(BUILD)/libamxkernels.so $(BUILD)/libamxresolver.a
	$(LINK) -Wl,-z,now -o $@ $< -L$(BUILD) -l:libamxkernels.so $(BUILD)/libamxresolver.a -ldl -lm \
		-Wl,-rpath,'$$ORIGIN/../..'
$(EXT)/kernels-test-lazy: $(EXT)/kernels-test.o $(EX)/libamxkernels-lazy.so $(BUILD)/libamxresolver.a
	$(LINK) -Wl,-z,lazy -o $@ $< -L$(EX) -l:libamxkernels-lazy.so $(BUILD)/libamxresolver.a -ldl -lm \
		-Wl,-rpath,'$$ORIGIN/../../examples'
$(EXT)/kernels-test-fake: $(EXT)/kernels-test.o $(EX)/libamxkernels-fake.so $(BUILD)/libamxresolver.a
	$(LINK) -o $@ $< -L$(EX) -l:libamxkernels-fake.so $(BUILD)/libamxresolver.a -ldl -lm \
		-Wl,-rpath,'$$ORIGIN/../../examples'

# A library whose constructor executes a tile operation, and a program linked to it (emu-ctor.sh).
$(EXT)/libctorlib.so: $(EXT)/ctorlib.o
	$(SHLINK) -o $@ $<
$(EXT)/ctorprog: $(EXT)/ctorprog.o $(EXT)/libctorlib.so
	$(LINK) -o $@ $< -L$(EXT) -l:libctorlib.so -Wl,-rpath,'$$ORIGIN'
