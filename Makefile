# SPDX-License-Identifier: MIT
# amxshim — see README.md. `make` builds into build/, `make check` runs every test, `make demo` shows the
# shim on an unmodified program. Each directory adds its own rules through a module.mk fragment.

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= gcc
CXX     ?= g++
CFLAGS  ?= -O2 -g
# CI builds with WERROR=1; a user's newer compiler should not break the build over a new warning.
WERROR  ?=
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 $(if $(WERROR),-Werror)
BASE_CFLAGS := -std=gnu11 -fPIC -fvisibility=hidden -D_GNU_SOURCE -Iinclude $(WARN)
# Code that may run inside an IFUNC resolver: no stack protector, no implicit libc calls.
# (GCC turns copy loops into memcpy calls unless told not to; clang has no such flag and needs none.)
cc-option = $(shell $(CC) $(1) -Werror -E -x c /dev/null >/dev/null 2>&1 && echo $(1))
RESOLVER_CFLAGS := -fno-stack-protector -fno-builtin $(call cc-option,-fno-tree-loop-distribute-patterns)
LIB_LDFLAGS := -shared -Wl,--no-undefined -Wl,-z,now -Wl,-z,relro -Wl,-z,text

# Filled in by the module fragments.
ALL_TARGETS :=
TESTS :=          # executables/scripts run by `make check`, each exits 0 (pass), 77 (skip) or else (fail)
TEST_DEPS :=      # what must be built before the tests run
SANITIZE_TESTS := # tests that also run under ASan, UBSan and valgrind (no preload, no IFUNC at load time)
SANITIZE_DEPS :=  # what those need built
CLEAN_EXTRA :=
INSTALL_BIN :=    # installed to $(PREFIX)/bin
INSTALL_LIB :=    # to $(PREFIX)/lib
INSTALL_MAN1 :=   # to $(PREFIX)/share/man/man1
INSTALL_MAN7 :=   # to $(PREFIX)/share/man/man7

.PHONY: all check demo install clean asan ubsan valgrind sanitize-run valgrind-run
all:

# Before anything is built, the Debian packages must be there: installed when run as root, otherwise
# named with the apt-get line. Checked once per make invocation, before any parallel job starts.
DEPS_GOALS := all check demo bench fuzz asan ubsan valgrind tsan
ifneq ($(filter $(DEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell scripts/deps.sh --install >&2; echo $$?),0)
$(error missing Debian packages (listed above))
endif
endif

include $(sort $(wildcard */module.mk */*/module.mk))

all: $(ALL_TARGETS)

check: all $(TEST_DEPS)
	@scripts/run-tests $(TESTS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/amxshim \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man7
	$(if $(strip $(INSTALL_BIN)),install -m 755 $(INSTALL_BIN) $(DESTDIR)$(PREFIX)/bin/)
	$(if $(strip $(INSTALL_LIB)),install -m 644 $(INSTALL_LIB) $(DESTDIR)$(PREFIX)/lib/)
	$(if $(strip $(INSTALL_MAN1)),install -m 644 $(INSTALL_MAN1) $(DESTDIR)$(PREFIX)/share/man/man1/)
	$(if $(strip $(INSTALL_MAN7)),install -m 644 $(INSTALL_MAN7) $(DESTDIR)$(PREFIX)/share/man/man7/)
	install -m 644 include/amxshim/*.h $(DESTDIR)$(PREFIX)/include/amxshim/
	sed 's|@PREFIX@|$(PREFIX)|' amxresolver.pc.in >$(DESTDIR)$(PREFIX)/lib/pkgconfig/amxresolver.pc

# Sanitizer builds go to their own build directory; the tests that make sense there are SANITIZE_TESTS.
SAN_COMMON := -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all
asan:
	$(MAKE) BUILD=$(BUILD)/asan CFLAGS="$(SAN_COMMON) -fsanitize=address" sanitize-run
ubsan:
	$(MAKE) BUILD=$(BUILD)/ubsan CFLAGS="$(SAN_COMMON) -fsanitize=undefined" sanitize-run
valgrind:
	$(MAKE) BUILD=$(BUILD)/valgrind CFLAGS="-O1 -g" valgrind-run

sanitize-run: $(SANITIZE_TESTS) $(SANITIZE_DEPS)
	@BUILD=$(BUILD) scripts/run-tests $(SANITIZE_TESTS)
valgrind-run: $(SANITIZE_TESTS) $(SANITIZE_DEPS)
	@BUILD=$(BUILD) VALGRIND="valgrind -q --trace-children=yes --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
		scripts/run-tests $(SANITIZE_TESTS)

clean:
	rm -rf $(BUILD) $(CLEAN_EXTRA)
