#pragma once

// StatefulSets of pools the spec no longer names: a migration between pools ([a] -> [b])
// leaves pool a's members running until the planner has moved their votes to pool b and
// decommissioned them one at a time. The spec's pools are rendered whole; a departing pool's
// StatefulSet keeps the template it had (a pod of it that is recreated before its member is
// decommissioned lands where it used to) and only its replica count follows the planner.
// Once it runs no pod and holds no member, it is deleted.

#include <expected>
#include <map>
#include <string>

#include "controllers/api/cluster_types.h"
#include "controllers/render/member_set.h"
#include "operator/runtime/client.h"
#include "operator/runtime/controller.h"

namespace zkop::reconciler {

struct DepartingPoolsInput {
  const api::ZookeeperCluster& cluster;           // defaulted
  const render::MemberSet& members;               // status.myids after this pass's step
  const std::map<std::string, int>& podsPerPool;  // what each pool keeps after the step
  const std::map<std::string, int>& currentPods;  // spec.replicas of each existing StatefulSet
};

std::expected<void, runtime::ReconcileError> syncDepartingPools(runtime::Client& client,
                                                                const DepartingPoolsInput& input);

}  // namespace zkop::reconciler
