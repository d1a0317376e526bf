#!/usr/bin/env bash
# The must-pass scenarios (docs: BRIEF §6), one per invocation, each on its own sandbox with
# `zkop run` and zkop-workload writing throughout:
#   scenario.sh ZKOP SANDBOX WORKLOAD SOURCE_DIR WORK_DIR CASE
# Every scenario ends with 0 acknowledged writes lost, the cluster Ready=True (with
# observedGeneration == generation) and the workload summary printed. Waits are for evidence
# with generous deadlines (2 cores, JVMs); every failure prints what the cluster showed.
set -u -o pipefail

ZKOP=$1
SANDBOX=$2
WORKLOAD=$3
SOURCE=$4
WORK=$5
CASE=$6

source "$SOURCE/tests/lib/sandbox_harness.sh"
source "$SOURCE/e2e/scenarios/lib.sh"
harness_init "$WORK" "$CASE"
command -v jq >/dev/null 2>&1 || { echo "SKIP: no jq on PATH"; exit 77; }

MANIFESTS="$SOURCE/e2e/scenarios/manifests"
OLD_VERSION=3.8.4
NEW_VERSION=3.9.2
# Deadlines: creating or changing a member costs a JVM start (seconds to tens of seconds on a
# loaded 2-core machine); an operation touches every member once.
READY_LIMIT=${SCENARIO_READY_LIMIT:-600}
CHANGE_LIMIT=${SCENARIO_CHANGE_LIMIT:-1200}

scenario_fail_hook() {
  local f
  for f in "$WORK"/workload-*.log; do
    [ -f "$f" ] && { echo "--- $f"; grep -v 'ZOO_' "$f" | tail -n 20; }
  done
}
HARNESS_FAIL_HOOK=scenario_fail_hook

setup() {
  start_sandbox
  install_crd
  start_operator main
}

# create_cluster MANIFEST COUNT: applies it and waits until COUNT members are Ready.
create_cluster() {
  apply_cluster "$MANIFESTS/$1"
  # Fails fast (instead of after READY_LIMIT) when no operator creates members at all.
  wait_operated 180 bash -c "kubectl --kubeconfig '$KCFG' get statefulsets -l 'app.kubernetes.io/instance=$CLUSTER' -o name | grep -q ." ||
    fail_cluster "$CLUSTER" "the operator created no StatefulSet for $CLUSTER within 180s"
  wait_ready "$CLUSTER" "$READY_LIMIT"
  wait_members "$CLUSTER" "$2" "$READY_LIMIT"
}

# The load runs for this long with nothing else happening: the scenario's duration, not a
# stand-in for evidence.
soak() { sleep "$1"; }

# Never: "My id N not in the peer list" (pravega's scale-down/up bug), in any pod's log.
assert_no_peer_list_errors() {
  local hits
  hits=$(pod_logs | xargs -r grep -l 'not in the peer list' 2>/dev/null)
  [ -z "$hits" ] || fail "a member logged 'not in the peer list': $hits"
}

# Every member in status runs VERSION.
assert_members_version() {
  local versions
  versions=$(zk_get "$CLUSTER" '{range .status.members[*]}{.name}={.version}{"\n"}{end}')
  if grep -v "=$1\$" <<<"$versions" | grep -q .; then
    fail_cluster "$CLUSTER" "members not at version $1: $versions"
  fi
}

# Ends every scenario: Ready, no lost write, the summary; the report is kept as result.json.
finish_scenario() {
  wait_ready "$CLUSTER" "$READY_LIMIT"
  finish_workload
  print_summary "$CASE"
  assert_no_lost_writes
  assert_no_peer_list_errors
  # result.json (what compare_strategies reads) appears only once the scenario passed.
  jq --arg case "$CASE" '. + {case: $case}' "$WORKLOAD_JSON" >"$WORK/result.pending.json"
}

leader_pod() { zk_get "$1" '{.status.leader}'; }

