#pragma once

// From the Kubernetes resource to the planner's vocabulary: what the user asked for
// (DesiredEnsemble), and a member slot's Kubernetes names. Pure.

#include <set>
#include <string>

#include "controllers/api/cluster_types.h"
#include "controllers/planner/desired_ensemble.h"
#include "controllers/planner/ensemble.h"

namespace zkop::reconciler {

// Annotation listing myids to retire ("3,5"): each member holding one is replaced in its
// slot by a new, larger myid with empty data (seed 000 §5, "replace a member").
inline constexpr std::string_view kRetireMyidsAnnotation = "zkop.io/retire-myids";

// Expects a defaulted, valid cluster. A cluster with fewer than three voters cannot restart
// a voter without a moment without quorum; the user chose that shape, so the planner may
// take that unavoidable outage instead of refusing every restart.
planner::DesiredEnsemble desiredEnsemble(const api::ZookeeperCluster& cluster);

// `desired` with the myids whose data is lost added to those to retire: a member that forgot
// acknowledged writes is replaced under a new myid like one the user retires (rule 5).
planner::DesiredEnsemble retiringLostData(planner::DesiredEnsemble desired,
                                          const std::set<int>& lostMyids);

// The pod name of a managed slot ("zk-2", "zk-east-0").
std::string podName(const api::ZookeeperCluster& cluster, const planner::MemberSlot& slot);

}  // namespace zkop::reconciler
