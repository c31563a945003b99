# SPDX-License-Identifier: MIT
# The resolver's tests (cmocka) over the fake platform: the decision table and the cached API's exact
# GET/REQ/GET call order.
RESOLVER_TEST_DIR := $(BUILD)/tests/resolver
RESOLVER_TESTS := $(RESOLVER_TEST_DIR)/test_decide $(RESOLVER_TEST_DIR)/test_api

TESTS += $(RESOLVER_TESTS)
TEST_DEPS += $(RESOLVER_TESTS)
SANITIZE_TESTS += $(RESOLVER_TESTS)

$(RESOLVER_TESTS): $(RESOLVER_TEST_DIR)/%: $(RESOLVER_TEST_DIR)/%.o $(RESOLVER_TEST_DIR)/unit.o $(FAKE_RESOLVER_LIB)
	$(LINK) -o $@ $< $(RESOLVER_TEST_DIR)/unit.o $(FAKE_RESOLVER_LIB) -lcmocka

# The decision table dumped row by row, one process each (tests/resolver/decisions.sh).
TESTS += tests/resolver/decisions.sh
TEST_DEPS += $(RESOLVER_TEST_DIR)/decision_row
$(RESOLVER_TEST_DIR)/decision_row: $(RESOLVER_TEST_DIR)/decision_row.o $(FAKE_RESOLVER_LIB)
	$(LINK) -o $@ $^
