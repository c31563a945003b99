# SPDX-License-Identifier: MIT
# Real third-party binaries: `make realcheck` downloads the corpus (tests/realworld/manifest.tsv, about
# 1.5 GB) into the user's cache (AMXSCAN_CORPUS, default ~/.cache/amxshim/realworld: it outlives build
# trees and clones) and checks amxscan against it; in `make check` the same test uses that cache or SKIPs.
TESTS += tests/realworld/check.sh
TEST_DEPS += $(BUILD)/amxscan

.PHONY: realcheck
realcheck: $(BUILD)/amxscan
	tests/realworld/fetch.sh
	BUILD=$(BUILD) tests/realworld/check.sh
