#pragma once

// status.members, status.leader, status.readyReplicas, status.replicas, status.currentVersion
// and status.configVersion from one pass of observation. Pure.

#include <optional>
#include <string>
#include <vector>

#include "controllers/api/cluster_types.h"
#include "controllers/observe/cluster_facts.h"

namespace zkop::reconciler {

struct MemberSummary {
  std::vector<api::MemberStatus> members;  // managed members (ascending myid), then externals
  std::optional<std::string> leader;       // pod name or external host
  int readyReplicas = 0;                   // managed pods that are ready
  int voters = 0;                          // participants in the config in play
  // The version every managed member runs, when they all run the same one.
  std::optional<std::string> currentVersion;
  std::optional<std::string> configVersion;  // hex
};

MemberSummary summarizeMembers(const observe::ClusterFacts& facts);

}  // namespace zkop::reconciler