upgrade_version() {
  patch_spec "$1" "{\"version\":\"$NEW_VERSION\",\"image\":{\"tag\":\"$NEW_VERSION\"}}"
}

# upgrade_case MANIFEST COUNT STRATEGY
upgrade_case() {
  local manifest=$1 count=$2 strategy=$3
  setup
  create_cluster "$manifest" "$count"
  start_workload "$CLUSTER"
  soak 5
  local before
  before=$(leader_pod "$CLUSTER")
  echo "leader before the upgrade: $before"
  mark_pod_logs
  upgrade_version "$CLUSTER"
  wait_version "$CLUSTER" "$NEW_VERSION" "$CHANGE_LIMIT"
  wait_members "$CLUSTER" "$count" "$READY_LIMIT"
  assert_members_version "$NEW_VERSION"
  finish_scenario
  echo "leader after the upgrade: $(leader_pod "$CLUSTER")"
  local changes
  changes=$(leader_changes)
  [ "$changes" = 1 ] || fail "$strategy upgrade of $count: $changes leader changes, expected exactly 1"
  local looking
  looking=$(looking_count)
  jq --argjson n "$looking" '. + {membersWentLooking: $n}' "$WORK/result.pending.json" >"$WORK/result.tmp" &&
    mv "$WORK/result.tmp" "$WORK/result.pending.json"
  if [ "$strategy" = Handoff ]; then
    # Leadership moves by reconfig: no member (but the old leader itself, which rejoins) may
    # go LOOKING when a reconfig takes effect; that would be an election.
    local others
    others=$(looking_on_reconfig_since_mark | awk -v old="$before" '$1 != old')
    [ -z "$others" ] ||
      fail "Handoff upgrade of $count: members went LOOKING on a reconfig ($(paste -sd, - <<<"$others")); leadership should move without an election"
    echo "no member went LOOKING when the reconfigs took effect (handoff without an election)"
    # ... and the leader the hand-off made kept its quorum (no election afterwards either).
    local lost
    lost=$(leaders_lost_since_mark | awk -v old="$before" '$1 != old')
    [ -z "$lost" ] ||
      fail "Handoff upgrade of $count: a new leader lost its quorum after the hand-off ($(paste -sd, - <<<"$lost")): an election followed"
  fi
}

case_create3() {
  setup
  create_cluster three.yaml 3
  start_workload "$CLUSTER"
  soak 15
  [ -n "$(leader_pod "$CLUSTER")" ] || fail_cluster "$CLUSTER" "status.leader is empty"
  finish_scenario
  [ "$(leader_changes)" = 0 ] || fail "the leader changed on a steady ensemble"
}

# Leader preference by pool (BRIEF §6): the preferred pool's members hold the highest myids,
# so it leads after creation and again after the leader-last upgrade's one leader change.
case_leader_preference() {
  setup
  create_cluster five-leader-pool.yaml 5
  start_workload "$CLUSTER"
  soak 5
  local leader
  leader=$(leader_pod "$CLUSTER")
  [[ "$leader" == "$CLUSTER-main-"* ]] || fail_cluster "$CLUSTER" "the leader after creation is '$leader', not a member of the preferred pool main"
  echo "leader after creation: $leader"
  upgrade_version "$CLUSTER"
  wait_version "$CLUSTER" "$NEW_VERSION" "$CHANGE_LIMIT"
  wait_members "$CLUSTER" 5 "$READY_LIMIT"
  leader=$(leader_pod "$CLUSTER")
  [[ "$leader" == "$CLUSTER-main-"* ]] || fail_cluster "$CLUSTER" "the leader after the upgrade is '$leader', not a member of the preferred pool main"
  echo "leader after the upgrade: $leader"
  finish_scenario
  [ "$(leader_changes)" = 1 ] || fail "leader changes: $(leader_changes), expected exactly 1"
}

case_upgrade3_leaderlast() { upgrade_case three.yaml 3 LeaderLast; }
case_upgrade3_handoff() { upgrade_case three-handoff.yaml 3 Handoff; }
case_upgrade5_leaderlast() { upgrade_case five.yaml 5 LeaderLast; }
case_upgrade5_handoff() { upgrade_case five-handoff.yaml 5 Handoff; }

