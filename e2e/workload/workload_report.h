#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "controllers/api/json.h"

namespace zkop::workload {

// What a workload run proves: every acknowledged write present on every member, the
// longest time clients could not write, and how many times the leader changed.
struct WorkloadReport {
  std::int64_t attempted = 0;
  std::int64_t acknowledged = 0;
  std::int64_t failed = 0;  // the server said no, or the outcome is unknown (connection loss)
  std::int64_t lost = 0;    // acknowledged but missing on at least one member
  std::map<std::string, std::int64_t> missingByMember;  // member -> acknowledged writes missing
  std::vector<std::string> unverifiedMembers;           // could not be read at the end
  double longestPauseMs = 0;  // longest gap between consecutive acknowledgements
  int leaderChanges = 0;
  std::vector<std::string> leaders;  // leaders in the order they were seen
  // Members that stopped serving while running (an election or a leader change); see
  // LeaderWatch.
  struct Interruption {
    std::string member;
    std::string previousMode;
    double atMs = 0;
  };
  std::vector<Interruption> servingInterruptions;
  std::int64_t serverListChanges = 0;  // times the member list changed (--members-file)
  double durationMs = 0;
  std::vector<std::string> errors;  // first few failure messages, for diagnosis

  bool ok() const { return lost == 0 && unverifiedMembers.empty() && acknowledged > 0; }
  std::string toText() const;
  Json toJson() const;
};

}  // namespace zkop::workload
