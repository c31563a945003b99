# SPDX-License-Identifier: MIT
# Real third-party binaries: `make realcheck` downloads the corpus (tests/realworld/manifest.tsv) and
# checks amxscan against it; in `make check` the same test uses the cached corpus or SKIPs.
TESTS += tests/realworld/check.sh
TEST_DEPS += $(BUILD)/amxscan

.PHONY: realcheck
realcheck: $(BUILD)/amxscan
	AMXSCAN_CORPUS=$(BUILD)/realworld tests/realworld/fetch.sh
	BUILD=$(BUILD) AMXSCAN_CORPUS=$(BUILD)/realworld tests/realworld/check.sh
