#include "controllers/reconciler/conditions.h"

#include <algorithm>

namespace zkop::reconciler {

const api::Condition* findCondition(const std::vector<api::Condition>& conditions,
                                    std::string_view type) {
  auto it = std::find_if(conditions.begin(), conditions.end(),
                         [&](const api::Condition& c) { return c.type == type; });
  return it == conditions.end() ? nullptr : &*it;
}

bool setCondition(std::vector<api::Condition>& conditions, std::string_view type, bool status,
                  const std::string& reason, const std::string& message, std::int64_t generation,
                  const std::string& now) {
  const std::string value = status ? "True" : "False";
  auto it = std::find_if(conditions.begin(), conditions.end(),
                         [&](const api::Condition& c) { return c.type == type; });
  if (it == conditions.end()) {
    conditions.push_back({.type = std::string(type),
                          .status = value,
                          .reason = reason,
                          .message = message,
                          .observedGeneration = generation,
                          .lastTransitionTime = now});
    return true;
  }
  const api::Condition before = *it;
  if (it->status != value) it->lastTransitionTime = now;
  it->status = value;
  it->reason = reason;
  it->message = message;
  it->observedGeneration = generation;
  return !(before == *it);
}

}  // namespace zkop::reconciler
