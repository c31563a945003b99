# SPDX-License-Identifier: MIT
# The ISA table (isa/amx.h) is the only classifier of AMX opcodes: a sweep over the decoders of amxscan and
# the emulator (test_table), and a source check that no other code compares with the opcode bytes.
ISA_TEST := $(BUILD)/tests/isa/test_table
TESTS += $(ISA_TEST) tests/isa/opcodes-only-in-table.sh tests/isa/freestanding.sh
TEST_DEPS += $(ISA_TEST) $(BUILD)/tests/isa/freestanding.o
# what the resolver takes from the table, compiled as resolver code
RESOLVER_CONTEXT += $(BUILD)/tests/isa/freestanding.o
# pure decoding: also under ASan, UBSan and valgrind
SANITIZE_TESTS += $(ISA_TEST)

$(ISA_TEST): $(ISA_TEST).o $(BUILD)/tools/amxscan/x86len.o $(BUILD)/tools/amxscan/classify.o $(BUILD)/libamxemu.a
	$(LINK) -o $@ $^ -lm -pthread
