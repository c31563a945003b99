# SPDX-License-Identifier: MIT
# Unit tests of libamxemu (cmocka), linked with the static archive (no constructor: each test
# calls amxemu_install() itself). test_native compares with the CPU and exits 77 without AMX.
# fp8_model.py checks the AMX-FP8 results fp8-cases prints against an exact rational model; complex_model.py
# does the same for AMX-COMPLEX with complex-cases, which runs under LD_PRELOAD=libamxemu.so (not linked with it).
EMU_TESTS := $(addprefix $(BUILD)/tests/emu/,test_decode test_exec test_faults test_native test_fp8 test_nextgen)

# test_machine links the fake machine (fake_machine.c) before libamxemu.a, so emu/machine.o stays out: the
# fake defines every function machine.o does, and one it lacked would pull machine.o in and fail the link.
EMU_MACHINE_TEST := $(BUILD)/tests/emu/test_machine

TESTS += $(EMU_TESTS) $(EMU_MACHINE_TEST) tests/emu/fp8_model.py tests/emu/complex_model.py
TEST_DEPS += $(EMU_TESTS) $(EMU_MACHINE_TEST) $(BUILD)/tests/emu/fp8-cases $(BUILD)/tests/emu/complex-cases $(BUILD)/libamxemu.so

$(EMU_TESTS:%=%.o) $(EMU_MACHINE_TEST).o $(BUILD)/tests/emu/fake_machine.o $(BUILD)/tests/emu/fp8-cases.o $(BUILD)/tests/emu/complex-cases.o: OBJ_CFLAGS = -Iemu
# test_decode checks the decoder against binutils' encodings; clang 14's own assembler lacks AMX-FP16, so
# with clang the file goes through the system assembler (the option is clang's; GCC always uses it).
$(BUILD)/tests/emu/test_decode.o: OBJ_CFLAGS += $(call cc-option,-fno-integrated-as)
$(EMU_TESTS): %: %.o $(BUILD)/libamxemu.a
	$(LINK) -o $@ $< $(BUILD)/libamxemu.a -lcmocka -lm -pthread
$(EMU_MACHINE_TEST): %: %.o $(BUILD)/tests/emu/fake_machine.o $(BUILD)/libamxemu.a
	$(LINK) -o $@ $< $(BUILD)/tests/emu/fake_machine.o $(BUILD)/libamxemu.a -lcmocka -lm -pthread
$(BUILD)/tests/emu/fp8-cases: $(BUILD)/tests/emu/fp8-cases.o $(BUILD)/libamxemu.a
	$(LINK) -o $@ $< $(BUILD)/libamxemu.a -lm -pthread
$(BUILD)/tests/emu/complex-cases: $(BUILD)/tests/emu/complex-cases.o
	$(LINK) -o $@ $<
SANITIZE_TESTS += $(BUILD)/tests/emu/test_fp8 $(BUILD)/tests/emu/test_nextgen
