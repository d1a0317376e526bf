# Shared shell harness for tests that drive a zkop-sandbox (and `zkop run`) with the real
# kubectl. Source it, then call `harness_init WORK_DIR CASE`:
#
#   source "$(dirname "$0")/../lib/sandbox_harness.sh"
#   SANDBOX=/path/to/zkop-sandbox ZKOP=/path/to/zkop   # the binaries the helpers run
#   harness_init "$WORK" "$CASE"
#   start_sandbox
#   start_operator a
#   ok get zk
#
# What it provides:
#   wait_for LIMIT cmd...      polls cmd (a command or a shell function) until it succeeds, at
#                              most LIMIT seconds (an upper bound, not a delay); 1 on timeout
#   k ARGS...                  kubectl with this test's kubeconfig and cache dir
#   ok ARGS...                 kubectl that must succeed; output in $OUT
#   fails_with RE ARGS...      kubectl that must fail with output matching RE
#   contains RE / not_contains RE   checks on $OUT
#   gone KIND NAME             true once the object does not exist
#   fail MESSAGE               prints MESSAGE and what was seen (operator log tails, the
#                              ZookeeperClusters, pods, events, the sandbox log), exits 1
#   start_sandbox [ARGS...]    zkop-sandbox up on WORK/state (extra args passed to `up`)
#   stop_sandbox               zkop-sandbox down, waits for it
#   start_operator NAME [METRICS_PORT PROBE_PORT]
#                              `zkop run` in the background, log WORK/operator-NAME.log; ports
#                              are allocated when not given. Sets LAST_PID,
#                              OPERATOR_PID[NAME], OPERATOR_METRICS_PORT[NAME],
#                              OPERATOR_PROBE_PORT[NAME]
#   stop_operator NAME [--kill]  SIGTERM (or SIGKILL) and wait
#   check_operators            fails if an operator it started is no longer running
#   wait_operated LIMIT cmd... wait_for, failing at once if an operator died
#   track_pid PID              a background process the cleanup must stop (SIGKILL)
#   next_port                  a free loopback TCP port (unique per test); in $PORT
# On exit everything it started is stopped: tracked processes, operators, the sandbox.

# Callers may set these before harness_init.
: "${SANDBOX:=}"
: "${ZKOP:=}"
: "${HARNESS_SANDBOX_LOG_LINES:=30}"
: "${HARNESS_OPERATOR_LOG_LINES:=25}"

declare -A OPERATOR_PID=()
declare -A OPERATOR_METRICS_PORT=()
declare -A OPERATOR_PROBE_PORT=()
HARNESS_PIDS=()
SANDBOX_PID=""
LAST_PID=""
OUT=""

