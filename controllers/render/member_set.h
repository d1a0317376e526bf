#pragma once

// The operator's record of which pod is which ZooKeeper server: pod -> myid, persisted in
// status.myids. myids are never reused (a replacement gets a new, larger one), so the
// record, not the pod ordinal, is the truth the start script and the planner read.

#include <optional>
#include <string>
#include <vector>

#include "controllers/api/cluster_types.h"
#include "controllers/render/dynamic_config.h"
#include "controllers/render/names.h"

namespace zkop::render {

struct Member {
  std::string pod;
  std::string pool;
  int ordinal = 0;
  int myid = 0;
  friend bool operator==(const Member&, const Member&) = default;
};

class MemberSet {
 public:
  MemberSet() = default;
  explicit MemberSet(std::vector<Member> members);

  // Reads status.myids. Pods that do not belong to one of the cluster's pools are dropped
  // (a pool that was removed from the spec keeps no pods).
  static MemberSet fromStatus(const api::ZookeeperCluster& cluster);
  api::StringMap toStatusMap() const;

  const std::vector<Member>& members() const { return members_; }
  const Member* findPod(const std::string& pod) const;
  const Member* findMyid(int myid) const;
  // Pods the pool's StatefulSet must run: one past the highest ordinal recorded.
  int podsInPool(const std::string& pool) const;
  int highestMyid() const;

 private:
  std::vector<Member> members_;  // ascending myid
};

// myids for every pod the spec asks for, before anything runs. Pools with a higher
// leaderPriority get the higher myids: with equal zxids the highest myid wins an election
// (seed 002), so the preferred site leads. Within a pool, ascending ordinal.
MemberSet initialMemberSet(const api::ZookeeperCluster& cluster);

// The first committed config for `members`: the first spec.replicas ordinals of each pool
// vote, the rest observe; external members as the spec lists them. Version 0.
DynamicConfig initialConfig(const api::ZookeeperCluster& cluster, const MemberSet& members);

// The server entry of one Kubernetes member, as it appears in the dynamic config.
ServerEntry serverEntry(const api::ZookeeperCluster& cluster, const Member& member,
                        api::MemberRole role);

}  // namespace zkop::render
