#include "controllers/render/render.h"

#include "controllers/api/defaults.h"
#include "controllers/render/config_map.h"
#include "controllers/render/names.h"
#include "controllers/render/pod_disruption_budget.h"
#include "controllers/render/services.h"
#include "controllers/render/stateful_set.h"

namespace zkop::render {

Json ownedMetadata(const api::ZookeeperCluster& cluster, const std::string& name) {
  return {{"name", name},
          {"namespace", cluster.namespace_()},
          {"labels", commonLabels(cluster.name())},
          {"ownerReferences", Json::array({ownerReference(cluster)})}};
}

std::vector<Json> renderAll(const RenderInput& input) {
  std::vector<Json> objects;
  objects.push_back(renderConfigMap(input));
  objects.push_back(renderHeadlessService(input.cluster));
  objects.push_back(renderClientService(input.cluster));
  for (const auto& pool : api::effectivePools(input.cluster.spec)) {
    objects.push_back(renderStatefulSet(input, pool));
  }
  objects.push_back(renderPodDisruptionBudget(input.cluster));
  return objects;
}

}  // namespace zkop::render
