#pragma once

// The planner's ObservedEnsemble read from the places a user has it: a ZookeeperCluster's
// status (what `kubectl get zk NAME -o yaml` shows), or an explicit JSON/YAML document of
// kind ObservedEnsemble (for what-if questions: `zkop plan --observed`). And the plan
// preview as JSON (`zkop plan --output json`).

#include <expected>
#include <string>

#include "controllers/api/cluster_types.h"
#include "controllers/planner/observed_ensemble.h"
#include "controllers/planner/plan_preview.h"

namespace zkop::reconciler {

// From status.myids, status.members, status.leader, status.configVersion and
// status.highestMyid. A member the status calls ready is up; synced as the status says. No
// status: an empty ensemble (a new cluster).
planner::ObservedEnsemble observedFromStatus(const api::ZookeeperCluster& cluster);

// {"kind": "ObservedEnsemble", "leader": 3, "configVersion": 1, "highestMyid": 3,
//  "members": [{"pool": "default", "ordinal": 0, "myid": 1, "role": "Participant",
//               "up": true, "synced": true, "version": "3.8.4", "inConfig": true}, ...]}
// (`host` instead of pool/ordinal for an external member; `inConfig` defaults to true).
std::expected<planner::ObservedEnsemble, std::string> observedFromJson(const Json& document);

// [{"number", "action", "description", "member", "myid", "votersAfter", "observersAfter",
//   "quorumAfter", "whySafe"}, ...] and the end of the plan.
Json previewToJson(const planner::PlanPreview& preview);

}  // namespace zkop::reconciler
