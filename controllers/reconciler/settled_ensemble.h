#pragma once

#include "controllers/api/cluster_types.h"
#include "controllers/planner/observed_ensemble.h"

namespace zkop::reconciler {

// The ensemble a cluster would be once it has settled exactly as its spec says: every member
// up and synced with the myids `render::initialMemberSet` issues, its version, and the
// highest-myid voter leading (what wins an election at equal zxid). The starting point of
// `zkop plan --from`, and of tests.
planner::ObservedEnsemble settledEnsemble(const api::ZookeeperCluster& cluster);

}  // namespace zkop::reconciler
