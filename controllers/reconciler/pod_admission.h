#pragma once

// Which pods may run ZooKeeper and how many pods each pool's StatefulSet keeps. Pure.
//
// A myid is issued (AssignMyid) before its pod starts, and the planner starts members one
// step at a time, so the StatefulSets are not sized from the member set: a pool grows by one
// pod when the planner says StartMember and shrinks when it decommissions its highest slot.
// A StatefulSet recreates any pod below its replica count, so a member stopped for good (or
// awaiting a new myid) is "parked": its pod is left out of the ConfigMap's myid map, and
// the start script of a recreated pod waits instead of starting ZooKeeper.

#include <map>
#include <set>
#include <string>

#include "controllers/api/cluster_types.h"
#include "controllers/planner/desired_ensemble.h"
#include "controllers/planner/step.h"
#include "controllers/render/member_set.h"

namespace zkop::reconciler {

struct PodAdmissionInput {
  const api::ZookeeperCluster& cluster;  // defaulted
  const render::MemberSet& members;      // status.myids
  const planner::DesiredEnsemble& desired;
  // myids any server list in play names: the committed config (Dynamic), or the written
  // list and the one before it (Static).
  std::set<int> listedMyids;
  // spec.replicas of each pool's StatefulSet as it exists (a missing one: absent).
  std::map<std::string, int> currentPods;
  // Pods whose ZooKeeper answers (a parked or crashed pod does not).
  std::set<std::string> answeringPods;
};

// Pods that must not start ZooKeeper: their member is out of every list in play and either
// its slot is no longer wanted or its myid is being retired.
std::set<std::string> parkedPods(const PodAdmissionInput& input);

// Pods whose member is gone for good: its slot is no longer wanted, no list in play names
// its myid and its pod no longer exists. Their entries leave status.myids, so a slot that is
// wanted again gets a new, larger myid and its retained volume is emptied on start (rule 5).
std::set<std::string> forgottenPods(const PodAdmissionInput& input,
                                    const std::set<std::string>& existingPods);

// Pods each pool's StatefulSet keeps after `step` (the step this pass performs): the spec's
// pools, and pools it no longer names that still have a StatefulSet or members (0 once a
// departing pool has nothing left to run).
std::map<std::string, int> podsPerPool(const PodAdmissionInput& input, const planner::Step& step);

}  // namespace zkop::reconciler
