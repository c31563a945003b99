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
RESOLVER_CFLAGS := -fno-stack-protector -fno-builtin -fno-tree-loop-distribute-patterns -fcf-protection=none
LIB_LDFLAGS := -shared -Wl,--no-undefined -Wl,-z,now -Wl,-z,relro -Wl,-z,text

# Filled in by the module fragments.
ALL_TARGETS :=
TESTS :=          # executables/scripts run by `make check`, each exits 0 (pass), 77 (skip) or else (fail)
TEST_DEPS :=      # what must be built before the tests run
CLEAN_EXTRA :=

.PHONY: all check demo install deps clean
all: deps-checked

include $(sort $(wildcard */module.mk */*/module.mk))

all: $(ALL_TARGETS)

# Before building, make sure the Debian packages are there (installed when run as root).
.PHONY: deps-checked
deps-checked:
	@scripts/deps.sh --install

check: all $(TEST_DEPS)
	@scripts/run-tests $(TESTS)

clean:
	rm -rf $(BUILD) $(CLEAN_EXTRA)
