#pragma once

// Pure rendering: a (defaulted) ZookeeperCluster, the operator's member set and the
// committed dynamic config in, the Kubernetes objects of BRIEF §3 out. No I/O, no clock.

#include <vector>

#include "controllers/api/cluster_types.h"
#include "controllers/render/dynamic_config.h"
#include "controllers/render/member_set.h"

namespace zkop::render {

struct RenderInput {
  const api::ZookeeperCluster& cluster;  // api::applyDefaults has run
  const MemberSet& members;              // pod -> myid
  const DynamicConfig& committed;        // the last committed server list
};

// metadata for an object the cluster owns: name, namespace, common labels, owner reference.
Json ownedMetadata(const api::ZookeeperCluster& cluster, const std::string& name);

// Everything, in the order it is applied: ConfigMap, Services, StatefulSets (one per pool,
// sized from the member set), PodDisruptionBudget.
std::vector<Json> renderAll(const RenderInput& input);

}  // namespace zkop::render
