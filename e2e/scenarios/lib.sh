# ZookeeperCluster helpers for scenarios and scripts/run.sh; source after
# tests/lib/sandbox_harness.sh (and harness_init). Needs SOURCE (the repository) and WORKLOAD
# (the zkop-workload binary); jq reads the workload's report.
#
#   install_crd                     the project's CRD
#   apply_cluster FILE              kubectl apply; the cluster's name in $CLUSTER
#   is_ready NAME                   Ready=True and observedGeneration == metadata.generation
#   wait_ready NAME LIMIT           ... or fail, printing what the cluster shows
#   wait_version NAME VERSION LIMIT status.currentVersion == VERSION and ready
#   wait_members NAME COUNT LIMIT   COUNT members in status, all ready, and ready
#   wait_condition NAME TYPE REASON LIMIT   a condition with that reason (regex)
#   wait_event NAME REASON LIMIT    an Event on the cluster with that reason (regex)
#   patch_spec NAME JSON            merge patch of .spec
#   describe_cluster NAME           conditions, members, pods, recent events, operator log
#   start_workload NAME [RATE]      zkop-workload against the cluster's pods, in the background;
#                                   the member list follows the pods (a refresher rewrites it)
#   finish_workload                 stops it; its report is $WORKLOAD_JSON
#   assert_no_lost_writes           0 lost, all members verified, some writes acknowledged
#   leader_changes / looking_count [PREVIOUS_MODE]   from the report
#   print_summary [LABEL]           one block: acked, lost, longest pause, failed, leader
#                                   changes, members that went LOOKING

: "${SOURCE:=}"
: "${WORKLOAD:=}"
NAMESPACE=${NAMESPACE:-default}
CLUSTER=""
WORKLOAD_PID=""
WORKLOAD_REFRESHER=""
WORKLOAD_JSON=""
WORKLOAD_CLUSTER=""

install_crd() {
  ok apply -f "$SOURCE/crds/zookeepercluster.yaml"
  wait_for 30 k get crd zookeeperclusters.zkop.io || fail "the CRD was not served"
}

apply_cluster() {
  ok apply -f "$1" -o name
  CLUSTER=$(sed -n 's|^zookeepercluster[^/]*/||p' <<<"$OUT" | head -n1)
  [ -n "$CLUSTER" ] || fail "$1 created no ZookeeperCluster: $OUT"
}

zk_get() { k get zk "$1" -n "$NAMESPACE" -o "jsonpath=$2" 2>/dev/null; }

condition() { zk_get "$1" "{.status.conditions[?(@.type==\"$2\")].$3}"; }

is_ready() {
  local got
  got=$(zk_get "$1" '{.metadata.generation} {.status.observedGeneration} {.status.conditions[?(@.type=="Ready")].status}')
  local gen obs status
  read -r gen obs status <<<"$got"
  [ -n "$gen" ] && [ "$gen" = "$obs" ] && [ "$status" = "True" ]
}

describe_cluster() {
  local name=$1
  echo "--- zk $name: generation $(zk_get "$name" '{.metadata.generation}'), observed $(zk_get "$name" '{.status.observedGeneration}'), phase $(zk_get "$name" '{.status.phase}'), leader $(zk_get "$name" '{.status.leader}'), version $(zk_get "$name" '{.status.currentVersion}')"
  echo "--- conditions:"
  zk_get "$name" '{range .status.conditions[*]}  {.type}={.status} ({.reason}): {.message}{"\n"}{end}'
  echo "--- members:"
  zk_get "$name" '{range .status.members[*]}  {.name} myid={.myid} role={.role} mode={.mode} version={.version} ready={.ready} synced={.synced}{"\n"}{end}'
  echo "--- pods:"
  k get pods -n "$NAMESPACE" -l "app.kubernetes.io/instance=$name" -o wide 2>&1
  echo "--- last events of $name:"
  k get events -n "$NAMESPACE" --field-selector "involvedObject.name=$name" \
    -o 'jsonpath={range .items[*]}  {.lastTimestamp} {.type} {.reason}: {.message}{"\n"}{end}' 2>&1 | tail -n 15
}

# fail_cluster NAME MESSAGE: fails with the cluster's state printed first (fail adds the
# operator log tails, pods, events and the sandbox log).
fail_cluster() {
  local name=$1
  shift
  describe_cluster "$name" >&2
  fail "$*"
}

