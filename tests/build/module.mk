# SPDX-License-Identifier: MIT
# The build as a packager uses it (each test runs a make of its own): hardening flags, CPPFLAGS/LDFLAGS,
# -MMD, no package installs from `make`, CMake/Meson/pkg-config consumers of an install, `make dist`, the
# example library with ASan and LTO, the CET property on every object, one release number in every file
# that carries it. No function over 60 lines outside tests/ without a reason above it.
TESTS += tests/build/hardening.sh tests/build/flags.sh tests/build/nodeps.sh tests/build/consumers.sh \
	tests/build/dist.sh tests/build/kernels.sh tests/build/testkit.sh tests/build/cet.sh tests/build/version.sh \
	tests/build/layering.sh tests/build/long-functions.sh
