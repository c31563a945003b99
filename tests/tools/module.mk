TESTS += tests/tools/amxinfo.sh
