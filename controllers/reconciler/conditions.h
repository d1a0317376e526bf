#pragma once

// status.conditions as Kubernetes API conventions want them: one entry per type, with
// reason, message, observedGeneration, and a lastTransitionTime that moves only when the
// status value changes.

#include <string>
#include <vector>

#include "controllers/api/cluster_types.h"

namespace zkop::reconciler {

namespace condition {
inline constexpr std::string_view kReady = "Ready";
inline constexpr std::string_view kProgressing = "Progressing";
inline constexpr std::string_view kDegraded = "Degraded";
inline constexpr std::string_view kQuorumAvailable = "QuorumAvailable";
}  // namespace condition

// Sets (or adds) the condition `type`. `now` is RFC 3339; it becomes lastTransitionTime only
// when the condition is new or its status changed. Returns true when anything changed.
bool setCondition(std::vector<api::Condition>& conditions, std::string_view type, bool status,
                  const std::string& reason, const std::string& message, std::int64_t generation,
                  const std::string& now);

const api::Condition* findCondition(const std::vector<api::Condition>& conditions,
                                    std::string_view type);

}  // namespace zkop::reconciler
