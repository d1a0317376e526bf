#!/usr/bin/env bash
# zkop start script: runs as the ZooKeeper container's command. It decides, from the
# operator's ConfigMap and what the data volume holds, who this member is and with which
# configuration it starts, then execs the ZooKeeper server in the foreground.
#
# Decisions (in this order):
#   1. myid: this pod's entry in the operator's pod -> myid map. No entry: exit (the
#      operator has not admitted this pod yet; the kubelet retries).
#   2. identity of the data dir: if this myid has served before (the operator's
#      served-myids) and the data dir does not hold its data, the disk was lost: exit 65
#      without touching anything. A voter that forgot acknowledged writes must not vote
#      again under its myid; the operator sees the exit code and replaces the member under
#      a new myid. Otherwise, if it holds another myid or another ensemble's data, version-2
#      (snapshots and logs) is emptied first. A member must never come back with data that
#      belongs to someone else (BRIEF §2 rule 5).
#   3. configuration: the newest committed dynamic config, either the ConfigMap's or one
#      ZooKeeper itself wrote on this volume after a reconfig. If this myid is in it, start
#      with it. Otherwise (Dynamic mode) start as a joiner: the committed config plus this
#      server as an observer; the operator promotes it with `reconfig` once it is synced.
#      In Static mode a member that is not listed cannot join: exit and let the operator
#      write the server list first.
# Works in the official `zookeeper` image layout and with a distribution's package
# (Debian's `zookeeper`): the classpath comes from ZooKeeper's own zkEnv.sh.
set -euo pipefail

CONFIG_DIR="${ZKOP_CONFIG_DIR:-/zkop/config}"
DATA_DIR="${ZKOP_DATA_DIR:-/data}"
POD_NAME="${POD_NAME:-$(hostname)}"

log() { echo "zkop-start: $*" >&2; }
die() { log "$*"; exit 1; }

# shellcheck source=/dev/null
. "$CONFIG_DIR/cluster.env"

# --- 1. myid --------------------------------------------------------------------------
MYID="$(awk -F= -v pod="$POD_NAME" '$1 == pod { print $2 }' "$CONFIG_DIR/myids")"
[ -n "$MYID" ] || die "pod $POD_NAME has no myid in the operator's member map yet"
SELF_HOST="$POD_NAME.$ZKOP_PEER_DOMAIN"

# --- 2. identity of the data dir ------------------------------------------------------
mkdir -p "$DATA_DIR"
CONF_DIR="$DATA_DIR/zkop-conf"
old_myid="$(cat "$DATA_DIR/myid" 2>/dev/null || true)"
old_ensemble="$(cat "$DATA_DIR/zkop-ensemble-id" 2>/dev/null || true)"
if grep -qx "$MYID" "$CONFIG_DIR/served-myids" 2>/dev/null &&
   { [ "$old_myid" != "$MYID" ] || [ "$old_ensemble" != "$ZKOP_ENSEMBLE_ID" ]; }; then
  holds="no data"
  [ -n "$old_myid" ] && holds="the data of myid $old_myid of ensemble $old_ensemble"
  lost="data lost: myid $MYID has served, and its data dir holds $holds; it must not vote"
  lost="$lost again under myid $MYID: zkop replaces it with a new myid"
  log "$lost"
  # Kubernetes shows the termination message in the pod's status (kubectl describe pod).
  { echo "$lost" > /dev/termination-log; } 2>/dev/null || true
  exit 65
fi
if [ -n "$old_myid$old_ensemble" ] &&
   { [ "$old_myid" != "$MYID" ] || [ "$old_ensemble" != "$ZKOP_ENSEMBLE_ID" ]; }; then
  log "data dir belongs to myid '${old_myid}' of ensemble '${old_ensemble}'," \
      "this member is myid $MYID of '$ZKOP_ENSEMBLE_ID': emptying version-2"
  rm -rf "$DATA_DIR/version-2" "$CONF_DIR"
elif [ -z "$old_myid$old_ensemble" ] && [ -d "$DATA_DIR/version-2" ]; then
  log "data dir holds data of unknown origin: emptying version-2"
  rm -rf "$DATA_DIR/version-2" "$CONF_DIR"
fi
echo "$MYID" > "$DATA_DIR/myid"
echo "$ZKOP_ENSEMBLE_ID" > "$DATA_DIR/zkop-ensemble-id"
mkdir -p "$CONF_DIR"

