#!/usr/bin/env bash
# Quickstart on a fresh Debian bookworm machine (as root): installs what is missing, builds,
# and runs the operator's main job on the embedded sandbox, start to end, without a prompt:
#   1. starts zkop-sandbox (a local Kubernetes API server whose pods are real ZooKeeper
#      servers) with its state in .zkop-sandbox/state/;
#   2. starts `zkop run` in the background (log: .zkop-sandbox/operator-main.log);
#   3. applies the CRD and examples/zookeepercluster-sandbox.yaml, waits until it is Ready;
#   4. while zkop-workload writes sequenced znodes: bumps the version (3.8.4 -> 3.9.2), then
#      scales out 3 -> 5, printing every few seconds the current plan step, each member's
#      role and version, and the leader;
#   5. prints the workload summary (acknowledged, lost, longest pause, leader changes), stops
#      everything it started and exits 0 only if no acknowledged write was lost.
# Bounded: fails with what the cluster showed after ZKOP_RUN_DEADLINE seconds (default 1800).
# While it runs: KUBECONFIG=.zkop-sandbox/state/kubeconfig kubectl get zk
set -u -o pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

./scripts/install-deps.sh || { echo "run.sh: installing dependencies failed" >&2; exit 1; }
cmake -S . -B build >/dev/null || { echo "run.sh: cmake configure failed" >&2; exit 1; }
cmake --build build -j "$(nproc)" --target zkop zkop-sandbox zkop-workload ||
  { echo "run.sh: build failed" >&2; exit 1; }
command -v jq >/dev/null 2>&1 || { echo "run.sh: jq is needed to read the workload report" >&2; exit 1; }

SOURCE=$ROOT
ZKOP=$ROOT/build/bin/zkop
SANDBOX=$ROOT/build/bin/zkop-sandbox
WORKLOAD=$ROOT/build/bin/zkop-workload
source "$ROOT/tests/lib/sandbox_harness.sh"
source "$ROOT/e2e/scenarios/lib.sh"
command -v kubectl >/dev/null 2>&1 || { echo "run.sh: kubectl is needed (the sandbox is driven with it)" >&2; exit 1; }
harness_init "$ROOT/.zkop-sandbox" main-job

DEADLINE=$((SECONDS + ${ZKOP_RUN_DEADLINE:-1800}))
PROGRESS_T0=$SECONDS
# Seconds left before the deadline (a stage that is not done by then fails).
left() {
  local l=$((DEADLINE - SECONDS))
  echo $((l > 0 ? l : 0))
}
BOUND="within the main job's deadline, ZKOP_RUN_DEADLINE=${ZKOP_RUN_DEADLINE:-1800}s"
stage() { printf '\n==> [%4ss] %s\n' "$((SECONDS - PROGRESS_T0))" "$*"; }

"$ZKOP" version
stage "starting the sandbox (state in $STATE)"
start_sandbox
install_crd
stage "starting zkop run (log: $WORK/operator-main.log)"
start_operator main
echo "    in another shell: KUBECONFIG=$KCFG kubectl get zk"

stage "creating the cluster from examples/zookeepercluster-sandbox.yaml"
apply_cluster "$ROOT/examples/zookeepercluster-sandbox.yaml"
follow "$CLUSTER" "$(left)" "creating $CLUSTER ($BOUND)" has_members "$CLUSTER" 3
k get zk "$CLUSTER"

stage "starting zkop-workload (writes sequenced znodes, watches the leader)"
start_workload "$CLUSTER" 50

stage "version upgrade 3.8.4 -> 3.9.2 ($(zk_get "$CLUSTER" '{.spec.updatePolicy.strategy}'): followers first, the leader last)"
patch_spec "$CLUSTER" '{"version":"3.9.2","image":{"tag":"3.9.2"}}'
follow "$CLUSTER" "$(left)" "upgrading $CLUSTER to 3.9.2 ($BOUND)" has_version "$CLUSTER" 3.9.2

stage "scale-out 3 -> 5 (one joiner at a time: observer first, then promoted by reconfig)"
patch_spec "$CLUSTER" '{"replicas":5}'
follow "$CLUSTER" "$(left)" "scaling $CLUSTER to 5 ($BOUND)" has_members "$CLUSTER" 5

stage "stopping the workload and verifying every acknowledged write on every member"
finish_workload
k get zk "$CLUSTER"
print_summary "main job"
assert_no_lost_writes
echo "events:"
k get events --field-selector "involvedObject.name=$CLUSTER" \
  -o 'jsonpath={range .items[*]}  {.reason}: {.message}{"\n"}{end}' | tail -n 30
stage "done: no acknowledged write lost; stopping the operator and the sandbox"
