# SPDX-License-Identifier: MIT
# amxshim — see README.md. `make` builds into build/, `make check` runs every test, `make demo` shows the
# shim on an unmodified program, `make install` / `make uninstall` / `make dist` are the usual ones. Each
# directory adds its own rules through a module.mk fragment; everything they share is defined here first.

BUILD ?= build
# The release, defined once in the public header.
VERSION := $(shell sed -n 's/^\#define AMXSHIM_VERSION_STRING "\(.*\)"$$/\1/p' include/amxshim/resolver.h)
VERSION_MAJOR := $(firstword $(subst ., ,$(VERSION)))

# Install layout (GNU names). A distribution sets LIBDIR=/usr/lib/x86_64-linux-gnu and the like.
PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
LIBEXECDIR   ?= $(PREFIX)/libexec/amxshim
# Architecture-specific helpers of a multiarch -dev package (Debian policy: not under libexec).
PKGLIBDIR    ?= $(LIBDIR)/amxshim
INCLUDEDIR   ?= $(PREFIX)/include
DATADIR      ?= $(PREFIX)/share
MANDIR       ?= $(DATADIR)/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
CMAKEDIR     ?= $(LIBDIR)/cmake/amxresolver
DESTDIR      ?=

# make predefines CC=cc (so `CC ?=` would never apply); a user's or the environment's CC still wins.
ifeq ($(origin CC),default)
CC := gcc
endif
ifeq ($(origin CXX),default)
CXX := g++
endif
NM      ?= nm
CFLAGS  ?= -O2 -g
CXXFLAGS ?= -O2 -g
# CI builds with WERROR=1; a user's newer compiler should not break the build over a new warning.
WERROR  ?=
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 $(if $(WERROR),-Werror)

# Compiling: our include directory first (an installed older header must not shadow it), then the user's
# CPPFLAGS and CFLAGS, then what the code requires, so that no user or distribution flag can undo it.
# -fcf-protection marks every object IBT+SHSTK (endbr64 at indirect-branch targets): the linker ANDs the
# mark, so one object without it strips CET from every library or program our archive is linked into.
# Tried on a function with the user's CFLAGS: GCC refuses it next to -mindirect-branch=thunk.
CET_CFLAGS := $(shell echo 'void f(void); void f(void) {}' | $(CC) $(CFLAGS) -fcf-protection=full -Werror -S \
	-x c - -o /dev/null 2>/dev/null && echo -fcf-protection=full)
BASE_CFLAGS := -std=gnu11 -fPIC -fvisibility=hidden $(CET_CFLAGS)
COMPILE = $(CC) -Iinclude $(CPPFLAGS) -D_GNU_SOURCE $(WARN) $(CFLAGS) $(BASE_CFLAGS) -MMD -MP
# Code that runs inside an IFUNC resolver (before TLS, before relocation ends): no stack protector, no
# fortify wrappers, no implicit libc calls (GCC turns copy loops into memcpy calls unless told not to).
# The objects are listed in RESOLVER_CONTEXT by the fragments; $(CCOBJ) adds these flags to them, last.
cc-option = $(shell $(CC) $(1) -Werror -E -x c /dev/null >/dev/null 2>&1 && echo $(1))
# Nor is it instrumented: no sanitizer or profiling runtime exists yet (a library built with
# -fsanitize=address must still load). `make asan`/`ubsan` empty RESOLVER_NO_INSTRUMENT for the unit tests,
# which call the code after start-up.
RESOLVER_NO_INSTRUMENT := -fno-sanitize=all -fno-profile-generate -fno-profile-arcs \
	$(call cc-option,-fno-instrument-functions) $(call cc-option,-fno-profile-instr-generate)
RESOLVER_SSP_CFLAGS := -fno-stack-protector -U_FORTIFY_SOURCE -fno-builtin \
	$(call cc-option,-fno-tree-loop-distribute-patterns)
RESOLVER_CFLAGS = $(RESOLVER_SSP_CFLAGS) $(RESOLVER_NO_INSTRUMENT)
# One compile line for every object: per-target OBJ_CFLAGS (defines, -I, ISA) and the resolver flags.
CCOBJ = $(COMPILE) $(OBJ_CFLAGS) $(if $(filter $@,$(RESOLVER_CONTEXT)),$(RESOLVER_CFLAGS))
# The one compile rule. $(call COMPILE_RULE,DIR,SRC) makes DIR/%.o from SRC%.c: the plain build is
# ($(BUILD),); a context that compiles sources again with its own flags (the shim's copy of the resolver,
# amxrun-exec's, ThreadSanitizer's) instantiates it once per source directory, its objects in a directory of
# their own, and sets its flags on those objects.
define COMPILE_RULE
$(1)/%.o: $(2)%.c
	@mkdir -p $$(@D)
	$$(CCOBJ) -c $$< -o $$@
