TESTS += tests/install/install.sh