wait_ready() {
  local name=$1 limit=${2:-300}
  local t0=$SECONDS
  wait_operated "$limit" is_ready "$name" || fail_cluster "$name" "$name not Ready (with observedGeneration == generation) within ${limit}s"
  echo "$name Ready after $((SECONDS - t0))s"
}

has_version() {
  [ "$(zk_get "$1" '{.status.currentVersion}')" = "$2" ] && is_ready "$1"
}

wait_version() {
  local name=$1 version=$2 limit=${3:-600}
  wait_operated "$limit" has_version "$name" "$version" ||
    fail_cluster "$name" "$name did not reach version $version (and Ready) within ${limit}s"
}

has_members() {
  local got
  got=$(zk_get "$1" '{range .status.members[*]}{.ready}{"\n"}{end}')
  [ "$(grep -c . <<<"$got")" = "$2" ] && ! grep -qv '^true$' <<<"$got" && is_ready "$1"
}

wait_members() {
  local name=$1 count=$2 limit=${3:-600}
  wait_operated "$limit" has_members "$name" "$count" ||
    fail_cluster "$name" "$name did not settle at $count ready members within ${limit}s"
}

has_condition() { condition "$1" "$2" reason | grep -qE -- "$3"; }

wait_condition() {
  local name=$1 type=$2 reason=$3 limit=${4:-120}
  wait_operated "$limit" has_condition "$name" "$type" "$reason" ||
    fail_cluster "$name" "condition $type of $name never had a reason matching /$reason/"
}

event_reasons() {
  k get events -n "$NAMESPACE" --field-selector "involvedObject.name=$1" \
    -o 'jsonpath={range .items[*]}{.reason}{"\n"}{end}' 2>/dev/null
}

has_event() { event_reasons "$1" | grep -qE -- "$2"; }

wait_event() {
  local name=$1 reason=$2 limit=${3:-120}
  wait_operated "$limit" has_event "$name" "$reason" ||
    fail_cluster "$name" "no Event with a reason matching /$reason/ on $name"
}

patch_spec() {
  ok patch zk "$1" -n "$NAMESPACE" --type=merge -p "{\"spec\":$2}"
}

client_port() {
  local port
  port=$(zk_get "$1" '{.spec.ports.client}')
  echo "${port:-2181}"
}

# The cluster's pods that have an address and are not terminating: "ip:port podname" lines.
member_lines() {
  local name=$1 port
  port=$(client_port "$name")
  k get pods -n "$NAMESPACE" -l "app.kubernetes.io/instance=$name" \
    -o 'jsonpath={range .items[*]}{.status.podIP} {.metadata.name} {.metadata.deletionTimestamp}{"\n"}{end}' 2>/dev/null |
    awk -v port="$port" 'NF == 2 { print $1 ":" port " " $2 }'
}

# Rewrites the workload's member file (atomically) when the pods moved; 1 if none is known.
write_members_file() {
  local name=$1 file=$2 lines
  lines=$(member_lines "$name")
  [ -n "$lines" ] || return 1
  if [ ! -f "$file" ] || [ "$lines" != "$(cat "$file")" ]; then
    printf '%s\n' "$lines" >"$file.tmp" && mv "$file.tmp" "$file"
  fi
}

# start_workload NAME [RATE]: writes sequenced znodes through the cluster's pods until
# finish_workload. The member file is refreshed every 2 s so that writes follow pods that
# come back on new addresses, and the members at the end are the ones verified.
start_workload() {
  local name=$1 rate=${2:-50}
  [ -n "$WORKLOAD" ] || fail "WORKLOAD (the zkop-workload binary) is not set"
  WORKLOAD_CLUSTER=$name
  local file="$WORK/members-$name"
  wait_for 60 write_members_file "$name" "$file" || fail_cluster "$name" "no pod of $name has an address"
  local connect
  connect=$(awk '{ print $1 }' "$file" | paste -sd, -)
  WORKLOAD_JSON="$WORK/workload-$name.json"
  rm -f "$WORKLOAD_JSON"
  "$WORKLOAD" --connect "$connect" --members-file "$file" --rate "$rate" \
    --run-id "$name-$$" --json "$WORKLOAD_JSON" >"$WORK/workload-$name.log" 2>&1 &
  WORKLOAD_PID=$!
  track_pid "$WORKLOAD_PID"
  (
    trap 'exit 0' TERM
    while sleep 2; do write_members_file "$name" "$file"; done
  ) &
  WORKLOAD_REFRESHER=$!
  track_pid "$WORKLOAD_REFRESHER"
  # Evidence that it writes: a report is only written at the end, so wait for the process to
  # stay up past its connect (it exits 2 when it cannot connect).
  local t0=$SECONDS
  while [ $((SECONDS - t0)) -lt 3 ]; do
    kill -0 "$WORKLOAD_PID" 2>/dev/null ||
      fail "zkop-workload exited at start: $(cat "$WORK/workload-$name.log")"
    sleep 0.2
  done
  echo "workload writing to $name at $rate/s through $connect"
}

