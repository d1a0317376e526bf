#!/usr/bin/env bash
# LeaderLast beside Handoff, from the upgrade scenarios' workload reports:
#   compare_strategies.sh WORK_ROOT   (the scenarios' work dirs: WORK_ROOT/<case>/result.json)
# Prints longest write pause, failed requests, leader changes and members that went LOOKING
# per ensemble size and strategy. Fails only if a report that exists shows a lost write.
set -u -o pipefail
root=$1
command -v jq >/dev/null 2>&1 || { echo "SKIP: no jq on PATH"; exit 77; }

printf '%-8s %-11s %10s %8s %8s %8s %9s %6s\n' members strategy "pause ms" failed leader looking acked lost
printf '%-8s %-11s %10s %8s %8s %8s %9s %6s\n' "" "" "" requests changes members "" ""
status=0
for n in 3 5; do
  for strategy in leaderlast handoff; do
    result="$root/upgrade${n}_${strategy}/result.json"
    label=$([ $strategy = leaderlast ] && echo LeaderLast || echo Handoff)
    if [ ! -s "$result" ]; then
      printf '%-8s %-11s %10s\n' "$n" "$label" "(scenario upgrade${n}_${strategy} did not pass or did not run)"
      continue
    fi
    jq -r --arg n "$n" --arg s "$label" \
      '[$n, $s, (.longestPauseMs | floor), .failed, .leaderChanges, (.membersWentLooking // "?"), .acknowledged, .lost] | @tsv' \
      "$result" | awk -F'\t' '{ printf "%-8s %-11s %10s %8s %8s %8s %9s %6s\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
    [ "$(jq .lost "$result")" = 0 ] || status=1
  done
done
echo "(one run each on a shared machine: indications, not benchmarks)"
exit $status
