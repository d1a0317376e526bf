#!/usr/bin/env bash
# zkop probe: `probe.sh ready` succeeds when this server serves clients as part of a
# quorum (leader, follower or observer); a server that is up but looking for a leader is
# not ready. `probe.sh live` succeeds when the server answers `ruok` at all.
# Plain bash (/dev/tcp): the image needs no nc.
set -u
CONFIG_DIR="${ZKOP_CONFIG_DIR:-/zkop/config}"
# shellcheck source=/dev/null
. "$CONFIG_DIR/cluster.env"
host="${POD_IP:-127.0.0.1}"

ask() {
  exec 3<>"/dev/tcp/$host/$ZKOP_CLIENT_PORT" || return 1
  printf '%s' "$1" >&3
  timeout 5 cat <&3
  exec 3<&-
}

case "${1:-ready}" in
  live)
    [ "$(ask ruok)" = "imok" ] || { echo "no imok from $host:$ZKOP_CLIENT_PORT"; exit 1; }
    ;;
  ready)
    out="$(ask srvr)" || { echo "cannot reach $host:$ZKOP_CLIENT_PORT"; exit 1; }
    mode="$(printf '%s\n' "$out" | sed -n 's/^Mode: //p')"
    case "$mode" in
      leader|follower|observer) exit 0 ;;
      *) echo "not serving in a quorum (mode: ${mode:-none})"; exit 1 ;;
    esac
    ;;
  *) echo "usage: probe.sh ready|live"; exit 2 ;;
esac