finish_workload() {
  [ -n "$WORKLOAD_PID" ] || fail "no workload is running"
  if [ -n "$WORKLOAD_REFRESHER" ]; then
    kill "$WORKLOAD_REFRESHER" 2>/dev/null
    wait "$WORKLOAD_REFRESHER" 2>/dev/null
    WORKLOAD_REFRESHER=""
  fi
  # The members to verify are the pods as they are now.
  write_members_file "$WORKLOAD_CLUSTER" "$WORK/members-$WORKLOAD_CLUSTER" ||
    fail_cluster "$WORKLOAD_CLUSTER" "no member of $WORKLOAD_CLUSTER to verify against"
  sleep 1  # the workload re-reads its member file at most every 0.5 s
  kill -TERM "$WORKLOAD_PID" 2>/dev/null
  local t0=$SECONDS
  while kill -0 "$WORKLOAD_PID" 2>/dev/null; do
    [ $((SECONDS - t0)) -ge 300 ] && fail "zkop-workload did not finish its verification within 300s"
    sleep 0.2
  done
  wait "$WORKLOAD_PID" 2>/dev/null
  WORKLOAD_RC=$?
  WORKLOAD_PID=""
  [ -s "$WORKLOAD_JSON" ] || fail "zkop-workload wrote no report (exit $WORKLOAD_RC): $(cat "$WORK/workload-$WORKLOAD_CLUSTER.log")"
}

report() { jq -r "$1" "$WORKLOAD_JSON"; }

assert_no_lost_writes() {
  local lost acked unverified
  lost=$(report .lost)
  acked=$(report .acknowledged)
  unverified=$(report '.unverifiedMembers | length')
  if [ "$lost" != 0 ] || [ "$unverified" != 0 ] || [ "$acked" -le 0 ]; then
    cat "$WORK/workload-$WORKLOAD_CLUSTER.log" >&2
    fail "workload: $lost acknowledged write(s) lost, $unverified member(s) unverified, $acked acknowledged"
  fi
}

leader_changes() { report .leaderChanges; }

# Members that stopped serving while running (srvr: an election or a leader change).
interruption_count() { report '.servingInterruptions | length'; }

# ZooKeeper's own account of elections: its log says "QuorumPeer - LOOKING" whenever a member
# enters an election. mark_pod_logs remembers how far every pod log (every incarnation, under
# the sandbox's node/pods/) has got; looking_since_mark then prints "pod count" for each
# member that went LOOKING after having served (FOLLOWING, LEADING or OBSERVING) since the
# mark. A restarted member's own start-up election does not count; an election it joins
# later does.
pod_logs() { find "$STATE/node/pods" -path '*/logs/*' -name '*.log' -type f 2>/dev/null | sort; }

mark_pod_logs() {
  local f
  : >"$WORK/log-marks"
  for f in $(pod_logs); do echo "$f $(stat -c %s "$f")" >>"$WORK/log-marks"; done
}

# count_in_pod_logs_since_mark AWK_RULES: "pod count" per pod, where AWK_RULES count into `n`
# over each pod's ZooKeeper log; `pos` is the byte offset of the end of the current line and
# `off` the log's size at mark_pod_logs, so `pos > off` means "since the mark".
count_in_pod_logs_since_mark() {
  local rules=$1 f off pod n
  for f in $(pod_logs); do
    off=$(awk -v f="$f" '$1 == f { print $2 }' "$WORK/log-marks" 2>/dev/null)
    n=$(LC_ALL=C awk -v off="${off:-0}" "{ pos += length(\$0) + 1 } $rules END { print n + 0 }" "$f")
    pod=$(sed -E 's|.*/pods/[^_]*_(.*)_[^_/]*/logs/.*|\1|' <<<"$f")
    [ "$n" -gt 0 ] && echo "$pod $n"
  done | awk '{ c[$1] += $2 } END { for (p in c) print p, c[p] }' | sort
}

