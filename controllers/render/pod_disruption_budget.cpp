#include "controllers/render/pod_disruption_budget.h"

#include "controllers/render/names.h"

namespace zkop::render {

Json renderPodDisruptionBudget(const api::ZookeeperCluster& cluster) {
  const auto names = ClusterNames::of(cluster);
  return {
      {"apiVersion", "policy/v1"},
      {"kind", "PodDisruptionBudget"},
      {"metadata", ownedMetadata(cluster, names.podDisruptionBudget())},
      {"spec",
       {{"maxUnavailable", 1}, {"selector", {{"matchLabels", selectorLabels(names.cluster)}}}}}};
}

}  // namespace zkop::render