scale_to() {
  local name=$1 count=$2
  echo "scaling $name to $count"
  patch_spec "$name" "{\"replicas\":$count}"
  wait_members "$name" "$count" "$CHANGE_LIMIT"
  [ "$(zk_get "$name" '{.status.replicas}')" = "$count" ] ||
    fail_cluster "$name" "status.replicas is not $count"
}

case_scale_3_5_3() {
  setup
  create_cluster three.yaml 3
  start_workload "$CLUSTER"
  scale_to "$CLUSTER" 5
  scale_to "$CLUSTER" 3
  finish_scenario
}

case_scale_1_3_1_3() {
  setup
  create_cluster one.yaml 1
  start_workload "$CLUSTER"
  scale_to "$CLUSTER" 3
  scale_to "$CLUSTER" 1
  scale_to "$CLUSTER" 3
  finish_scenario
}

case_scale_3_2_refused() {
  setup
  create_cluster three.yaml 3
  start_workload "$CLUSTER"
  local pods_before
  pods_before=$(k get pods -l "app.kubernetes.io/instance=$CLUSTER" -o 'jsonpath={.items[*].metadata.uid}')
  patch_spec "$CLUSTER" '{"replicas":2}'
  # Refused with a condition and an Event naming why; nothing is changed.
  wait_operated 120 bash -c "kubectl --kubeconfig '$KCFG' get zk '$CLUSTER' -o 'jsonpath={.status.conditions[*].message}' | grep -qiE 'even|allowEvenReplicas'" ||
    fail_cluster "$CLUSTER" "no condition message explains why 2 members are refused"
  local reasons
  reasons=$(zk_get "$CLUSTER" '{range .status.conditions[*]}{.type}={.reason}{"\n"}{end}')
  grep -qE '^(Ready|Progressing)=(InvalidSpec|.*Refus.*|.*Even.*)$' <<<"$reasons" ||
    fail_cluster "$CLUSTER" "no Ready/Progressing reason names the refusal: $reasons"
  wait_event "$CLUSTER" 'InvalidSpec|Refus|Even' 120
  [ "$(zk_get "$CLUSTER" '{.status.members[*].name}' | wc -w)" = 3 ] ||
    fail_cluster "$CLUSTER" "the refused spec changed the member set"
  # The ensemble still serves as before: its phase says so, the conditions say what is refused.
  [ "$(zk_get "$CLUSTER" '{.status.phase}')" = Running ] ||
    fail_cluster "$CLUSTER" "phase '$(zk_get "$CLUSTER" '{.status.phase}')' while a refused spec is in place"
  [ "$(k get pods -l "app.kubernetes.io/instance=$CLUSTER" -o 'jsonpath={.items[*].metadata.uid}')" = "$pods_before" ] ||
    fail_cluster "$CLUSTER" "the refused spec touched the pods"
  # Explicitly allowed: 2 members, reached safely.
  patch_spec "$CLUSTER" '{"replicas":2,"allowEvenReplicas":true}'
  wait_members "$CLUSTER" 2 "$CHANGE_LIMIT"
  finish_scenario
}

case_static_5_7() {
  setup
  create_cluster five-static.yaml 5
  start_workload "$CLUSTER"
  scale_to "$CLUSTER" 7
  finish_scenario
}

# Dynamic 5 -> 7 (BRIEF §6): two joiners, each promoted by its own reconfig once synced.
case_scale_5_7() {
  setup
  create_cluster five.yaml 5
  start_workload "$CLUSTER"
  scale_to "$CLUSTER" 7
  finish_scenario
}

