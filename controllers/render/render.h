#pragma once

// Pure rendering: a (defaulted) ZookeeperCluster, the operator's member set and the
// committed dynamic config in, the Kubernetes objects of BRIEF §3 out. No I/O, no clock.

#include <map>
#include <set>
#include <vector>

#include "controllers/api/cluster_types.h"
#include "controllers/render/dynamic_config.h"
#include "controllers/render/member_set.h"

namespace zkop::render {

struct RenderInput {
  const api::ZookeeperCluster& cluster;  // api::applyDefaults has run
  const MemberSet& members;              // pod -> myid
  const DynamicConfig& committed;        // the last committed server list
  // Pods each pool's StatefulSet runs; a pool not named here gets one pod per ordinal up to
  // the highest in the member set. The reconciler names every pool: pods are started one
  // planner step at a time, not as soon as a myid is issued.
  const std::map<std::string, int>* podsPerPool = nullptr;
  // Pods that must not start ZooKeeper now (a member stopped for good or awaiting a new
  // myid): left out of the ConfigMap's myid map, so a pod the StatefulSet recreates waits.
  const std::set<std::string>* parkedPods = nullptr;
  // Static mode: the list before `committed`, kept while a roll moves members off it.
  const DynamicConfig* previousList = nullptr;
  // Myids the operator has seen serve. start.sh refuses to start one of them on a data dir
  // that does not hold its data (a lost disk): it exits kDataLostExitCode and the operator
  // replaces the member under a new myid (BRIEF §2 rule 5).
  const std::set<int>* servedMyids = nullptr;
  // Myids found to have lost their data: the operator's record (the ConfigMap's lost-myids),
  // kept until their slots have new myids.
  const std::set<int>* lostMyids = nullptr;
};

// Annotation on Static-mode pod templates: the version of the server list a pod was made
// with. updateStrategy OnDelete keeps it per pod, so the observer knows who runs which list.
inline constexpr std::string_view kListVersionAnnotation = "zkop.io/config-version";

// metadata for an object the cluster owns: name, namespace, common labels, owner reference.
Json ownedMetadata(const api::ZookeeperCluster& cluster, const std::string& name);

// Everything, in the order it is applied: ConfigMap, Services, StatefulSets (one per pool,
// sized from the member set), PodDisruptionBudget.
std::vector<Json> renderAll(const RenderInput& input);

}  // namespace zkop::render
