#!/usr/bin/env bash
# `zkop run` as its own process against a zkop-sandbox API server, driven and checked with
# the real kubectl, one case per invocation:
#   zkop_run_e2e.sh ZKOP SANDBOX SOURCE_DIR WORK_DIR CASE
# Every wait is for evidence with an upper bound; failures print what was seen.
set -u -o pipefail

ZKOP=$1
SANDBOX=$2
SOURCE=$3
WORK=$4
CASE=$5

source "$(dirname "${BASH_SOURCE[0]}")/../lib/sandbox_harness.sh"
harness_init "$WORK" "$CASE"

start_sandbox_with_crd() {
  start_sandbox
  ok apply -f "$SOURCE/crds/zookeepercluster.yaml"
}

# Sum of controller_runtime_reconcile_total samples in a /metrics text on stdin.
sum_reconciles() { awk '/^controller_runtime_reconcile_total[{]/ { s += $2 } END { print s + 0 }'; }
export -f sum_reconciles

lease_holder() {
  k get lease zkop-leader -n default -o 'jsonpath={.spec.holderIdentity}' 2>/dev/null
}

identity_of() { sed -n 's/.*zkop starting as \([^ ]*\) .*/\1/p' "$WORK/operator-$1.log" | head -n1; }

condition_reason() {
  k get zk "$1" -o "jsonpath={.status.conditions[?(@.type==\"$2\")].reason}" 2>/dev/null
}

case_metrics_health() {
  start_sandbox_with_crd
  start_operator a
  wait_for 60 curl -sf "http://127.0.0.1:${OPERATOR_PROBE_PORT[a]}/healthz" || fail "/healthz never answered 200"
  ok apply -f "$SOURCE/examples/zookeepercluster.yaml"
  wait_for 60 bash -c "[ \"\$(kubectl --kubeconfig $KCFG get zk zk -o jsonpath={.status.observedGeneration})\" = \
\"\$(kubectl --kubeconfig $KCFG get zk zk -o jsonpath={.metadata.generation})\" ]" \
    || fail "status.observedGeneration never reached metadata.generation"
  ok get zk zk -o 'jsonpath={.metadata.finalizers}'
  grep -q 'zkop.io/cleanup' <<<"$OUT" || fail "no finalizer: $OUT"
  [ -n "$(condition_reason zk Progressing)" ] || fail "no Progressing condition"
  ok get zk zk -o 'jsonpath={.status.selector}'
  [ "$OUT" = "app.kubernetes.io/instance=zk,app.kubernetes.io/name=zookeeper" ] || fail "selector '$OUT'"
  METRICS=$(curl -sf "http://127.0.0.1:${OPERATOR_METRICS_PORT[a]}/metrics") || fail "/metrics did not answer"
  grep -q '^controller_runtime_reconcile_total' <<<"$METRICS" ||
    fail "no controller_runtime_reconcile_total in /metrics:
$(head -n 40 <<<"$METRICS")"
  grep -q '^workqueue_adds_total' <<<"$METRICS" || fail "no workqueue metrics"
}

case_invalid_spec() {
  start_sandbox_with_crd
  start_operator a
  cat >"$WORK/even.yaml" <<'YAML'
apiVersion: zkop.io/v1alpha1
kind: ZookeeperCluster
metadata: {name: even}
spec: {replicas: 4}
YAML
  ok apply -f "$WORK/even.yaml"
  wait_for 60 bash -c "[ \"\$(kubectl --kubeconfig $KCFG get zk even -o 'jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}')\" = InvalidSpec ]" \
    || fail "Ready never became InvalidSpec"
  ok get zk even -o 'jsonpath={.status.conditions[?(@.type=="Ready")].message}'
  grep -q 'even number' <<<"$OUT" || fail "message does not say why: $OUT"
  ok get zk even -o 'jsonpath={.status.phase}'
  [ "$OUT" = "Failed" ] || fail "phase '$OUT'"
  wait_for 30 bash -c "kubectl --kubeconfig $KCFG get events -o jsonpath='{.items[*].reason}' | grep -q InvalidSpec" \
    || fail "no InvalidSpec event"
  # Fixing the spec clears the refusal.
  sed -i 's/replicas: 4/replicas: 3/' "$WORK/even.yaml"
  ok apply -f "$WORK/even.yaml"
  wait_for 60 bash -c "[ \"\$(kubectl --kubeconfig $KCFG get zk even -o 'jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}')\" != InvalidSpec ]" \
    || fail "the refusal stayed after the spec was fixed"
}

