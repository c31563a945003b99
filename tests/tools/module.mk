# SPDX-License-Identifier: MIT
TESTS += tests/tools/amxinfo.sh
SANITIZE_TESTS += tests/tools/amxinfo-smoke.sh
SANITIZE_DEPS += $(BUILD)/amxinfo
