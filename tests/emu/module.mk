# SPDX-License-Identifier: MIT
# Unit tests of libamxemu (cmocka), linked with the static archive (no constructor: each test
# calls amxemu_install() itself). test_native compares with the CPU and exits 77 without AMX.
EMU_TESTS := $(addprefix $(BUILD)/tests/emu/,test_decode test_exec test_faults test_native test_fp8)

TESTS += $(EMU_TESTS)
TEST_DEPS += $(EMU_TESTS)

$(EMU_TESTS:%=%.o): OBJ_CFLAGS = -Iemu
# test_decode checks the decoder against binutils' encodings; clang 14's own assembler lacks AMX-FP16, so
# with clang the file goes through the system assembler (the option is clang's; GCC always uses it).
$(BUILD)/tests/emu/test_decode.o: OBJ_CFLAGS += $(call cc-option,-fno-integrated-as)
$(EMU_TESTS): %: %.o $(BUILD)/libamxemu.a
	$(LINK) -o $@ $< $(BUILD)/libamxemu.a -lcmocka -lm -pthread