case_pod_deleted_during_upgrade() {
  setup
  create_cluster three.yaml 3
  start_workload "$CLUSTER"
  upgrade_version "$CLUSTER"
  wait_event "$CLUSTER" 'RestartMember' 300
  # While the first member restarts, the leader's pod goes too (an outside disruption).
  local victim
  victim=$(leader_pod "$CLUSTER")
  [ -n "$victim" ] || victim=$(k get pods -l "app.kubernetes.io/instance=$CLUSTER" -o 'jsonpath={.items[0].metadata.name}')
  echo "deleting pod $victim during the upgrade"
  ok delete pod "$victim" --wait=false
  wait_version "$CLUSTER" "$NEW_VERSION" "$CHANGE_LIMIT"
  wait_members "$CLUSTER" 3 "$READY_LIMIT"
  assert_members_version "$NEW_VERSION"
  finish_scenario
}

# name:count of every Event on the cluster: changes whenever the operator records a step.
event_signature() {
  k get events -n "$NAMESPACE" --field-selector "involvedObject.name=$1" \
    -o 'jsonpath={range .items[*]}{.metadata.name}:{.count}{"\n"}{end}' 2>/dev/null | sort
}

# Until CONDITION... holds (or CHANGE_LIMIT runs out), SIGKILL the operator after every new
# Event (a step was taken) and start a new one: it must resume from what it observes, never
# repeat or skip a step. Sets KILLS.
kill_operator_at_every_step() {
  local seen current=main deadline=$((SECONDS + CHANGE_LIMIT))
  seen=$(event_signature "$CLUSTER")
  KILLS=0
  until "$@"; do
    check_operators
    [ $SECONDS -ge $deadline ] &&
      fail_cluster "$CLUSTER" "the change did not complete within ${CHANGE_LIMIT}s across $KILLS operator kills"
    local now
    now=$(event_signature "$CLUSTER")
    if [ "$now" != "$seen" ]; then
      seen=$now
      KILLS=$((KILLS + 1))
      echo "new event ($(event_reasons "$CLUSTER" | tail -n1)): SIGKILL operator $current, restart #$KILLS"
      stop_operator "$current" --kill
      current="main-$KILLS"
      start_operator "$current"
    fi
    sleep 0.5
  done
}

case_operator_killed_during_upgrade() {
  setup
  create_cluster three.yaml 3
  start_workload "$CLUSTER"
  upgrade_version "$CLUSTER"
  kill_operator_at_every_step has_version "$CLUSTER" "$NEW_VERSION"
  echo "upgrade completed across $KILLS operator kills"
  [ $KILLS -ge 2 ] || fail_cluster "$CLUSTER" "only $KILLS step event(s) seen; expected one per restarted member"
  wait_members "$CLUSTER" 3 "$READY_LIMIT"
  assert_members_version "$NEW_VERSION"
  finish_scenario
  [ "$(leader_changes)" = 1 ] || fail "leader changes: $(leader_changes), expected exactly 1"
}

pod_uid() { k get pod "$1" -o 'jsonpath={.metadata.uid}' 2>/dev/null; }

# COUNT pods of the cluster Ready and none of them terminating.
pods_ready() {
  local got
  got=$(k get pods -l "app.kubernetes.io/instance=$1" \
    -o 'jsonpath={range .items[*]}{.metadata.deletionTimestamp}|{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}')
  [ "$(grep -c '^|True$' <<<"$got")" = "$2" ] && [ "$(grep -c . <<<"$got")" = "$2" ]
}