endef
# Linking: the user's flags first, the required ones after them (-z lazy tests must stay lazy).
LINK = $(CC) $(CFLAGS) $(LDFLAGS)
LIB_LDFLAGS := -shared -Wl,--no-undefined -Wl,-z,now -Wl,-z,relro -Wl,-z,text
SHLINK = $(LINK) $(LIB_LDFLAGS)

# Files more than one fragment builds on, named before any fragment is read.
RESOLVER_SRCS := resolver/platform.c resolver/probe.c resolver/decide.c resolver/startenv.c resolver/api.c \
	resolver/leaves.c resolver/detail.c resolver/freestanding.c
FAKE_OBJ := $(BUILD)/tests/fake/fake_platform.o
FAKE_RESOLVER_LIB := $(BUILD)/libamxresolver-fake.a
SHIM_OBJS := $(BUILD)/shim/shim.o $(BUILD)/shim/settings.o $(BUILD)/shim/stderr.o $(BUILD)/shim/altstack.o \
	$(BUILD)/shim/altstack_sys.o
SHIM_RESOLVER_OBJS := $(RESOLVER_SRCS:resolver/%.c=$(BUILD)/shim/resolver/%.o)
EX := $(BUILD)/examples

# Filled in by the module fragments.
ALL_TARGETS :=
RESOLVER_CONTEXT := # objects whose code runs inside IFUNC resolvers (compiled with RESOLVER_CFLAGS)
TESTS :=          # executables/scripts run by `make check`, each exits 0 (pass), 77 (skip) or else (fail)
TEST_DEPS :=      # what must be built before the tests run
SANITIZE_TESTS := # tests that also run under ASan, UBSan and valgrind (no preload, no IFUNC at load time)
SANITIZE_DEPS :=  # what those need built
INSTALL_BIN :=    # installed to BINDIR
INSTALL_SHLIB :=  # shared objects named lib*.so.N (their SONAME), installed to LIBDIR with a lib*.so link
INSTALL_LIB :=    # other files for LIBDIR (the static library)
INSTALL_LIBEXEC := # to LIBEXECDIR
INSTALL_PKGLIB := # to PKGLIBDIR
INSTALL_INCLUDE := # headers for INCLUDEDIR itself (amxshim/resolver.h has its own line)
INSTALL_MAN1 :=   # man/*.1 sources; the installed page gets the version on its .TH line
INSTALL_MAN7 :=
INSTALL_PC :=     # further pkg-config files (made at install, as amxresolver.pc)
INSTALL_CPUID :=  # recorded CPUs, to DATADIR/amxshim/cpuid (the test kit's data)
INSTALL_MAN3 :=   # the API's pages (man/module.mk)
INSTALL_MAN3_LINKS := # LINK.3:PAGE.3, each another name PAGE documents, installed as a symbolic link

.PHONY: all check demo install uninstall dist deps clean asan ubsan valgrind sanitize-run valgrind-run
all:

# Building never installs anything: `make` names missing build dependencies and stops. `make deps`
# installs the build and test packages (as root); `make check` does it for you when needed, `make demo`
# installs only the build packages (all it needs). Checked once per make invocation, before any job starts.
BUILD_GOALS := all
TEST_GOALS := check bench fuzz asan ubsan valgrind tsan
ifneq ($(filter $(TEST_GOALS),$(MAKECMDGOALS)),)
ifneq ($(shell scripts/deps.sh --install build test >&2; echo $$?),0)
$(error missing Debian packages (listed above))
endif
else ifneq ($(filter demo,$(MAKECMDGOALS)),)
ifneq ($(shell scripts/deps.sh --install build >&2; echo $$?),0)
$(error missing Debian packages (listed above))
endif
else ifneq ($(filter $(BUILD_GOALS),$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell scripts/deps.sh build >&2; echo $$?),0)
$(error missing Debian packages (listed above))
endif
endif
deps:
	scripts/deps.sh --install build test