# harness_init WORK CASE: a fresh work dir, the names every helper uses, the cleanup trap.
harness_init() {
  WORK=$1
  CASE=${2:-test}
  command -v kubectl >/dev/null 2>&1 || { echo "SKIP: no kubectl on PATH"; exit 77; }
  rm -rf "$WORK"
  mkdir -p "$WORK"
  STATE="$WORK/state"
  KCFG="$STATE/kubeconfig"
  KUBECONFIG_FILE="$KCFG"
  SANDBOX_LOG="$WORK/sandbox.log"
  # A port block from the work dir and a random number, so tests running side by side (and
  # one test run twice in a row, whose ports may still linger) seldom collide; next_port
  # still skips ports something already listens on.
  local sum
  sum=$(printf '%s' "$WORK" | cksum | cut -d' ' -f1)
  # 20000-31990: below the kernel's ephemeral range (32768+), where an outgoing connection's
  # local port would make a port that nothing listens on still fail to bind.
  HARNESS_NEXT_PORT=$((20000 + ((sum + RANDOM) % 1200) * 10))
  trap harness_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

wait_for() {
  local limit=$1
  shift
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.2
  done
}

k() { kubectl --kubeconfig "$KCFG" --cache-dir "$WORK/cache" "$@"; }

# Runs kubectl and fails the case unless it succeeds; the output is left in $OUT.
ok() {
  OUT=$(k "$@" 2>&1) || fail "kubectl $* failed:
$OUT"
}

# Runs kubectl and fails the case unless it fails with output matching $1.
fails_with() {
  local pattern=$1
  shift
  if OUT=$(k "$@" 2>&1); then fail "kubectl $* succeeded but should have failed:
$OUT"; fi
  grep -qE -- "$pattern" <<<"$OUT" || fail "kubectl $* failed without /$pattern/:
$OUT"
}

contains() {
  grep -qE -- "$1" <<<"$OUT" || fail "expected /$1/ in the output of the last command:
$OUT"
}

not_contains() {
  if grep -qE -- "$1" <<<"$OUT"; then fail "did not expect /$1/ in:
$OUT"; fi
}

gone() { ! k get "$@" >/dev/null 2>&1; }

# What a failure prints besides its message; tests may add their own with HARNESS_FAIL_HOOK
# (the name of a function).
harness_diagnostics() {
  local f
  for f in "$WORK"/operator-*.log; do
    [ -f "$f" ] && { echo "--- $f (last $HARNESS_OPERATOR_LOG_LINES lines)"; tail -n "$HARNESS_OPERATOR_LOG_LINES" "$f"; }
  done
  if [ -s "$KCFG" ]; then
    if k get crd zookeeperclusters.zkop.io >/dev/null 2>&1; then
      echo "--- kubectl get zk -A -o yaml (last 80 lines):"
      k get zk -A -o yaml 2>&1 | tail -n 80
    fi
    echo "--- pods:"
    k get pods -A -o wide 2>&1 | head -n 30
    echo "--- events (last 25):"
    k get events -A --sort-by=.lastTimestamp 2>&1 | tail -n 25
  fi
  if [ -f "$SANDBOX_LOG" ]; then
    echo "--- sandbox log $SANDBOX_LOG (last $HARNESS_SANDBOX_LOG_LINES lines):"
    tail -n "$HARNESS_SANDBOX_LOG_LINES" "$SANDBOX_LOG"
  fi
  if [ -n "${HARNESS_FAIL_HOOK:-}" ]; then "$HARNESS_FAIL_HOOK"; fi
}

fail() {
  {
    echo "FAIL [$CASE]: $*"
    harness_diagnostics
    echo "FAIL [$CASE]: $*"
  } >&2
  exit 1
}

track_pid() { HARNESS_PIDS+=("$1"); }

start_sandbox() {
  [ -n "$SANDBOX" ] || fail "SANDBOX (the zkop-sandbox binary) is not set"
  "$SANDBOX" up --state-dir "$STATE" "$@" >>"$SANDBOX_LOG" 2>&1 &
  SANDBOX_PID=$!
  wait_for 30 test -s "$KCFG" || fail "no kubeconfig appeared in $STATE within 30s"
  kill -0 "$SANDBOX_PID" 2>/dev/null || fail "the sandbox exited"
}

stop_sandbox() {
  if [ -n "$SANDBOX_PID" ] && kill -0 "$SANDBOX_PID" 2>/dev/null; then
    "$SANDBOX" down --state-dir "$STATE" >/dev/null 2>&1 || kill_child "$SANDBOX_PID"
    wait "$SANDBOX_PID" 2>/dev/null
  fi
  SANDBOX_PID=""
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

next_port() {
  while ! port_free "$HARNESS_NEXT_PORT"; do HARNESS_NEXT_PORT=$((HARNESS_NEXT_PORT + 1)); done
  PORT=$HARNESS_NEXT_PORT
  HARNESS_NEXT_PORT=$((HARNESS_NEXT_PORT + 1))
}

# start_operator NAME [METRICS_PORT PROBE_PORT] [-- EXTRA ARGS...]
start_operator() {
  local name=$1
  shift
  [ -n "$ZKOP" ] || fail "ZKOP (the zkop binary) is not set"
  local metrics probe
  if [ $# -ge 2 ] && [ "$1" != "--" ]; then
    metrics=$1
    probe=$2
    shift 2
  else
    next_port
    metrics=$PORT
    next_port
    probe=$PORT
  fi
  [ "${1:-}" = "--" ] && shift
  "$ZKOP" run --kubeconfig "$KCFG" --metrics-bind-address "127.0.0.1:$metrics" \
    --health-probe-bind-address "127.0.0.1:$probe" "$@" >>"$WORK/operator-$name.log" 2>&1 &
  LAST_PID=$!
  OPERATOR_PID[$name]=$LAST_PID
  OPERATOR_METRICS_PORT[$name]=$metrics
  OPERATOR_PROBE_PORT[$name]=$probe
  echo "--- operator $name started (pid $LAST_PID, metrics :$metrics, health :$probe)" \
    >>"$WORK/operator-$name.log"
}

# stop_operator NAME [--kill]: SIGTERM (graceful) or SIGKILL (a crash), then waits.
stop_operator() {
  local name=$1 signal=TERM
  [ "${2:-}" = "--kill" ] && signal=KILL
  local pid=${OPERATOR_PID[$name]:-}
  [ -n "$pid" ] || return 0
  kill_child "$pid" "$signal"
  wait "$pid" 2>/dev/null
  unset "OPERATOR_PID[$name]"
  echo "--- operator $name stopped with SIG$signal" >>"$WORK/operator-$name.log"
}

# Signals PID only while it is still one of this shell's running jobs: a PID that exited (and
# may belong to someone else by now) is left alone.
kill_child() {
  local pid=$1 signal=${2:-TERM}
  jobs -pr | grep -qx -- "$pid" || return 0
  kill -s "$signal" "$pid" 2>/dev/null
}

# Fails when an operator this test started (and did not stop) is no longer running: a crash,
# or a signal from outside the test, must not pass for slowness.
check_operators() {
  local name
  for name in "${!OPERATOR_PID[@]}"; do
    if ! kill -0 "${OPERATOR_PID[$name]}" 2>/dev/null; then
      local pid=${OPERATOR_PID[$name]}
      unset "OPERATOR_PID[$name]"
      fail "operator $name (pid $pid) exited unexpectedly; the end of $WORK/operator-$name.log:
$(tail -n 5 "$WORK/operator-$name.log")"
    fi
  done
}

# wait_for that also fails at once when an operator died (check_operators).
wait_operated() {
  local limit=$1
  shift
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    check_operators
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.2
  done
}

harness_cleanup() {
  local pid name
  # Tracked helpers (a workload, a refresher) are not needed any more: no graceful stop (a
  # workload would first verify every member, waiting on the ones that are down).
  for pid in "${HARNESS_PIDS[@]}"; do kill_child "$pid" KILL; done
  for name in "${!OPERATOR_PID[@]}"; do kill_child "${OPERATOR_PID[$name]}"; done
  for pid in "${HARNESS_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  for name in "${!OPERATOR_PID[@]}"; do wait "${OPERATOR_PID[$name]}" 2>/dev/null; done
  stop_sandbox
  if [ -n "${HARNESS_CLEANUP_HOOK:-}" ]; then "$HARNESS_CLEANUP_HOOK"; fi
}
