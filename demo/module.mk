# SPDX-License-Identifier: MIT
# `make demo`: an unmodified AMX program with and without the shim, and amxinfo's view.
DEMO_BIN := $(BUILD)/demo/naive-amx
TEST_DEPS += $(DEMO_BIN)

$(DEMO_BIN): demo/naive-amx.c
	@mkdir -p $(@D)
	$(CC) $(filter-out -fvisibility=hidden,$(BASE_CFLAGS)) -mamx-tile -mamx-int8 $(CFLAGS) -o $@ $<

demo: all $(DEMO_BIN)
	@BUILD=$(BUILD) scripts/demo.sh
	@printf '\n== 4. a library that links the resolver: its IFUNCs, and its AMX code under the emulator\n'
	@$(MAKE) --no-print-directory -s demo-kernels