include $(sort $(wildcard */module.mk */*/module.mk))

all: $(ALL_TARGETS)

# Every object from its source, one rule (fragments add OBJ_CFLAGS per target where they need to).
$(eval $(call COMPILE_RULE,$(BUILD),))

# Header dependencies, written by the compiler (-MMD -MP).
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

check: all $(TEST_DEPS)
	@BUILD=$(BUILD) scripts/run-tests $(TESTS)

# Installed files (relative to DESTDIR): uninstall removes exactly these.
MAN_PAGES := $(INSTALL_MAN1:man/%=$(BUILD)/man/%) $(INSTALL_MAN3:man/%=$(BUILD)/man/%) \
	$(INSTALL_MAN7:man/%=$(BUILD)/man/%)
# $(call MAN3_LINK,1,LINK:PAGE) is the link's name, $(call MAN3_LINK,2,LINK:PAGE) the page it points to.
MAN3_LINK = $(word $(1),$(subst :, ,$(2)))
INSTALLED := $(addprefix $(BINDIR)/,$(notdir $(INSTALL_BIN:%.installed=%))) \
	$(addprefix $(LIBDIR)/,$(notdir $(INSTALL_SHLIB) $(INSTALL_LIB))) \
	$(addprefix $(LIBDIR)/,$(basename $(notdir $(INSTALL_SHLIB)))) \
	$(addprefix $(LIBEXECDIR)/,$(notdir $(INSTALL_LIBEXEC))) $(addprefix $(PKGLIBDIR)/,$(notdir $(INSTALL_PKGLIB))) \
	$(INCLUDEDIR)/amxshim/resolver.h $(addprefix $(INCLUDEDIR)/,$(notdir $(INSTALL_INCLUDE))) \
	$(PKGCONFIGDIR)/amxresolver.pc $(addprefix $(PKGCONFIGDIR)/,$(notdir $(INSTALL_PC))) \
	$(addprefix $(DATADIR)/amxshim/cpuid/,$(notdir $(INSTALL_CPUID))) \
	$(CMAKEDIR)/amxresolverConfig.cmake $(CMAKEDIR)/amxresolverConfigVersion.cmake \
	$(addprefix $(MANDIR)/man1/,$(notdir $(INSTALL_MAN1))) $(addprefix $(MANDIR)/man7/,$(notdir $(INSTALL_MAN7))) \
	$(addprefix $(MANDIR)/man3/,$(notdir $(INSTALL_MAN3)) $(foreach l,$(INSTALL_MAN3_LINKS),$(call MAN3_LINK,1,$(l))))
D = $(DESTDIR)

# Files that carry the release or the install paths: made again by every install (FORCE), never by `all`,
# so that an install with other paths leaves the build tree up to date.
.PHONY: FORCE
$(BUILD)/man/%: man/% FORCE
	@mkdir -p $(@D)
	sed 's/@VERSION@/$(VERSION)/g' $< >$@
$(BUILD)/amxresolver.pc: amxresolver.pc.in FORCE
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' $< >$@
# The CMake files find the library and header relative to themselves (DESTDIR and relocation work).
$(BUILD)/cmake/%.cmake: cmake/%.cmake.in FORCE
	@mkdir -p $(@D)
	sed -e 's|@VERSION@|$(VERSION)|' -e 's|@VERSION_MAJOR@|$(VERSION_MAJOR)|' \
		-e 's|@CMAKE_TO_LIBDIR@|$(shell realpath -m --relative-to=$(CMAKEDIR) $(LIBDIR))|' \
		-e 's|@CMAKE_TO_INCLUDEDIR@|$(shell realpath -m --relative-to=$(CMAKEDIR) $(INCLUDEDIR))|' $< >$@
INSTALL_DATA := $(BUILD)/amxresolver.pc $(INSTALL_PC) $(BUILD)/cmake/amxresolverConfig.cmake \
	$(BUILD)/cmake/amxresolverConfigVersion.cmake $(MAN_PAGES)

install: all $(INSTALL_DATA) $(INSTALL_BIN) $(INSTALL_LIBEXEC)
	install -d '$(D)$(BINDIR)' '$(D)$(LIBDIR)' '$(D)$(INCLUDEDIR)/amxshim' '$(D)$(PKGCONFIGDIR)' \
		'$(D)$(CMAKEDIR)' '$(D)$(MANDIR)/man1' '$(D)$(MANDIR)/man3' '$(D)$(MANDIR)/man7'
	$(foreach f,$(INSTALL_BIN),install -m 755 '$(f)' '$(D)$(BINDIR)/$(notdir $(f:%.installed=%))' &&) true
	$(foreach f,$(INSTALL_SHLIB),install -m 644 '$(f)' '$(D)$(LIBDIR)/' && \
		ln -sf '$(notdir $(f))' '$(D)$(LIBDIR)/$(basename $(notdir $(f)))' &&) true
	$(if $(strip $(INSTALL_LIB)),install -m 644 $(INSTALL_LIB) '$(D)$(LIBDIR)/')
	$(if $(strip $(INSTALL_LIBEXEC)),install -d '$(D)$(LIBEXECDIR)' && \
		install -m 755 $(INSTALL_LIBEXEC) '$(D)$(LIBEXECDIR)/')
	$(if $(strip $(INSTALL_PKGLIB)),install -d '$(D)$(PKGLIBDIR)' && \
		install -m 755 $(INSTALL_PKGLIB) '$(D)$(PKGLIBDIR)/')
	install -m 644 include/amxshim/resolver.h '$(D)$(INCLUDEDIR)/amxshim/'
	$(if $(strip $(INSTALL_INCLUDE)),install -m 644 $(INSTALL_INCLUDE) '$(D)$(INCLUDEDIR)/')
	install -m 644 $(BUILD)/amxresolver.pc $(INSTALL_PC) '$(D)$(PKGCONFIGDIR)/'
	$(if $(strip $(INSTALL_CPUID)),install -d '$(D)$(DATADIR)/amxshim/cpuid' && \
		install -m 644 $(INSTALL_CPUID) '$(D)$(DATADIR)/amxshim/cpuid/')
	install -m 644 $(BUILD)/cmake/amxresolverConfig.cmake $(BUILD)/cmake/amxresolverConfigVersion.cmake \
		'$(D)$(CMAKEDIR)/'
	$(if $(strip $(INSTALL_MAN1)),install -m 644 $(filter %.1,$(MAN_PAGES)) '$(D)$(MANDIR)/man1/')
	$(if $(strip $(INSTALL_MAN7)),install -m 644 $(filter %.7,$(MAN_PAGES)) '$(D)$(MANDIR)/man7/')
	$(if $(strip $(INSTALL_MAN3)),install -m 644 $(filter %.3,$(MAN_PAGES)) '$(D)$(MANDIR)/man3/')
	$(foreach l,$(INSTALL_MAN3_LINKS),ln -sf '$(call MAN3_LINK,2,$(l))' '$(D)$(MANDIR)/man3/$(call MAN3_LINK,1,$(l))' &&) true

# Removes what install wrote and the directories that only amxshim uses; shared ones (bin, lib) stay.
uninstall:
	rm -f $(foreach f,$(INSTALLED),'$(D)$(f)')
	-rmdir '$(D)$(INCLUDEDIR)/amxshim' '$(D)$(CMAKEDIR)' '$(D)$(DATADIR)/amxshim/cpuid' '$(D)$(DATADIR)/amxshim' '$(D)$(PKGLIBDIR)' $(if $(strip $(INSTALL_LIBEXEC)),'$(D)$(LIBEXECDIR)') \
		2>/dev/null

# The release tarball: the committed tree (git archive), which builds and tests on its own.
DIST := amxshim-$(VERSION)
dist:
	@mkdir -p $(BUILD)
	git archive --format=tar.gz --prefix=$(DIST)/ -o $(BUILD)/$(DIST).tar.gz HEAD
	@echo "$(BUILD)/$(DIST).tar.gz"

# Sanitizer builds go to their own build directory; the tests that make sense there are SANITIZE_TESTS.
SAN_COMMON := -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all
asan:
	$(MAKE) BUILD=$(BUILD)/asan CFLAGS="$(SAN_COMMON) -fsanitize=address" RESOLVER_NO_INSTRUMENT= sanitize-run
ubsan:
	$(MAKE) BUILD=$(BUILD)/ubsan CFLAGS="$(SAN_COMMON) -fsanitize=undefined" RESOLVER_NO_INSTRUMENT= sanitize-run
valgrind:
	$(MAKE) BUILD=$(BUILD)/valgrind CFLAGS="-O1 -g" valgrind-run

sanitize-run: $(SANITIZE_TESTS) $(SANITIZE_DEPS)
	@BUILD=$(BUILD) scripts/run-tests $(SANITIZE_TESTS)
valgrind-run: $(SANITIZE_TESTS) $(SANITIZE_DEPS)
	@BUILD=$(BUILD) VALGRIND="valgrind -q --trace-children=yes --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
		scripts/run-tests $(SANITIZE_TESTS)

clean:
	rm -rf $(BUILD)

# The man pages as installed (for `mandoc -T lint`).
.PHONY: man-pages
man-pages: $(MAN_PAGES)
