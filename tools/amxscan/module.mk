# amxscan: reports which ELF files use AMX and whether they ask for permission (issue 4).
AMXSCAN_CORE := x86len amx symbols codewalk segments scan report
AMXSCAN_OBJS := $(patsubst %,$(BUILD)/tools/amxscan/%.o,$(AMXSCAN_CORE) scanfile main)
AMXSCAN_HDRS := $(wildcard tools/amxscan/*.h)

ALL_TARGETS += $(BUILD)/amxscan
INSTALL_BIN += $(BUILD)/amxscan
INSTALL_MAN1 += man/amxscan.1

$(BUILD)/tools/amxscan/%.o: tools/amxscan/%.c $(AMXSCAN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/amxscan: $(AMXSCAN_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lelf
