# SPDX-License-Identifier: MIT
# amxinfo (links the static resolver, as any user would) and the amxrun wrapper.
ALL_TARGETS += $(BUILD)/amxinfo $(BUILD)/amxrun
INSTALL_BIN += $(BUILD)/amxinfo $(BUILD)/amxrun
INSTALL_MAN1 += man/amxinfo.1 man/amxrun.1
INSTALL_MAN7 += man/amxshim.7

$(BUILD)/tools/amxinfo.o: tools/amxinfo.c include/amxshim/resolver.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/tools/verify.o: tools/verify.c include/amxshim/resolver.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/amxinfo: $(BUILD)/tools/amxinfo.o $(BUILD)/tools/verify.o $(BUILD)/libamxresolver.a
	$(CC) $(CFLAGS) -o $@ $^

# amxrun finds the shim next to itself (build tree) or in ../lib (install); the install gets the final path.
$(BUILD)/amxrun: scripts/amxrun
	@mkdir -p $(@D)
	cp $< $@ && chmod 755 $@
