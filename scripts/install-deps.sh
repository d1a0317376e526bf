#!/usr/bin/env bash
# Installs every Debian package zkop needs to build, test and run its sandbox.
# Idempotent: packages already present are skipped, and apt is not touched at all
# when nothing is missing. Run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates openssl
  clang-format
  libcpprest-dev libssl-dev libboost-dev libboost-system-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libzookeeper-mt-dev prometheus-cpp-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev
  # The ZooKeeper server (Java) runs the sandbox's pods and the end-to-end tests.
  zookeeper default-jre-headless
  # The real kubectl checks the sandbox; Debian ships it as kubernetes-client.
  # A kubectl already on PATH (any source) is kept.
  util-linux iproute2 procps netcat-openbsd
  # The scenarios and scripts/run.sh read the workload's JSON report with jq.
  jq
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ! command -v kubectl >/dev/null 2>&1; then
  missing+=(kubernetes-client)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
