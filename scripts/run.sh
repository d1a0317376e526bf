#!/usr/bin/env bash
# Quickstart on a fresh Debian bookworm machine (as root): installs what is missing, builds,
# and runs the operator's main job on the embedded sandbox:
#   1. starts zkop-sandbox (a local Kubernetes API server) with its state in .zkop-sandbox/;
#   2. installs the ZookeeperCluster CRD and examples/zookeepercluster.yaml with kubectl;
#   3. runs `zkop run` against it (leader election, metrics on :8080, health on :8081),
#      shows what it reports for the example, and keeps running until Ctrl-C.
# In another shell: KUBECONFIG=.zkop-sandbox/kubeconfig kubectl get zk
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
cmake -S . -B build
cmake --build build -j "$(nproc)" --target zkop zkop-sandbox

state="$PWD/.zkop-sandbox"
export KUBECONFIG="$state/kubeconfig"
mkdir -p "$state"
./build/bin/zkop-sandbox up --state-dir "$state" > "$state/sandbox.log" 2>&1 &
sandbox=$!
operator=""
cleanup() {
  [ -n "$operator" ] && kill "$operator" 2>/dev/null && wait "$operator" 2>/dev/null
  ./build/bin/zkop-sandbox down --state-dir "$state" > /dev/null 2>&1 || kill "$sandbox" 2>/dev/null
  wait "$sandbox" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

for _ in $(seq 1 300); do [ -s "$KUBECONFIG" ] && break; sleep 0.1; done
[ -s "$KUBECONFIG" ] || { echo "the sandbox did not start; see $state/sandbox.log"; exit 1; }

kubectl apply -f crds/zookeepercluster.yaml
kubectl wait --for=condition=Established crd/zookeeperclusters.zkop.io --timeout=30s 2>/dev/null || true
kubectl apply -f examples/zookeepercluster.yaml

./build/bin/zkop version
./build/bin/zkop run --kubeconfig "$KUBECONFIG" &
operator=$!

for _ in $(seq 1 600); do
  observed=$(kubectl get zk zk -o 'jsonpath={.status.observedGeneration}' 2>/dev/null || true)
  [ -n "$observed" ] && break
  sleep 0.1
done
kubectl get zk
kubectl get zk zk -o 'jsonpath={range .status.conditions[*]}{.type}={.status} ({.reason}): {.message}{"\n"}{end}'
echo "zkop is running (Ctrl-C stops it and the sandbox); KUBECONFIG=$KUBECONFIG"
wait "$operator"
