# SPDX-License-Identifier: MIT
# `make demo`: an unmodified AMX program with and without the shim, and amxinfo's view.
DEMO_BIN := $(BUILD)/demo/naive-amx
TEST_DEPS += $(DEMO_BIN)

# Built the way an ordinary program is: default visibility, no resolver.
$(BUILD)/demo/naive-amx.o: OBJ_CFLAGS = -fvisibility=default -mamx-tile -mamx-int8
$(DEMO_BIN): $(BUILD)/demo/naive-amx.o
	$(LINK) -o $@ $<

demo: all $(DEMO_BIN)
	@BUILD=$(BUILD) DEMO_NEXT='a library that links the resolver: its IFUNCs, and its AMX code under the emulator' \
		scripts/demo.sh
	@$(MAKE) --no-print-directory -s demo-kernels
