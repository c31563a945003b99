# SPDX-License-Identifier: MIT
# amxinfo (links the static resolver, as any user would), the amxrun wrapper and its helper amxrun-exec.
VERSION ?= $(shell sed -n 's/^\#define AMXSHIM_VERSION_STRING "\(.*\)"/\1/p' include/amxshim/resolver.h)
LIBDIR ?= $(PREFIX)/lib
LIBEXECDIR ?= $(PREFIX)/libexec/amxshim

ALL_TARGETS += $(BUILD)/amxinfo $(BUILD)/amxrun $(BUILD)/amxrun.installed $(BUILD)/amxrun-exec
INSTALL_BIN += $(BUILD)/amxinfo
INSTALL_LIBEXEC += $(BUILD)/amxrun-exec
INSTALL_MAN1 += man/amxinfo.1 man/amxrun.1
INSTALL_MAN7 += man/amxshim.7

$(BUILD)/tools/amxinfo.o: tools/amxinfo.c tools/verify.h include/amxshim/resolver.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/tools/verify.o: tools/verify.c tools/verify.h include/amxshim/resolver.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/amxinfo: $(BUILD)/tools/amxinfo.o $(BUILD)/tools/verify.o $(BUILD)/libamxresolver.a
	$(CC) $(CFLAGS) -o $@ $^

# amxrun-exec is static: no LD_PRELOAD or /etc/ld.so.preload object ever enters the helper (or reports
# from it), and it runs the same in every environment amxrun is used in. Sanitizer flags cannot link
# statically, so they are left out of it.
AMXRUN_EXEC_CFLAGS = $(filter-out -fsanitize=%,$(CFLAGS))
$(BUILD)/tools/amxrun-exec.o: tools/amxrun-exec.c include/amxshim/resolver.h resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(AMXRUN_EXEC_CFLAGS) -c $< -o $@

# Its own copy of the resolver objects, compiled without those flags too.
AMXRUN_EXEC_RESOLVER := $(RESOLVER_SRCS:resolver/%.c=$(BUILD)/tools/amxrun-exec-resolver/%.o)
$(BUILD)/tools/amxrun-exec-resolver/%.o: resolver/%.c include/amxshim/resolver.h resolver/internal.h
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(RESOLVER_CFLAGS) $(AMXRUN_EXEC_CFLAGS) -c $< -o $@

$(BUILD)/amxrun-exec: $(BUILD)/tools/amxrun-exec.o $(AMXRUN_EXEC_RESOLVER)
	$(CC) $(AMXRUN_EXEC_CFLAGS) -static -o $@ $^

# The build-tree amxrun runs the build's helper and shim; amxrun.installed is what `make install` puts in
# bin/ (the install rule installs it as bin/amxrun).
$(BUILD)/amxrun: scripts/amxrun include/amxshim/resolver.h
	@mkdir -p $(@D)
	sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@LIBDIR@|$(abspath $(BUILD))|g' \
		-e 's|@LIBEXECDIR@|$(abspath $(BUILD))|g' $< >$@.tmp && chmod 755 $@.tmp && mv $@.tmp $@

$(BUILD)/amxrun.installed: scripts/amxrun include/amxshim/resolver.h
	@mkdir -p $(@D)
	sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' \
		$< >$@.tmp && chmod 755 $@.tmp && mv $@.tmp $@

# Until the top-level install rule installs INSTALL_LIBEXEC and amxrun.installed itself.
install: install-amxrun
install-amxrun: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBEXECDIR)
	install -m 755 $(BUILD)/amxrun.installed $(DESTDIR)$(PREFIX)/bin/amxrun
	install -m 755 $(INSTALL_LIBEXEC) $(DESTDIR)$(LIBEXECDIR)/
.PHONY: install-amxrun