# Members that went from serving to LOOKING since the mark.
looking_since_mark() {
  count_in_pod_logs_since_mark '
    /QuorumPeer - (FOLLOWING|LEADING|OBSERVING)/ { serving = 1 }
    /QuorumPeer - LOOKING/ { if (serving && pos > off) n++; serving = 0 }'
}

# Total of looking_since_mark.
looking_count() { looking_since_mark | awk '{ s += $2 } END { print s + 0 }'; }

# Members that went LOOKING right after a reconfig took effect on them (the log's "changes
# proposed in reconfig", then LOOKING as the next state), since the mark. A leadership
# handoff by reconfig shows there as FOLLOWING/LEADING without LOOKING; an election shows as
# LOOKING. A member that loses its leader for another reason (a restart, a failed sync) is
# not counted here; looking_since_mark counts those.
looking_on_reconfig_since_mark() {
  count_in_pod_logs_since_mark '
    /changes proposed in reconfig/ { if (pos > off) pending = 1 }
    /QuorumPeer - (FOLLOWING|LEADING|OBSERVING)/ { pending = 0 }
    /QuorumPeer - LOOKING/ { if (pending) n++; pending = 0 }'
}

# Members that led and then went LOOKING since the mark: a leader that lost its quorum, i.e.
# an election after the change, whatever caused it.
leaders_lost_since_mark() {
  count_in_pod_logs_since_mark '
    /QuorumPeer - LEADING/ { if (pos > off) leading = 1 }
    /QuorumPeer - LOOKING/ { if (leading) n++; leading = 0 }'
}

print_summary() {
  local label=${1:-$CASE}
  echo "=== workload summary [$label]"
  report '"  acknowledged      \(.acknowledged) of \(.attempted) writes in \(.durationMs / 1000 | floor) s",
          "  lost              \(.lost)",
          "  longest pause     \(.longestPauseMs | floor) ms",
          "  failed requests   \(.failed)",
          "  leader changes    \(.leaderChanges) (\(.leaders | join(" -> ")))",
          "  stopped serving   \(if (.servingInterruptions | length) == 0 then "none" else (.servingInterruptions | map("\(.member) (was \(.previousMode)) at \(.atMs | floor) ms") | join(", ")) end)",
          "  verified members  \(.missingByMember | keys | join(" "))"'
  if [ -f "$WORK/log-marks" ]; then
    local looking
    looking=$(looking_since_mark | paste -sd, -)
    echo "  went LOOKING      ${looking:-none} (ZooKeeper's logs, since the change began)"
  fi
}

# One progress line: the phase, the current plan step (the Progressing condition's message),
# the leader and every member's role and version.
progress_line() {
  local name=$1 line
  line=$(zk_get "$name" '{.status.phase}|{.status.conditions[?(@.type=="Ready")].status}|{.status.conditions[?(@.type=="Progressing")].message}|{.status.leader}|{range .status.members[*]}{.name}:{.mode}/{.version}{.ready} {end}')
  local phase ready step leader members
  IFS='|' read -r phase ready step leader members <<<"$line"
  members=$(sed -e 's/true\( \|$\)/\1/g' -e 's/false\( \|$\)/(not ready)\1/g' <<<"$members")
  printf '  [%4ss] %-9s Ready=%-5s leader=%-12s members: %s\n' "$((SECONDS - ${PROGRESS_T0:-0}))" \
    "${phase:--}" "${ready:--}" "${leader:--}" "${members:--}"
  [ -n "$step" ] && printf '         step: %s\n' "$step"
  return 0
}

# follow NAME LIMIT WHAT cmd...: waits for cmd like wait_for, printing a progress line
# whenever the plan step (the Progressing message) changes and at least every 5 s; fails
# with the cluster's state after LIMIT seconds.
follow() {
  local name=$1 limit=$2 what=$3
  shift 3
  local end=$((SECONDS + limit)) next=0 step last=""
  until "$@" >/dev/null 2>&1; do
    check_operators
    [ $SECONDS -ge $end ] && fail_cluster "$name" "$what: not done within ${limit}s"
    step=$(condition "$name" Progressing message)
    if [ $SECONDS -ge $next ] || [ "$step" != "$last" ]; then
      progress_line "$name"
      last=$step
      next=$((SECONDS + 5))
    fi
    sleep 0.5
  done
  progress_line "$name"
}
