#!/usr/bin/env bash
# ctest fixture for tests that need an API server: `up` starts a zkop-sandbox detached and
# waits for its kubeconfig; `down` stops it.
#   sandbox_fixture.sh up|down SANDBOX_BINARY STATE_DIR
set -u
action=$1 sandbox=$2 state=$3
case "$action" in
  up)
    rm -rf "$state"
    mkdir -p "$state"
    setsid "$sandbox" up --state-dir "$state" --history-size 50 </dev/null >"$state/../sandbox.log" 2>&1 &
    for _ in $(seq 1 300); do
      [ -s "$state/kubeconfig" ] && exit 0
      sleep 0.1
    done
    echo "no kubeconfig in $state after 30s"; tail -n 20 "$state/../sandbox.log"; exit 1 ;;
  down)
    "$sandbox" down --state-dir "$state" ;;
esac
