#pragma once

// The planner's server lists (myid, slot, role) as ZooKeeper's server lines (host, ports,
// role). Pure.

#include <optional>

#include "controllers/api/cluster_types.h"
#include "controllers/planner/ensemble.h"
#include "controllers/render/dynamic_config.h"

namespace zkop::reconciler {

// A managed member's line names its pod's stable DNS name; an external member's line comes
// from spec.externalMembers. None for an external myid the spec does not list.
std::optional<render::ServerEntry> serverLine(const api::ZookeeperCluster& cluster,
                                              const planner::ServerEntry& server);

// Every line of `list` (those serverLine cannot place are left out), ascending myid.
render::DynamicConfig renderServerList(const api::ZookeeperCluster& cluster,
                                       const planner::ServerList& list);

}  // namespace zkop::reconciler
