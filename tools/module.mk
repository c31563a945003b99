# SPDX-License-Identifier: MIT
# amxinfo (links the static resolver, as any user would) and the amxrun wrapper.
ALL_TARGETS += $(BUILD)/amxinfo $(BUILD)/amxrun
INSTALL_BIN += $(BUILD)/amxinfo $(BUILD)/amxrun.installed
INSTALL_MAN1 += man/amxinfo.1 man/amxrun.1
INSTALL_MAN7 += man/amxshim.7

$(BUILD)/amxinfo: $(BUILD)/tools/amxinfo.o $(BUILD)/libamxresolver.a
	$(LINK) -o $@ $^

# The build-tree amxrun finds the shim next to itself; the installed one looks in LIBDIR (made at install).
$(BUILD)/amxrun: scripts/amxrun
	@mkdir -p $(@D)
	cp $< $@ && chmod 755 $@
$(BUILD)/amxrun.installed: scripts/amxrun FORCE
	@mkdir -p $(@D)
	sed 's|"$$here/\.\./lib/libamxshim\.so"|"$(LIBDIR)/libamxshim.so"|' $< >$@ && chmod 755 $@