# --- 3. configuration -----------------------------------------------------------------
best_file="$CONFIG_DIR/zoo.cfg.dynamic"
best_version="$(tr -d '[:space:]' < "$CONFIG_DIR/config-version")"
# Static mode: the operator's list is the only truth (ZooKeeper may still write files of its
# own, named after a zxid, which would look newer than any list the operator writes).
for f in "$CONF_DIR"/zoo.cfg.dynamic.*; do
  [ "$ZKOP_RECONFIG_MODE" = "Static" ] && break
  [ -e "$f" ] || continue
  v="${f##*.}"
  [[ "$v" =~ ^[0-9a-fA-F]+$ ]] || continue
  if (( 16#$v > 16#$best_version )); then best_file="$f"; best_version="$v"; fi
done

dynamic="$CONF_DIR/zoo.cfg.dynamic.$best_version"
if [ "$ZKOP_RECONFIG_MODE" = "Static" ]; then
  # Every Static list is handed to ZooKeeper under one fixed version. ZooKeeper 3.5+ compares
  # versions between peers: a learner whose list is newer is refused by the leader ("Follower
  # is ahead of the leader"), one whose list is older adopts the leader's. With equal
  # versions each member keeps the list it was started with, as a 3.4-style roll needs.
  dynamic="$CONF_DIR/zoo.cfg.dynamic.1"
fi
if grep -Eq "^server\.$MYID=" "$best_file"; then
  role="$(sed -n "s/^server\.$MYID=[^;]*:\([a-z]*\);.*/\1/p" "$best_file")"
  log "myid $MYID is in committed config $best_version as ${role:-participant}: starting as a member"
  if ! [ "$best_file" -ef "$dynamic" ]; then
    cp "$best_file" "$dynamic.tmp"
    mv "$dynamic.tmp" "$dynamic"
  fi
elif [ "$ZKOP_RECONFIG_MODE" = "Static" ]; then
  die "myid $MYID is not in the server list (config $best_version); in Static mode the operator" \
      "adds it to the list before the member can start"
else
  log "myid $MYID is not in committed config $best_version: starting as a joiner (observer)"
  # The joiner's file carries version 0, below the committed one: on syncing, the member
  # takes the leader's config, finds itself absent and runs as a non-voting follower, whose
  # acks count for the reconfig that adds it (needed to grow 1 -> 2 voters). With the
  # committed version it would ignore the leader's config and stay an observer for good.
  dynamic="$CONF_DIR/zoo.cfg.dynamic.0"
  {
    grep -E '^server\.' "$best_file"
    echo "server.$MYID=$SELF_HOST:$ZKOP_QUORUM_PORT:$ZKOP_ELECTION_PORT:observer;$SELF_HOST:$ZKOP_CLIENT_PORT"
  } > "$dynamic.tmp"
  mv "$dynamic.tmp" "$dynamic"
fi
# Older dynamic files only confuse a later start; ZooKeeper writes a new one per reconfig.
for f in "$CONF_DIR"/zoo.cfg.dynamic.*; do
  [ "$f" = "$dynamic" ] || rm -f "$f"
done

# --- 4. ZooKeeper's classpath, from its own zkEnv.sh -------------------------------------
zk_bin=""
for d in "${ZOOKEEPER_HOME:+$ZOOKEEPER_HOME/bin}" \
         "$(dirname "$(command -v zkServer.sh 2>/dev/null || echo /nonexistent/x)")" \
         /apache-zookeeper-*-bin/bin /opt/zookeeper/bin /usr/share/zookeeper/bin; do
  if [ -n "$d" ] && [ -f "$d/zkEnv.sh" ]; then zk_bin="$d"; break; fi
done
[ -n "$zk_bin" ] || die "cannot find ZooKeeper's zkEnv.sh (set ZOOKEEPER_HOME)"
set +eu
ZOOBINDIR="$zk_bin"
# shellcheck source=/dev/null
. "$zk_bin/zkEnv.sh" > /dev/null
set -eu
JAVA="${JAVA:-java}"
# A distribution package may ship no SLF4J binding on its classpath; without one the
# server logs nothing. Add the simple binding (logs to stderr) when one is installed.
if [[ "$CLASSPATH" != *logback* && "$CLASSPATH" != *slf4j-simple* && "$CLASSPATH" != *log4j-slf4j* ]]; then
  for j in /usr/share/java/slf4j-simple.jar; do
    [ -f "$j" ] && CLASSPATH="$CLASSPATH:$j"
  done
fi

# --- 5. static configuration of this member ----------------------------------------------
listen="${POD_IP:-$SELF_HOST}"
{
  cat "$CONFIG_DIR/zoo.cfg"
  echo "dataDir=$DATA_DIR"
  echo "dynamicConfigFile=$dynamic"
  echo "admin.serverAddress=$listen"
  echo "admin.serverPort=$ZKOP_ADMIN_PORT"
  # The Prometheus provider ships with the official distribution, not with every package.
  if [[ "$CLASSPATH" == *prometheus* ]] || compgen -G "$zk_bin/../lib/*prometheus*.jar" > /dev/null; then
    echo "metricsProvider.className=org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider"
    echo "metricsProvider.httpHost=$listen"
    echo "metricsProvider.httpPort=$ZKOP_METRICS_PORT"
  fi
} > "$CONF_DIR/zoo.cfg.tmp"
mv "$CONF_DIR/zoo.cfg.tmp" "$CONF_DIR/zoo.cfg"

jvm=()
# Pods get a new IP when they are recreated; the JVM would otherwise cache a peer's old
# address (30 s by default) and a restarted member could not reach, or be reached by, its
# peers. ZooKeeper resolves a server's name when it takes in a config (a reconfig, a hand-off)
# and keeps that address while it connects to the leader, so even a 2 s cache turned a
# hand-off issued a second after a peer's restart into a 10 s outage: no cache by default.
jvm+=("-Dsun.net.inetaddr.ttl=${ZKOP_DNS_TTL_SECONDS:-0}" "-Dsun.net.inetaddr.negative.ttl=0")
[ -n "${ZKOP_HEAP_MB:-}" ] && jvm+=("-Xms${ZKOP_HEAP_MB}m" "-Xmx${ZKOP_HEAP_MB}m")
[ -n "${ZKOP_SUPER_DIGEST:-}" ] &&
  jvm+=("-Dzookeeper.DigestAuthenticationProvider.superDigest=$ZKOP_SUPER_DIGEST")
# shellcheck disable=SC2206
[ -n "${JVMFLAGS:-}" ] && jvm+=($JVMFLAGS)

log "exec $JAVA (myid $MYID, config $dynamic)"
exec "$JAVA" "${jvm[@]}" -cp "$CLASSPATH" \
  org.apache.zookeeper.server.quorum.QuorumPeerMain "$CONF_DIR/zoo.cfg"
