#!/usr/bin/env bash
# The real kubectl against a running zkop-sandbox, one case per invocation:
#   kubectl_e2e.sh SANDBOX_BINARY TESTDATA_DIR WORK_DIR CASE
# Every wait is for evidence (a file, a process exit, an object state) with an upper bound;
# every failure prints what it saw and the end of the sandbox's request log.
set -u -o pipefail

SANDBOX=$1
TESTDATA=$2
WORK=$3
CASE=$4

source "$(dirname "${BASH_SOURCE[0]}")/../lib/sandbox_harness.sh"
HARNESS_SANDBOX_LOG_LINES=40
harness_init "$WORK" "$CASE"
LOG=$SANDBOX_LOG

# The request log (--verbose) is what several cases check; a short watch history lets a case
# push a version out of it.
start_verbose_sandbox() { start_sandbox --verbose --history-size 20 --bookmark-interval-ms 200; }

# kubectl before 1.27 validates client-side with protobuf OpenAPI v2, which the sandbox does not
# serve; such a kubectl applies without client-side validation.
MINOR=$(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p' | head -n1)
APPLY_FLAGS=()
MODERN=1
if [ -n "$MINOR" ] && [ "$MINOR" -lt 27 ]; then
  APPLY_FLAGS=(--validate=false)
  MODERN=0
fi

apply() { ok apply "${APPLY_FLAGS[@]}" "$@"; }

setup_crd() {
  apply -f "$TESTDATA/crd.yaml"
  apply -f "$TESTDATA/widget.yaml"
}

case_crd_workflow() {
  setup_crd
  ok get widgets
  contains '^NAME +REPLICAS +READY +PHASE +AGE'
  contains '^alpha +3 '
  ok get wd alpha -o yaml
  contains 'mode: Dynamic'      # schema default
  contains 'anything: goes'     # x-kubernetes-preserve-unknown-fields
  contains 'generation: 1'
  # explain reads OpenAPI v3 (kubectl >= 1.27) or the protobuf OpenAPI v2 (older kubectl, and
  # --output=plaintext-openapiv2).
  ok explain widget.spec.replicas
  contains 'Number of widget replicas'
  if [ $MODERN = 1 ]; then
    ok explain --output=plaintext-openapiv2 widget.spec
    contains 'replicas.*<integer>'
    # Server-side strict validation refuses an unknown field.
    fails_with 'unknown field "spec.colour"' apply -f "$TESTDATA/widget-unknown-field.yaml"
  fi
  fails_with 'spec.replicas' apply -f "$TESTDATA/widget-invalid.yaml"
  ok scale wd alpha --replicas=5
  ok get wd alpha -o 'jsonpath={.spec.replicas} {.metadata.generation}'
  [ "$OUT" = "5 2" ] || fail "after scale expected replicas 5 generation 2, got '$OUT'"
  ok annotate wd alpha zkop.io/note=hello
  ok label wd alpha tier=db
  ok get wd -l tier=db -o name
  contains 'widget.test.zkop.io/alpha'
  # The second apply of a changed file is a PATCH.
  sed 's/zookeeper:3.8.0/zookeeper:3.8.1/' "$TESTDATA/widget.yaml" >"$WORK/widget-v2.yaml"
  apply -f "$WORK/widget-v2.yaml"
  contains 'configured'
  grep -q 'PATCH /apis/test.zkop.io/v1alpha1/namespaces/default/widgets/alpha' "$LOG" ||
    fail "the second apply did not PATCH"
  ok get wd alpha -o yaml
  contains 'image: zookeeper:3.8.1'
  contains 'zkop.io/note: hello'
  # replace with a stale resourceVersion
  ok get wd alpha -o yaml
  printf '%s\n' "$OUT" >"$WORK/alpha.yaml"
  ok annotate wd alpha again=yes
  fails_with 'Conflict|the object has been modified' replace -f "$WORK/alpha.yaml"
  # Server-side apply (merged without field ownership).
  sed 's/zookeeper:3.8.0/zookeeper:3.8.2/' "$TESTDATA/widget.yaml" >"$WORK/widget-v3.yaml"
  ok apply --server-side --force-conflicts -f "$WORK/widget-v3.yaml"
  contains 'serverside-applied'
  ok get wd alpha -o 'jsonpath={.spec.image}'
  [ "$OUT" = "zookeeper:3.8.2" ] || fail "server-side apply: image '$OUT'"
  # status subresource: printer columns read it, generation does not move.
  # (kubectl patch --subresource arrived in 1.24.)
  if [ $MODERN = 1 ]; then
    ok patch wd alpha --subresource=status --type=merge -p '{"status":{"phase":"Running","readyReplicas":5,"replicas":5}}'
  else
    echo "kubectl 1.$MINOR: status subresource checks skipped"
    return 0
  fi
  ok get wd alpha
  contains '^alpha +5 +5 +Running '
  ok get wd alpha -o 'jsonpath={.metadata.generation}'
  [ "$OUT" = "4" ] || fail "generation should be 4 (scale, two images), got '$OUT'"
  # describe lists the events whose involvedObject is the widget (a field-selected list).
  ok get wd alpha -o 'jsonpath={.metadata.uid}'
  sed "s/OWNER_UID/$OUT/g" "$TESTDATA/event.yaml" >"$WORK/event.yaml"
  apply -f "$WORK/event.yaml"
  ok describe wd alpha
  contains 'Replicas: +5'
  contains 'Normal +Scaled .*scaled to 5'
  contains 'Phase: +Running'
  ok delete wd alpha --wait --timeout=30s
  gone wd alpha || fail "alpha still exists after delete --wait"
}

case_builtin_kinds() {
  apply -f "$TESTDATA/builtins.yaml"
  ok get pods,svc,cm,secret,sts,pdb
  contains 'pod/web'
  contains 'service/web +ClusterIP +10\.'
  contains 'statefulset.apps/db'
  ok get secret creds -o 'jsonpath={.data.password}'
  [ "$OUT" = "czNjcjN0" ] || fail "stringData should become base64 data, got '$OUT'"
  # A second apply of a pod with a changed env is a strategic merge patch by container name.
  sed 's/value: "one"/value: "two"/' "$TESTDATA/builtins.yaml" >"$WORK/builtins-v2.yaml"
  apply -f "$WORK/builtins-v2.yaml"
  grep -q 'PATCH /api/v1/namespaces/default/pods/web' "$LOG" || fail "no PATCH of the pod"
  ok get pod web -o 'jsonpath={range .spec.containers[*]}{.name}={.env[0].value};{end}'
  [ "$OUT" = "app=two;sidecar=x;" ] || fail "containers after strategic merge: '$OUT'"
  ok patch pod web -p '{"spec":{"containers":[{"name":"sidecar","image":"busybox:2"}]}}'
  ok get pod web -o 'jsonpath={.spec.containers[*].image}'
  [ "$OUT" = "nginx busybox:2" ] || fail "strategic patch by name: '$OUT'"
  ok scale sts db --replicas=3
  ok get sts db -o 'jsonpath={.spec.replicas}'
  [ "$OUT" = "3" ] || fail "sts scale: '$OUT'"
  ok describe pod web
  contains 'Image: +nginx'
  ok get events.events.k8s.io
  ok delete -f "$TESTDATA/builtins.yaml" --wait --timeout=30s
  ok get pods -o name
  [ -z "$OUT" ] || fail "pods left after delete: $OUT"
}

case_watch() {
  setup_crd
  # kubectl get --watch receives the change of a label.
  k get wd --watch --output-watch-events --request-timeout=30s >"$WORK/watch.out" 2>&1 &
  local watcher=$!
  wait_for 20 grep -q 'ADDED' "$WORK/watch.out" || fail "get --watch printed no ADDED: $(cat "$WORK/watch.out")"
  ok label wd alpha seen=yes
  wait_for 20 grep -q 'MODIFIED' "$WORK/watch.out" || fail "get --watch saw no MODIFIED: $(cat "$WORK/watch.out")"
  kill "$watcher" 2>/dev/null
  wait "$watcher" 2>/dev/null
  # A raw watch from a known version replays what followed it, with bookmarks.
  ok get wd alpha -o 'jsonpath={.metadata.resourceVersion}'
  local rv=$OUT
  ok label wd alpha step=1
  ok get --raw "/apis/test.zkop.io/v1alpha1/namespaces/default/widgets?watch=1&resourceVersion=$rv&allowWatchBookmarks=true&timeoutSeconds=1"
  contains '"type":"MODIFIED"'
  contains '"type":"BOOKMARK"'
  # Push the history window (20 events) past $rv: the watch gets 410 Expired.
  for i in $(seq 1 25); do ok annotate wd alpha "n=$i" --overwrite; done
  ok get --raw "/apis/test.zkop.io/v1alpha1/namespaces/default/widgets?watch=1&resourceVersion=$rv&timeoutSeconds=5"
  contains '"type":"ERROR"'
  contains '"code":410'
  contains '"reason":"Expired"'
}

case_gc() {
  setup_crd
  ok get wd alpha -o 'jsonpath={.metadata.uid}'
  local uid=$OUT
  sed "s/OWNER_UID/$uid/g" "$TESTDATA/dependents.yaml" >"$WORK/dependents.yaml"
  apply -f "$WORK/dependents.yaml"
  ok delete wd alpha
  wait_for 20 gone cm dep-a || fail "dependent dep-a survived its owner (background)"
  gone cm dep-b || fail "dependent dep-b survived its owner"
  # Foreground: the owner waits, with foregroundDeletion, for a dependent held by a finalizer.
  apply -f "$TESTDATA/widget.yaml"
  ok get wd alpha -o 'jsonpath={.metadata.uid}'
  uid=$OUT
  sed "s/OWNER_UID/$uid/g" "$TESTDATA/dependents.yaml" >"$WORK/dependents.yaml"
  apply -f "$WORK/dependents.yaml"
  ok patch cm dep-a --type=merge -p '{"metadata":{"finalizers":["test.zkop.io/hold"]}}'
  ok delete wd alpha --cascade=foreground --wait=false
  ok get wd alpha -o 'jsonpath={.metadata.finalizers}'
  contains 'foregroundDeletion'
  wait_for 20 gone cm dep-b || fail "dep-b was not deleted in the foreground"
  ok get wd alpha -o name
  ok patch cm dep-a --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'
  wait_for 20 gone wd alpha || fail "the owner stayed after its last dependent went"
  # Orphan: dependents stay, without the reference.
  apply -f "$TESTDATA/widget.yaml"
  ok get wd alpha -o 'jsonpath={.metadata.uid}'
  sed "s/OWNER_UID/$OUT/g" "$TESTDATA/dependents.yaml" >"$WORK/dependents.yaml"
  apply -f "$WORK/dependents.yaml"
  ok delete wd alpha --cascade=orphan --wait --timeout=30s
  ok get cm dep-a -o 'jsonpath={.metadata.ownerReferences}'
  [ -z "$OUT" ] || fail "orphaned dependent still has ownerReferences: $OUT"
}

case_finalizers() {
  apply -f "$TESTDATA/finalized.yaml"
  ok delete cm held --wait=false
  ok get cm held -o 'jsonpath={.metadata.deletionTimestamp}'
  [ -n "$OUT" ] || fail "a finalized object got no deletionTimestamp"
  ok get cm held -o name
  ok patch cm held --type=merge -p '{"metadata":{"finalizers":null}}'
  wait_for 20 gone cm held || fail "the object stayed after its finalizers were removed"
}

case_namespaces() {
  apply -f "$TESTDATA/namespace.yaml"
  ok get cm,secret -n scratch -o name
  contains 'configmap/a'
  ok delete ns scratch --wait=false
  ok get ns scratch
  contains 'Terminating'
  fails_with 'forbidden|being terminated' create -n scratch -f "$TESTDATA/finalized.yaml"
  ok patch cm a -n scratch --type=merge -p '{"metadata":{"finalizers":null}}'
  wait_for 20 gone ns scratch || fail "the namespace stayed after its content went"
  ok get cm,secret -n scratch -o name
  [ -z "$OUT" ] || fail "content left in a deleted namespace: $OUT"
}

case_pagination() {
  apply -f "$TESTDATA/many.yaml"
  ok get cm -l batch=many --chunk-size=3 -o name
  [ "$(wc -l <<<"$OUT")" = "7" ] || fail "expected 7 configmaps over pages, got:
$OUT"
  grep -q 'GET /api/v1/namespaces/default/configmaps?continue=' "$LOG" ||
    fail "kubectl did not page with continue"
  ok get --raw "/api/v1/namespaces/default/configmaps?limit=3"
  contains '"continue":"'
  local token
  token=$(sed -n 's/.*"continue":"\([^"]*\)".*/\1/p' <<<"$OUT")
  ok get --raw "/api/v1/namespaces/default/configmaps?limit=3&continue=$token"
  contains '"name":"many-3"'
  not_contains '"name":"many-0"'
}

inject() {
  printf '%s\n' "$1" >"$WORK/fault.json"
  ok create --raw /sandbox/v1/faults -f "$WORK/fault.json"
}

case_faults() {
  setup_crd
  inject '{"verb":"list","resource":"widgets","count":1,"code":503}'
  fails_with 'ServiceUnavailable|injected fault' get wd
  ok get wd
  contains 'alpha'
  inject '{"verb":"get","resource":"widgets","count":1,"code":500}'
  fails_with 'injected fault' get wd alpha
  ok get wd alpha
  inject '{"verb":"patch","resource":"widgets","count":1,"code":409,"reason":"Conflict"}'
  fails_with 'Conflict|injected' label wd alpha x=y
  ok label wd alpha x=y
  inject '{"verb":"create","resource":"configmaps","count":1,"code":429}'
  # client-go retries a 429 after its Retry-After: the apply succeeds on the second POST.
  apply -f "$TESTDATA/finalized.yaml" --request-timeout=20s
  grep -q 'POST /api/v1/namespaces/default/configmaps?.* -> 429' "$LOG" || fail "no 429 was served"
  # drop-watches ends an open watch.
  k get --raw "/apis/test.zkop.io/v1alpha1/namespaces/default/widgets?watch=1&timeoutSeconds=120" \
    >"$WORK/dropped.out" 2>&1 &
  local watcher=$!
  wait_for 20 grep -q ADDED "$WORK/dropped.out" || fail "the watch did not start: $(cat "$WORK/dropped.out")"
  ok create --raw /sandbox/v1/drop-watches -f /dev/null
  wait_for 20 bash -c "! kill -0 $watcher 2>/dev/null" || fail "the watch survived drop-watches"
  wait "$watcher" 2>/dev/null
  # compact: any older version now gets 410.
  ok get wd alpha -o 'jsonpath={.metadata.resourceVersion}'
  local rv=$OUT
  ok label wd alpha after=compact
  ok create --raw /sandbox/v1/compact -f /dev/null
  ok get --raw "/apis/test.zkop.io/v1alpha1/namespaces/default/widgets?watch=1&resourceVersion=$rv&timeoutSeconds=5"
  contains '"code":410'
  ok get --raw /sandbox/v1/faults
  contains '"faults":\[\]'
}

case_persistence() {
  setup_crd
  ok scale wd alpha --replicas=4
  stop_sandbox
  [ ! -e "$KUBECONFIG_FILE" ] || fail "the kubeconfig outlived the sandbox"
  start_verbose_sandbox
  ok get wd alpha -o 'jsonpath={.spec.replicas}'
  [ "$OUT" = "4" ] || fail "after down/up expected replicas 4, got '$OUT'"
  ok get crd widgets.test.zkop.io -o name
}

# The project's own CRD and examples (crds/, examples/), when they exist: the sequence the
# issue's definition of done names, on whatever ZookeeperCluster the examples create.
case_project_crd() {
  local root
  root=$(cd "$TESTDATA/../../.." && pwd)
  if [ ! -d "$root/crds" ] || [ ! -d "$root/examples" ]; then
    echo "SKIP: no crds/ or examples/ in $root yet"
    exit 77
  fi
  apply -f "$root/crds/"
  # The examples name their namespaces; as on a real cluster, those must exist first.
  local ns
  for ns in $(sed -n 's/^  namespace: *//p' "$root"/examples/*.yaml | sort -u); do
    printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n' "$ns" > "$WORK/ns-$ns.yaml"
    apply -f "$WORK/ns-$ns.yaml"
  done
  apply -f "$root/examples/"
  ok get zk -o name
  local name
  name=$(head -n1 <<<"$OUT" | sed 's|.*/||')
  [ -n "$name" ] || fail "examples/ created no ZookeeperCluster"
  ok get zk
  contains 'REPLICAS'
  ok get zk "$name" -o yaml
  contains 'kind: ZookeeperCluster'
  ok explain zk.spec.replicas
  contains 'replicas'

  ok scale zk "$name" --replicas=5
  ok get zk "$name" -o 'jsonpath={.spec.replicas}'
  [ "$OUT" = "5" ] || fail "scale zk: replicas '$OUT'"
  ok describe zk "$name"
  ok delete zk "$name" --wait --timeout=30s
}

case_logs() {
  # The node agent runs the pod; pods/log serves what its container printed.
  cat >"$WORK/logs-pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: talker}
spec:
  containers:
    - name: c
      image: busybox
      command: ["/bin/sh", "-c", "echo hello from the sandbox; exec sleep 300"]
YAML
  apply -f "$WORK/logs-pod.yaml"
  wait_for 60 bash -c "kubectl --kubeconfig '$KUBECONFIG_FILE' logs talker 2>/dev/null | grep -q 'hello from the sandbox'" \
    || fail "kubectl logs never showed the container's output: $(k logs talker 2>&1)"
  ok logs talker -c c
  contains 'hello from the sandbox'
  fails_with 'previous terminated container' logs talker --previous
  fails_with 'NotFound' logs nobody
}

start_verbose_sandbox
"case_$CASE"
echo "PASS [$CASE]"
