#pragma once

// The workload that runs beside every scenario: a ZooKeeper client (the C client) writing
// sequenced znodes at a steady rate through the client address, recording each
// acknowledged write and each failure with its time; at the end it reads every member
// directly and proves that every acknowledged write is present on each.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e/workload/leader_watch.h"
#include "e2e/workload/workload_report.h"

namespace zkop::zookeeper {
class Session;
}

namespace zkop::workload {

struct WorkloadConfig {
  std::string connectString;         // what clients use (the client Service's members)
  std::vector<std::string> members;  // every member, host:port: verified one by one
  // When set, the members are re-read from this file (see MemberList) while the workload runs
  // and once more when it finishes: writes move to the members it lists (zoo_set_servers)
  // when it changes, and the members it lists at the end are the ones verified.
  std::string membersFile;
  double writesPerSecond = 50;
  std::string runId = "run";  // znodes go under /zkop-workload-<runId>
  std::chrono::milliseconds sessionTimeout{10000};
  std::chrono::milliseconds leaderPollInterval{100};
};

class WorkloadChecker {
 public:
  explicit WorkloadChecker(WorkloadConfig config);
  ~WorkloadChecker();
  WorkloadChecker(const WorkloadChecker&) = delete;
  WorkloadChecker& operator=(const WorkloadChecker&) = delete;

  // Starts writing; returns an error message if no session or root znode can be made.
  std::string start();
  // Stops writing (idempotent).
  void stop();
  // Stops, then reads every member and builds the report.
  WorkloadReport finish();

  std::int64_t acknowledged() const { return acknowledged_.load(); }
  std::string root() const { return "/zkop-workload-" + config_.runId; }

 private:
  struct Write {
    std::int64_t seq;
    std::chrono::steady_clock::time_point acked;
  };
  void writeLoop(std::shared_ptr<zookeeper::Session> session);
  // Acknowledged writes `member` does not have after a sync; nothing if it cannot be read.
  std::optional<std::set<std::int64_t>> missingOn(const std::string& member) const;

  WorkloadConfig config_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point stopped_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> acknowledged_{0};
  mutable std::mutex mutex_;
  std::vector<Write> acked_;
  std::int64_t attempted_ = 0;
  std::int64_t failed_ = 0;
  std::vector<std::string> errors_;
  std::shared_ptr<MemberList> memberList_;
  std::unique_ptr<LeaderWatch> leaderWatch_;
  std::thread writer_;
  std::vector<std::string> finalLeaders_;
  int finalLeaderChanges_ = 0;
  std::vector<ServingInterruption> finalInterruptions_;
  std::int64_t serverListChanges_ = 0;
};

}  // namespace zkop::workload
