#include "operator/reconciler/departing_pools.h"

#include <algorithm>

#include "controllers/api/defaults.h"
#include "controllers/render/names.h"
#include "operator/runtime/resource.h"

namespace zkop::reconciler {

std::expected<void, runtime::ReconcileError> syncDepartingPools(runtime::Client& client,
                                                                const DepartingPoolsInput& input) {
  const auto& statefulSets = runtime::resources::kStatefulSet;
  const auto names = render::ClusterNames::of(input.cluster);
  const auto specPools = api::effectivePools(input.cluster.spec);
  for (const auto& [pool, pods] : input.podsPerPool) {
    if (std::ranges::any_of(specPools, [&](const api::PoolSpec& p) { return p.name == pool; })) {
      continue;
    }
    const auto current = input.currentPods.find(pool);
    if (current == input.currentPods.end()) continue;  // its StatefulSet is gone already
    const auto name = names.statefulSet(pool);
    const auto ns = input.cluster.namespace_();
    const bool holdsMembers = std::ranges::any_of(
        input.members.members(), [&](const render::Member& m) { return m.pool == pool; });
    if (pods == 0 && !holdsMembers) {
      auto removed = client.remove(statefulSets, ns, name);
      if (!removed && removed.error().category != runtime::ErrorCategory::kNotFound) {
        return std::unexpected(
            runtime::ReconcileError::from("delete StatefulSet " + name, removed.error()));
      }
      continue;
    }
    if (current->second == pods) continue;
    auto patched = client.patch(statefulSets, ns, name, {{"spec", {{"replicas", pods}}}});
    if (!patched) {
      return std::unexpected(
          runtime::ReconcileError::from("scale StatefulSet " + name, patched.error()));
    }
  }
  return {};
}

}  // namespace zkop::reconciler
