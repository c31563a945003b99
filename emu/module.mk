# SPDX-License-Identifier: MIT
# libamxemu: the AMX trap-and-emulate SIGILL handler (emu/README.md).
# libamxemu.a (without the constructor) is what the unit tests link.
EMU_SRCS := emu/mem.c emu/tiles.c emu/fp.c emu/dot.c emu/decode.c emu/exec.c emu/frame.c emu/handler.c
EMU_OBJS := $(EMU_SRCS:%.c=$(BUILD)/%.o)
EMU_HDRS := $(wildcard emu/*.h)
# TwoSum in fp.c needs every a*b+c rounded twice, never fused.
EMU_CFLAGS := -ffp-contract=off -Iemu

ALL_TARGETS += $(BUILD)/libamxemu.so $(BUILD)/libamxemu.a
INSTALL_LIB += $(BUILD)/libamxemu.so $(BUILD)/libamxemu.a
# emu/amxemu.h goes to $(PREFIX)/include/amxemu.h (the top-level install rule copies INSTALL_INCLUDE there).
INSTALL_INCLUDE += emu/amxemu.h

$(BUILD)/emu/%.o: emu/%.c $(EMU_HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(EMU_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/libamxemu.a: $(EMU_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# ctor.o holds the relocation-time install (an IFUNC resolver): resolver flags, and the resolver's reader of
# the initial environment (startenv.o) for AMXEMU_DISABLE.
$(BUILD)/emu/ctor.o: EMU_CFLAGS += $(RESOLVER_CFLAGS)
$(BUILD)/libamxemu.so: $(EMU_OBJS) $(BUILD)/emu/ctor.o $(BUILD)/resolver/startenv.o emu/amxemu.map
	$(CC) $(CFLAGS) $(LIB_LDFLAGS) -Wl,--version-script=emu/amxemu.map -o $@ \
		$(EMU_OBJS) $(BUILD)/emu/ctor.o $(BUILD)/resolver/startenv.o -lm
