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

  // Reads status.myids. A pod of a pool the spec no longer names (a migration between pools:
  // `<cluster>-<pool>-<ordinal>`) stays a member of that pool until it is decommissioned. A
  // pod whose name fits no pool naming of this spec (spec.replicas switched to spec.pools or
  // back renames every StatefulSet) is left out and listed in unplacedPods().
  static MemberSet fromStatus(const api::ZookeeperCluster& cluster);
  api::StringMap toStatusMap() const;

  const std::vector<Member>& members() const { return members_; }
  const Member* findPod(const std::string& pod) const;
  const Member* findMyid(int myid) const;
  // Pods the pool's StatefulSet must run: one past the highest ordinal recorded.
  int podsInPool(const std::string& pool) const;
  int highestMyid() const;
  // Pods of status.myids that fromStatus could not place in any pool.
  const std::vector<std::string>& unplacedPods() const { return unplaced_; }

 private:
  std::vector<Member> members_;  // ascending myid
  std::vector<std::string> unplaced_;
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
