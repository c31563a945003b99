# SPDX-License-Identifier: MIT
TESTS += tests/install/install.sh
TEST_DEPS += $(BUILD)/tests/integration/amxtruth
