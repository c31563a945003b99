# SPDX-License-Identifier: MIT
# The test kit for library authors (amxshim-test(1)): libamxresolver-test.a is the resolver with the fake
# platform in place of the hardware (answering from a recorded CPU and a named kernel outcome) plus
# testkit.o (bindings recorded, a notice on stderr, a mark amxscan reports); amxresolver-test.pc, the
# recorded CPUs as data, amxshim-test and its probe.
TESTKIT_LIB := $(BUILD)/libamxresolver-test.a
TESTKIT_OWN := $(BUILD)/testkit/fake_platform.o $(BUILD)/testkit/testkit.o
TESTKIT_PROBE := $(BUILD)/amxshim-test-probe
TESTKIT_CPUS := $(wildcard tests/fixtures/cpuid/*.txt)

ALL_TARGETS += $(TESTKIT_LIB) $(TESTKIT_PROBE) $(BUILD)/amxshim-test
INSTALL_LIB += $(TESTKIT_LIB)
INSTALL_PKGLIB += $(TESTKIT_PROBE)
INSTALL_BIN += $(BUILD)/amxshim-test.installed
INSTALL_MAN1 += man/amxshim-test.1
INSTALL_PC += $(BUILD)/amxresolver-test.pc
INSTALL_CPUID += $(TESTKIT_CPUS)
RESOLVER_CONTEXT += $(TESTKIT_OWN)

# The kit's own objects may only use the freestanding helpers (they run inside IFUNC resolvers).
$(TESTKIT_LIB): $(filter-out %/platform.o,$(RESOLVER_SRCS:%.c=$(BUILD)/%.o)) $(TESTKIT_OWN)
	@undef=$$($(NM) -u $(TESTKIT_OWN) | awk 'NF == 2 {print $$2}' | sort -u | grep -v -x -e amx_startenv_get \
		-e amx_caches_reset -e amx_memzero -e amx_copy -e 'amx_line_[a-z]*' -e testkit_settings_used -e '__[a-z]*san_.*' \
		-e _GLOBAL_OFFSET_TABLE_); \
	if [ -n "$$undef" ]; then echo "$(TESTKIT_OWN) must not call libc, they reference: $$undef" >&2; exit 1; fi
	@rm -f $@
	$(AR) rcs $@ $^

$(TESTKIT_PROBE): $(BUILD)/testkit/probe.o $(TESTKIT_LIB)
	$(LINK) -o $@ $^

$(BUILD)/amxresolver-test.pc: testkit/amxresolver-test.pc.in FORCE
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' $< >$@

# The build tree's amxshim-test uses the build's files; amxshim-test.installed has the install paths.
TESTKIT_SED = sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@CPUDIR@|$(1)|g' -e 's|@PROBE@|$(2)|g' -e 's|@EMU@|$(3)|g'
$(BUILD)/amxshim-test: scripts/amxshim-test include/amxshim/resolver.h
	@mkdir -p $(@D)
	$(call TESTKIT_SED,$(abspath tests/fixtures/cpuid),$(abspath $(TESTKIT_PROBE)),$(abspath $(BUILD))/libamxemu.so) \
		$< >$@.tmp && chmod 755 $@.tmp && mv $@.tmp $@
$(BUILD)/amxshim-test.installed: scripts/amxshim-test FORCE
	@mkdir -p $(@D)
	$(call TESTKIT_SED,$(DATADIR)/amxshim/cpuid,$(PKGLIBDIR)/amxshim-test-probe,$(LIBDIR)/libamxemu.so.1) \
		$< >$@.tmp && chmod 755 $@.tmp && mv $@.tmp $@
