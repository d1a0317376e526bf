// Rolling restart of a real ensemble under a steady write load, in two orders:
//   leader-last   followers in ascending myid order, the leader last (what zkop does);
//   statefulset   highest ordinal first, as a StatefulSet RollingUpdate does (the baseline:
//                 after bootstrap the leader usually has the highest myid).
// Each member is restarted and the next one touched only once it serves again. Printed:
// leader changes and the longest write pause clients saw, per order and ensemble size.
// Exit status 1 only if an acknowledged write was lost.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <vector>

#include "e2e/workload/workload_checker.h"
#include "tests/support/local_ensemble.h"

namespace {

using zkop::testing::LocalEnsemble;
using zkop::workload::WorkloadChecker;
using zkop::workload::WorkloadConfig;
using zkop::workload::WorkloadReport;
using namespace std::chrono_literals;

struct Result {
  std::string order;
  int members = 0;
  WorkloadReport report;
  double rollMs = 0;
};

bool allServing(const LocalEnsemble& ensemble, int members) {
  for (int id = 1; id <= members; ++id) {
    if (ensemble.status(id).mode == zkop::observe::ServerMode::NotServing) return false;
  }
  return true;
}

Result roll(int members, const std::string& order) {
  LocalEnsemble ensemble("bench-roll-" + order + "-" + std::to_string(members));
  const auto config = ensemble.config(members);
  for (int id = 1; id <= members; ++id) ensemble.start(id, config);
  if (!LocalEnsemble::waitUntil([&] { return allServing(ensemble, members); }, 180s)) {
    std::cerr << "ensemble did not form:\n" << ensemble.describe(true);
    std::exit(2);
  }
  WorkloadConfig workload;
  for (int id = 1; id <= members; ++id) {
    workload.members.push_back(ensemble.clientAddress(id));
    workload.connectString += (id > 1 ? "," : "") + ensemble.clientAddress(id);
  }
  workload.writesPerSecond = 100;
  workload.runId = order;
  WorkloadChecker checker(workload);
  if (auto error = checker.start(); !error.empty()) {
    std::cerr << error << "\n";
    std::exit(2);
  }
  LocalEnsemble::waitUntil([&] { return checker.acknowledged() >= 100; }, 120s);

  std::vector<int> sequence;
  if (order == "leader-last") {
    const int leader = ensemble.leader();
    for (int id = 1; id <= members; ++id) {
      if (id != leader) sequence.push_back(id);
    }
    sequence.push_back(leader);
  } else {
    for (int id = members; id >= 1; --id) sequence.push_back(id);
  }
  const auto started = std::chrono::steady_clock::now();
  for (int id : sequence) {
    ensemble.stop(id);
    ensemble.start(id, config);
    if (!LocalEnsemble::waitUntil([&] { return allServing(ensemble, members); }, 180s)) {
      std::cerr << "member " << id << " did not come back:\n" << ensemble.describe(true);
      std::exit(2);
    }
  }
  const double rollMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  const auto before = checker.acknowledged();
  LocalEnsemble::waitUntil([&] { return checker.acknowledged() >= before + 100; }, 120s);
  return {order, members, checker.finish(), rollMs};
}

}  // namespace

int main() {
  std::vector<Result> results;
  for (int members : {3, 5}) {
    for (const char* order : {"statefulset", "leader-last"})
      results.push_back(roll(members, order));
  }
  std::printf("\nrolling restart under 100 writes/s (tickTime 500 ms), real ZooKeeper servers\n");
  std::printf("%-8s %-12s %8s %10s %10s %8s %6s\n", "members", "order", "leader", "longest", "roll",
              "acked", "lost");
  std::printf("%-8s %-12s %8s %10s %10s %8s %6s\n", "", "", "changes", "pause ms", "ms", "", "");
  bool lost = false;
  for (const auto& r : results) {
    std::printf("%-8d %-12s %8d %10.0f %10.0f %8lld %6lld\n", r.members, r.order.c_str(),
                r.report.leaderChanges, r.report.longestPauseMs, r.rollMs,
                static_cast<long long>(r.report.acknowledged),
                static_cast<long long>(r.report.lost));
    lost = lost || r.report.lost > 0 || !r.report.unverifiedMembers.empty();
  }
  for (const auto& r : results) {
    if (!r.report.ok()) std::cout << r.order << "/" << r.members << ": " << r.report.toText();
  }
  return lost ? 1 : 0;
}
