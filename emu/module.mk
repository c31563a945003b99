# SPDX-License-Identifier: MIT
# libamxemu: the AMX trap-and-emulate SIGILL handler (emu/README.md).
# libamxemu.a (without the constructor) is what the unit tests link.
EMU_SRCS := emu/mem.c emu/tiles.c emu/fp.c emu/fp8.c emu/dot.c emu/row.c emu/decode.c emu/exec.c emu/frame.c emu/machine.c emu/handler.c
EMU_OBJS := $(EMU_SRCS:%.c=$(BUILD)/%.o)
EMU_SONAME := libamxemu.so.1

ALL_TARGETS += $(BUILD)/libamxemu.so $(BUILD)/$(EMU_SONAME) $(BUILD)/libamxemu.a
INSTALL_SHLIB += $(BUILD)/$(EMU_SONAME)
INSTALL_LIB += $(BUILD)/libamxemu.a
INSTALL_INCLUDE += emu/amxemu.h

# TwoSum in fp.c needs every a*b+c rounded twice, never fused.
$(EMU_OBJS) $(BUILD)/emu/ctor.o: OBJ_CFLAGS = -ffp-contract=off -Iemu

$(BUILD)/libamxemu.a: $(EMU_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# ctor.o holds the relocation-time install (an IFUNC resolver), which reads AMXEMU_DISABLE with the
# resolver's reader of the initial environment (startenv.o).
RESOLVER_CONTEXT += $(BUILD)/emu/ctor.o
# (the file is libamxemu.so, the SONAME a link to it, as for the shim)
$(BUILD)/libamxemu.so: $(EMU_OBJS) $(BUILD)/emu/ctor.o $(BUILD)/resolver/startenv.o emu/amxemu.map
	$(SHLINK) -Wl,--version-script=emu/amxemu.map -Wl,-soname,$(EMU_SONAME) -o $@ $(filter %.o,$^) -lm
$(BUILD)/$(EMU_SONAME): $(BUILD)/libamxemu.so
	ln -sf $(<F) $@