case_two_of_three_deleted() {
  setup
  create_cluster three.yaml 3
  start_workload "$CLUSTER"
  soak 5
  local pods survivor survivor_uid
  pods=($(k get pods -l "app.kubernetes.io/instance=$CLUSTER" -o 'jsonpath={.items[*].metadata.name}'))
  [ ${#pods[@]} = 3 ] || fail_cluster "$CLUSTER" "expected 3 pods, got: ${pods[*]}"
  survivor=${pods[2]}
  survivor_uid=$(pod_uid "$survivor")
  local uid0 uid1
  uid0=$(pod_uid "${pods[0]}")
  uid1=$(pod_uid "${pods[1]}")
  echo "deleting ${pods[0]} and ${pods[1]} at once"
  ok delete pod "${pods[0]}" "${pods[1]}" --wait=false
  # Nobody asked for this: the operator says the ensemble is degraded (an Event stays when
  # the condition has already cleared again).
  wait_event "$CLUSTER" 'NoQuorum|MembersNotServing' 300
  wait_for 300 bash -c "u0=\$(kubectl --kubeconfig '$KCFG' get pod '${pods[0]}' -o jsonpath={.metadata.uid}); u1=\$(kubectl --kubeconfig '$KCFG' get pod '${pods[1]}' -o jsonpath={.metadata.uid}); [ -n \"\$u0\" ] && [ -n \"\$u1\" ] && [ \"\$u0\" != '$uid0' ] && [ \"\$u1\" != '$uid1' ]" ||
    fail_cluster "$CLUSTER" "the deleted pods were not recreated"
  wait_for "$READY_LIMIT" pods_ready "$CLUSTER" 3 || fail_cluster "$CLUSTER" "the pods did not all become Ready again"
  wait_ready "$CLUSTER" "$READY_LIMIT"
  wait_members "$CLUSTER" 3 "$READY_LIMIT"
  wait_condition "$CLUSTER" Degraded AllMembersServing 120
  # The operator did not make it worse: the surviving member was left alone.
  [ "$(pod_uid "$survivor")" = "$survivor_uid" ] ||
    fail_cluster "$CLUSTER" "the surviving pod $survivor was restarted while the others were down"
  finish_scenario
}

case_scale_down_up_retained_pvcs() {
  setup
  create_cluster five.yaml 5
  start_workload "$CLUSTER"
  local claims_before scaled_in names_before
  claims_before=$(k get pvc -o name | sort)
  names_before=$(zk_get "$CLUSTER" '{range .status.members[*]}{.name}{"\n"}{end}' | sort)
  scale_to "$CLUSTER" 3
  scaled_in=$(comm -23 <(echo "$names_before") <(zk_get "$CLUSTER" '{range .status.members[*]}{.name}{"\n"}{end}' | sort) | paste -sd' ' -)
  echo "scaled in: $scaled_in"
  # reclaimPolicy Retain: the scaled-in members' claims stay.
  local claims_after
  claims_after=$(k get pvc -o name | sort)
  local claim
  for claim in $claims_before; do
    grep -qx "$claim" <<<"$claims_after" || fail_cluster "$CLUSTER" "$claim was deleted by the scale-in (reclaimPolicy Retain)"
  done
  # myids are never reused (rule 5): the members that come back on the retained claims are
  # new members with myids above every one issued before.
  local highest
  highest=$(zk_get "$CLUSTER" '{.status.highestMyid}')
  [ -n "$highest" ] || fail_cluster "$CLUSTER" "status.highestMyid is empty"
  scale_to "$CLUSTER" 5
  local myids reused
  myids=$(zk_get "$CLUSTER" '{range .status.members[*]}{.name}={.myid}{"\n"}{end}')
  echo "members after scaling back to 5 (highest myid before: $highest):" $myids
  reused=$(awk -F= -v h="$highest" -v names="$scaled_in" 'index(" " names " ", " " $1 " ") && $2 <= h' <<<"$myids")
  [ -z "$reused" ] || fail_cluster "$CLUSTER" "a member re-added on a retained claim got an old myid (rule 5: never reused): $reused"
  finish_scenario
  local emptied
  emptied=$(pod_logs | xargs -r grep -l 'emptying version-2' 2>/dev/null |
    sed -E 's|.*/pods/[^_]*_(.*)_[^_/]*/logs/.*|\1|' | sort -u | paste -sd' ' -)
  echo "members that emptied a retained data dir on rejoining: ${emptied:-none}"
}

# myid of POD in status.myids (empty when it has none).
myid_of() { k get zk "$1" -n "$NAMESPACE" -o json 2>/dev/null | jq -r --arg pod "$2" '.status.myids[$pod] // empty'; }

has_myid_above() { local m; m=$(myid_of "$1" "$2"); [ -n "$m" ] && [ "$m" -gt "$3" ]; }

# The 3-member cluster under load, and one of its followers to replace: sets VICTIM, its
# OLD_MYID and HIGHEST (the highest myid issued so far).
replacement_setup() {
  setup
  create_cluster three.yaml 3
  start_workload "$CLUSTER"
  soak 5
  VICTIM=$(zk_get "$CLUSTER" '{range .status.members[?(@.mode=="follower")]}{.name}{"\n"}{end}' | head -n1)
  [ -n "$VICTIM" ] || fail_cluster "$CLUSTER" "no follower to replace"
  OLD_MYID=$(myid_of "$CLUSTER" "$VICTIM")
  HIGHEST=$(zk_get "$CLUSTER" '{.status.highestMyid}')
}

# VICTIM's slot serves again under a myid above HIGHEST, and OLD_MYID is no member.
assert_replaced() {
  wait_operated "$CHANGE_LIMIT" has_myid_above "$CLUSTER" "$VICTIM" "$HIGHEST" ||
    fail_cluster "$CLUSTER" "$VICTIM did not get a myid above $HIGHEST (now '$(myid_of "$CLUSTER" "$VICTIM")')"
  wait_members "$CLUSTER" 3 "$CHANGE_LIMIT"
  local listed
  listed=$(zk_get "$CLUSTER" '{range .status.members[*]}{.myid}{" "}{end}')
  grep -qw "$OLD_MYID" <<<"$listed" && fail_cluster "$CLUSTER" "the replaced myid $OLD_MYID is still a member: $listed"
  echo "members' myids after the replacement: $listed"
}

# Replace one member (BRIEF §6): a follower's myid is retired; the member comes back in the
# same slot with a new, larger myid and an emptied data dir, one step at a time.
case_replace_member() {
  replacement_setup
  echo "replacing $VICTIM (myid $OLD_MYID; highest issued $HIGHEST)"
  ok annotate zk "$CLUSTER" -n "$NAMESPACE" "zkop.io/retire-myids=$OLD_MYID"
  assert_replaced
  finish_scenario
}

# A lost disk (BRIEF §2 rule 5): a follower's PVC is deleted with its pod, as when a node and
# its local volume are gone. The start script refuses to run the served myid on the new,
# empty volume (exit 65); the operator raises Degraded=DataLost, removes the old myid from
# the config and brings the slot back under a new, larger myid that syncs from the leader.
case_data_lost() {
  replacement_setup
  local claim
  claim=$(k get pvc -n "$NAMESPACE" -o name | grep -- "-$VICTIM\$" || true)
  [ -n "$claim" ] || fail_cluster "$CLUSTER" "no claim for $VICTIM: $(k get pvc -n "$NAMESPACE" -o name | paste -sd' ' -)"
  echo "deleting $claim and pod $VICTIM (myid $OLD_MYID; highest issued $HIGHEST)"
  ok delete "$claim" -n "$NAMESPACE" --wait=false
  ok delete pod "$VICTIM" -n "$NAMESPACE" --wait=false
  wait_event "$CLUSTER" 'DataLost' 300
  assert_replaced
  wait_condition "$CLUSTER" Degraded AllMembersServing 120
  finish_scenario
}

# The members' pools, sorted ("a b b").
member_pools() { zk_get "$1" '{range .status.members[*]}{.pool}{"\n"}{end}' | sort | paste -sd' ' -; }

has_member_pools() { [ "$(member_pools "$1")" = "$2" ]; }

# After a migration off pool a (left with KEEP pods): its other pods are gone, and with
# KEEP=0 its StatefulSet too.
assert_pool_a_departed() {
  local keep=$1
  wait_for 300 bash -c "[ \"\$(kubectl --kubeconfig '$KCFG' get pods -n '$NAMESPACE' -l 'app.kubernetes.io/instance=$CLUSTER,zkop.io/pool=a' -o name | wc -l)\" -eq $keep ]" ||
    fail_cluster "$CLUSTER" "pool a does not run exactly $keep pod(s)"
  if [ "$keep" = 0 ]; then
    wait_for 300 bash -c "! kubectl --kubeconfig '$KCFG' get statefulset '$CLUSTER-a' -n '$NAMESPACE' -o name >/dev/null 2>&1" ||
      fail_cluster "$CLUSTER" "StatefulSet $CLUSTER-a of the departed pool is still there"
  fi
  echo "members' pools and myids after the migration: $(member_pools "$CLUSTER") /" \
    "$(zk_get "$CLUSTER" '{range .status.members[*]}{.myid}{" "}{end}')"
}

# Migration between pools (BRIEF §6, (A,B,C) → (D,E,F)): every member of pool a is replaced
# by one of pool b, adding before removing, so a majority of the config is up throughout.
case_migrate_pools() {
  setup
  create_cluster three-pool-a.yaml 3
  start_workload "$CLUSTER"
  soak 5
  # Dropping spec.pools for spec.replicas would rename every member at once: refused, and
  # nothing changes.
  patch_spec "$CLUSTER" '{"pools":null,"replicas":3}'
  wait_condition "$CLUSTER" Ready InvalidSpec 120
  local sets phase
  sets=$(k get statefulset -n "$NAMESPACE" -o name | paste -sd' ' -)
  [ "$sets" = "statefulset.apps/$CLUSTER-a" ] || fail_cluster "$CLUSTER" "the refused spec changed the StatefulSets: $sets"
  phase=$(zk_get "$CLUSTER" '{.status.phase}')
  [ "$phase" = Running ] || fail_cluster "$CLUSTER" "phase $phase while the refused spec stands (want Running)"
  patch_spec "$CLUSTER" '{"pools":[{"name":"b","replicas":3}]}'
  wait_operated "$CHANGE_LIMIT" has_member_pools "$CLUSTER" "b b b" ||
    fail_cluster "$CLUSTER" "the members did not all move to pool b (now: $(member_pools "$CLUSTER"))"
  wait_members "$CLUSTER" 3 "$CHANGE_LIMIT"
  assert_pool_a_departed 0
  finish_scenario
}

# Partial migration (BRIEF §6, (A,B,C) → (A,D,E)): pool a keeps one member, pool b takes two.
case_migrate_partial() {
  setup
  create_cluster three-pool-a.yaml 3
  start_workload "$CLUSTER"
  soak 5
  patch_spec "$CLUSTER" '{"pools":[{"name":"a","replicas":1},{"name":"b","replicas":2}]}'
  wait_operated "$CHANGE_LIMIT" has_member_pools "$CLUSTER" "a b b" ||
    fail_cluster "$CLUSTER" "the members are not one in pool a and two in pool b (now: $(member_pools "$CLUSTER"))"
  wait_members "$CLUSTER" 3 "$CHANGE_LIMIT"
  assert_pool_a_departed 1
  finish_scenario
}

# The operator SIGKILLed after every step of a whole migration (BRIEF §6): each new operator
# resumes from what it observes; the members end in pool b and pool a is gone.
case_operator_killed_during_migration() {
  setup
  create_cluster three-pool-a.yaml 3
  start_workload "$CLUSTER"
  soak 5
  patch_spec "$CLUSTER" '{"pools":[{"name":"b","replicas":3}]}'
  kill_operator_at_every_step has_member_pools "$CLUSTER" "b b b"
  echo "migration completed across $KILLS operator kills"
  [ $KILLS -ge 6 ] || fail_cluster "$CLUSTER" "only $KILLS step event(s) seen; a migration of 3 takes more"
  wait_members "$CLUSTER" 3 "$READY_LIMIT"
  assert_pool_a_departed 0
  finish_scenario
}

"case_$CASE"
[ -f "$WORK/result.pending.json" ] && mv "$WORK/result.pending.json" "$WORK/result.json"
echo "PASS [$CASE]"