case_leader_failover() {
  start_sandbox_with_crd
  start_operator a
  local pid_a=$LAST_PID
  start_operator b
  local pid_b=$LAST_PID
  wait_for 60 bash -c "[ -n \"\$(kubectl --kubeconfig $KCFG get lease zkop-leader -n default -o jsonpath={.spec.holderIdentity} 2>/dev/null)\" ]" \
    || fail "nobody took the lease"
  local holder
  holder=$(lease_holder)
  local id_a id_b leader_pid other
  id_a=$(identity_of a)
  id_b=$(identity_of b)
  if [ "$holder" = "$id_a" ]; then leader_pid=$pid_a; other=$id_b;
  elif [ "$holder" = "$id_b" ]; then leader_pid=$pid_b; other=$id_a;
  else fail "lease held by '$holder', neither '$id_a' nor '$id_b'"; fi
  # Exactly one leads: only the leader reports leader_election_master_status 1 and reconciles.
  local leader_port follower_port
  if [ "$leader_pid" = "$pid_a" ]; then
    leader_port=${OPERATOR_METRICS_PORT[a]} follower_port=${OPERATOR_METRICS_PORT[b]}
  else
    leader_port=${OPERATOR_METRICS_PORT[b]} follower_port=${OPERATOR_METRICS_PORT[a]}
  fi
  ok apply -f "$SOURCE/examples/zookeepercluster.yaml"
  wait_for 60 bash -c "[ \$(curl -sf http://127.0.0.1:$leader_port/metrics | sum_reconciles) -gt 0 ]" \
    || fail "the leader never reconciled"
  # Read whole, then match: under pipefail `curl | grep -q` fails when grep exits early and
  # curl, still writing, dies of SIGPIPE (it did once in CI).
  local leader_metrics
  leader_metrics=$(curl -sf "http://127.0.0.1:$leader_port/metrics") || fail "the leader's /metrics did not answer"
  grep -q '^leader_election_master_status{.*} 1' <<<"$leader_metrics" ||
    fail "the leader does not report leader_election_master_status 1:
$(grep '^leader_election_master_status' <<<"$leader_metrics")"
  local follower
  follower=$(curl -sf "http://127.0.0.1:$follower_port/metrics") || fail "the follower's /metrics did not answer"
  [ "$(sum_reconciles <<<"$follower")" -eq 0 ] || fail "the follower reconciled too:
$(grep '^controller_runtime_reconcile_total' <<<"$follower")"
  kill -9 "$leader_pid"
  local killed=$SECONDS
  wait_for 45 bash -c "[ \"\$(kubectl --kubeconfig $KCFG get lease zkop-leader -n default -o jsonpath={.spec.holderIdentity})\" = \"$other\" ]" \
    || fail "'$other' did not take over the lease within 45s (holder: $(lease_holder))"
  local took=$((SECONDS - killed))
  echo "takeover after ${took}s (lease duration 15s)"
  # No bound tighter than the wait above: how soon after the lease expires the other process
  # renews depends on the machine's load (a loaded 2-core run once took 22 s). That it takes
  # over at all, and records the transition, is what this case proves.
  ok get lease zkop-leader -n default -o 'jsonpath={.spec.leaseTransitions}'
  [ "${OUT:-0}" -ge 1 ] || fail "leaseTransitions '$OUT'"
}

case_reclaim_delete() {
  start_sandbox_with_crd
  start_operator a
  cat >"$WORK/c.yaml" <<'YAML'
apiVersion: zkop.io/v1alpha1
kind: ZookeeperCluster
metadata: {name: gone}
spec: {replicas: 1, persistence: {reclaimPolicy: Delete}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data-gone-0
  labels: {app.kubernetes.io/instance: gone, app.kubernetes.io/name: zookeeper}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
YAML
  ok apply -f "$WORK/c.yaml"
  wait_for 60 bash -c "kubectl --kubeconfig $KCFG get zk gone -o jsonpath={.metadata.finalizers} | grep -q zkop.io/cleanup" \
    || fail "no finalizer"
  ok delete zk gone --wait --timeout=60s
  wait_for 30 bash -c "! kubectl --kubeconfig $KCFG get pvc data-gone-0 >/dev/null 2>&1" \
    || fail "the data volume survived reclaimPolicy: Delete"
}

"case_$CASE"
echo "PASS [$CASE]"
