#!/usr/bin/env bash
# Quickstart on a fresh Debian bookworm machine (as root): installs what is missing,
# builds, and runs the operator's main job.
#
# Until the embedded sandbox lands (issues 4 and 5), the main job is the operator's
# offline front half: validate every example manifest and show what the operator would
# create for the first one.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake -S . -B build
cmake --build build -j "$(nproc)" --target zkop

./build/bin/zkop version
for manifest in examples/*.yaml; do
  ./build/bin/zkop validate -f "$manifest"
done
./build/bin/zkop render -f examples/zookeepercluster.yaml
