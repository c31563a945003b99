# SPDX-License-Identifier: MIT
TESTS += tests/install/install.sh
