# SPDX-License-Identifier: MIT
# amxinfo (links the static resolver, as any user would), the amxrun wrapper and its helper amxrun-exec.
ALL_TARGETS += $(BUILD)/amxinfo $(BUILD)/amxrun $(BUILD)/amxrun-exec
INSTALL_BIN += $(BUILD)/amxinfo $(BUILD)/amxrun.installed
INSTALL_LIBEXEC += $(BUILD)/amxrun-exec
INSTALL_MAN1 += man/amxinfo.1 man/amxrun.1
INSTALL_MAN7 += man/amxshim.7

$(BUILD)/amxinfo: $(BUILD)/tools/amxinfo.o $(BUILD)/tools/verify.o $(BUILD)/tools/nfd.o $(BUILD)/libamxresolver.a
	$(LINK) -o $@ $^

# amxrun-exec is static: no LD_PRELOAD or /etc/ld.so.preload object ever enters the helper (or reports
# from it), and it runs the same in every environment amxrun is used in. Sanitizer flags cannot link
# statically, so they are left out of it, and it has its own copy of the resolver objects.
AMXRUN_EXEC_CFLAGS = $(filter-out -fsanitize=%,$(CFLAGS))
AMXRUN_EXEC_RESOLVER := $(RESOLVER_SRCS:resolver/%.c=$(BUILD)/tools/amxrun-exec-resolver/%.o)
RESOLVER_CONTEXT += $(AMXRUN_EXEC_RESOLVER)
# --explain (tools/explain.c) decodes the faulting instruction with amxscan's decoder and classifier: a copy of
# those two objects too.
AMXRUN_EXEC_SCAN := $(BUILD)/tools/amxrun-exec-scan/x86len.o $(BUILD)/tools/amxrun-exec-scan/classify.o
AMXRUN_EXEC_OBJS := $(BUILD)/tools/amxrun-exec.o $(BUILD)/tools/explain.o $(AMXRUN_EXEC_SCAN)
$(AMXRUN_EXEC_OBJS) $(AMXRUN_EXEC_RESOLVER): override CFLAGS := $(AMXRUN_EXEC_CFLAGS)
$(eval $(call COMPILE_RULE,$(BUILD)/tools/amxrun-exec-resolver,resolver/))
$(eval $(call COMPILE_RULE,$(BUILD)/tools/amxrun-exec-scan,tools/amxscan/))

$(BUILD)/amxrun-exec: $(AMXRUN_EXEC_OBJS) $(AMXRUN_EXEC_RESOLVER)
	$(CC) $(AMXRUN_EXEC_CFLAGS) $(LDFLAGS) -static -o $@ $^

# The build-tree amxrun runs the build's helper and shim; amxrun.installed (made at install: the paths are
# baked in) is installed as bin/amxrun.
AMXRUN_SED = sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@LIBDIR@|$(1)|g' -e 's|@LIBEXECDIR@|$(2)|g'
$(BUILD)/amxrun: scripts/amxrun include/amxshim/resolver.h
	@mkdir -p $(@D)
	$(call AMXRUN_SED,$(abspath $(BUILD)),$(abspath $(BUILD))) $< >$@.tmp && chmod 755 $@.tmp && mv $@.tmp $@
$(BUILD)/amxrun.installed: scripts/amxrun FORCE
	@mkdir -p $(@D)
	$(call AMXRUN_SED,$(LIBDIR),$(LIBEXECDIR)) $< >$@.tmp && chmod 755 $@.tmp && mv $@.tmp $@
