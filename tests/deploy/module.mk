# SPDX-License-Identifier: MIT
# Deployment as README's "Deploying" section describes it: /etc/ld.so.preload, ldconfig and the bare soname
# (systemd drop-in, Dockerfile ENV), in a private mount namespace (root only; SKIP otherwise).
TESTS += tests/deploy/system-wide.sh
TEST_DEPS += $(BUILD)/tests/integration/hello $(BUILD)/tests/tools/asan-prog
# The Kubernetes recipe (deploy/kubernetes): YAML parsed with python3-yaml, labels those amxinfo --nfd prints.
TESTS += tests/deploy/nfd.sh
TEST_DEPS += $(BUILD)/amxinfo
