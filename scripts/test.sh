#!/usr/bin/env bash
# The whole test suite on a fresh Debian bookworm machine (as root): installs what is
# missing, builds the project and an ASan+UBSan build of the unit tests, and runs ctest.
# The sanitizer build's unit tests run as one test (sanitizer_unit_tests) of the main
# tree, so ctest's single summary at the end counts everything.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

jobs="$(nproc)"
cmake -S . -B build-asan -DZKOP_SANITIZE=ON -DZKOP_UNIT_ONLY=ON -DCMAKE_BUILD_TYPE=Debug
cmake --build build-asan -j "$jobs"
cmake -S . -B build -DZKOP_SANITIZER_BUILD_DIR="$PWD/build-asan"
cmake --build build -j "$jobs"

ctest --test-dir build --output-on-failure -j "$jobs" "$@"
