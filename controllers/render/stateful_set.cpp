#include "controllers/render/stateful_set.h"

#include "controllers/render/config_map.h"
#include "controllers/render/names.h"
#include "controllers/render/quantity.h"

namespace zkop::render {
namespace {

Json fieldEnv(const std::string& name, const std::string& path) {
  return {{"name", name}, {"valueFrom", {{"fieldRef", {{"fieldPath", path}}}}}};
}

Json environment(const api::ZookeeperCluster& cluster) {
  Json env = Json::array({fieldEnv("POD_NAME", "metadata.name"),
                          fieldEnv("POD_NAMESPACE", "metadata.namespace"),
                          fieldEnv("POD_IP", "status.podIP")});
  const auto secret = cluster.spec.security.value_or(api::SecuritySpec{}).superUserSecret;
  if (secret) {
    // Optional: the server starts without a super user until the secret exists.
    env.push_back(
        {{"name", "ZKOP_SUPER_DIGEST"},
         {"valueFrom",
          {{"secretKeyRef", {{"name", *secret}, {"key", "digest"}, {"optional", true}}}}}});
  }
  if (cluster.spec.resources) {
    const auto& r = *cluster.spec.resources;
    if (r.contains("limits") && r["limits"].contains("memory") &&
        r["limits"]["memory"].is_string()) {
      if (auto bytes = parseMemoryQuantity(r["limits"]["memory"].get<std::string>())) {
        env.push_back(
            {{"name", "ZKOP_HEAP_MB"}, {"value", std::to_string(heapMiBForLimit(*bytes))}});
      }
    }
  }
  return env;
}

Json containerPorts(const api::PortsSpec& ports) {
  auto port = [](const char* name, int number) {
    return Json{{"name", name}, {"containerPort", number}, {"protocol", "TCP"}};
  };
  return Json::array(
      {port("client", ports.client.value_or(2181)), port("quorum", ports.quorum.value_or(2888)),
       port("election", ports.election.value_or(3888)), port("admin", ports.admin.value_or(8080)),
       port("metrics", ports.metrics.value_or(7000))});
}

Json probe(const char* what, int initialDelay, int period, int failures) {
  const std::string script = std::string(kConfigMountPath) + "/probe.sh";
  return {{"exec", {{"command", Json::array({"/bin/bash", script, what})}}},
          {"initialDelaySeconds", initialDelay},
          {"periodSeconds", period},
          {"timeoutSeconds", 10},
          {"successThreshold", 1},
          {"failureThreshold", failures}};
}

Json container(const api::ZookeeperCluster& cluster) {
  const auto image = cluster.spec.image.value_or(api::ImageSpec{});
  Json c = {
      {"name", "zookeeper"},
      {"image", image.repository.value_or("zookeeper") + ":" + image.tag.value_or("latest")},
      {"imagePullPolicy",
       std::string(api::enumName(image.pullPolicy.value_or(api::PullPolicy::IfNotPresent)))},
      {"command", Json::array({"/bin/bash", std::string(kConfigMountPath) + "/start.sh"})},
      {"env", environment(cluster)},
      {"ports", containerPorts(cluster.spec.ports.value_or(api::PortsSpec{}))},
      {"readinessProbe", probe("ready", 5, 5, 3)},
      {"livenessProbe", probe("live", 30, 10, 6)},
      {"volumeMounts",
       Json::array({{{"name", "config"}, {"mountPath", kConfigMountPath}, {"readOnly", true}},
                    {{"name", "data"}, {"mountPath", kDataMountPath}}})},
  };
  if (cluster.spec.resources) c["resources"] = *cluster.spec.resources;
  return c;
}

Json defaultAntiAffinity(const std::string& cluster) {
  // Spread members over nodes when possible; losing one node then costs one member.
  return {{"podAntiAffinity",
           {{"preferredDuringSchedulingIgnoredDuringExecution",
             Json::array({{{"weight", 100},
                           {"podAffinityTerm",
                            {{"topologyKey", "kubernetes.io/hostname"},
                             {"labelSelector", {{"matchLabels", selectorLabels(cluster)}}}}}}})}}}};
}

Json podSpec(const api::ZookeeperCluster& cluster, const api::PoolSpec& pool) {
  const auto names = ClusterNames::of(cluster);
  Json spec = {
      {"terminationGracePeriodSeconds", 30},
      // The official image's zookeeper user; the data volume is made writable for it.
      {"securityContext",
       {{"runAsUser", 1000}, {"runAsGroup", 1000}, {"fsGroup", 1000}, {"runAsNonRoot", true}}},
      {"containers", Json::array({container(cluster)})},
      {"volumes",
       Json::array({{{"name", "config"},
                     {"configMap", {{"name", names.configMap()}, {"defaultMode", 0755}}}}})},
      {"affinity", pool.affinity.value_or(defaultAntiAffinity(names.cluster))},
  };
  Json selector = Json::object();
  for (const auto& [k, v] : pool.nodeSelector.value_or(api::StringMap{})) selector[k] = v;
  if (pool.zone) selector["topology.kubernetes.io/zone"] = *pool.zone;
  if (!selector.empty()) spec["nodeSelector"] = selector;
  if (pool.tolerations) spec["tolerations"] = *pool.tolerations;
  return spec;
}

Json claimTemplate(const api::ZookeeperCluster& cluster, const api::PoolSpec& pool) {
  const auto persistence = cluster.spec.persistence.value_or(api::PersistenceSpec{});
  const auto storage = pool.storage.value_or(api::StorageSpec{});
  Json spec = {
      {"accessModes", Json::array({"ReadWriteOnce"})},
      {"resources",
       {{"requests", {{"storage", storage.size.value_or(persistence.size.value_or("10Gi"))}}}}}};
  if (auto cls =
          storage.storageClassName ? storage.storageClassName : persistence.storageClassName) {
    spec["storageClassName"] = *cls;
  }
  return {
      {"metadata", {{"name", "data"}, {"labels", poolSelectorLabels(cluster.name(), pool.name)}}},
      {"spec", spec}};
}

}  // namespace

Json renderStatefulSet(const RenderInput& input, const api::PoolSpec& pool) {
  const auto& cluster = input.cluster;
  const auto names = ClusterNames::of(cluster);
  const auto reclaim = cluster.spec.persistence.value_or(api::PersistenceSpec{})
                           .reclaimPolicy.value_or(api::ReclaimPolicy::Retain);

  Json metadata = ownedMetadata(cluster, names.statefulSet(pool.name));
  metadata["labels"][std::string(labels::kPool)] = pool.name;
  Json podLabels = commonLabels(names.cluster);
  podLabels[std::string(labels::kPool)] = pool.name;
  podLabels[std::string(labels::kVersion)] = cluster.spec.version.value_or("");
  Json podMetadata = {{"labels", podLabels}};
  if (cluster.spec.reconfigMode.value_or(api::ReconfigMode::Dynamic) == api::ReconfigMode::Static) {
    podMetadata["annotations"] = {
        {std::string(kListVersionAnnotation), std::to_string(input.committed.version)}};
  }
  int pods = input.members.podsInPool(pool.name);
  if (input.podsPerPool != nullptr) {
    auto it = input.podsPerPool->find(pool.name);
    if (it != input.podsPerPool->end()) pods = it->second;
  }

  return {{"apiVersion", "apps/v1"},
          {"kind", "StatefulSet"},
          {"metadata", metadata},
          {"spec",
           {{"serviceName", names.headlessService()},
            {"replicas", pods},
            {"podManagementPolicy", "Parallel"},
            {"updateStrategy", {{"type", "OnDelete"}}},
            {"selector", {{"matchLabels", poolSelectorLabels(names.cluster, pool.name)}}},
            // Scale-in keeps the volumes: a member that comes back gets a new myid and the
            // start script empties the old data, so nothing stale rejoins.
            {"persistentVolumeClaimRetentionPolicy",
             {{"whenDeleted", reclaim == api::ReclaimPolicy::Delete ? "Delete" : "Retain"},
              {"whenScaled", "Retain"}}},
            {"template", {{"metadata", podMetadata}, {"spec", podSpec(cluster, pool)}}},
            {"volumeClaimTemplates", Json::array({claimTemplate(cluster, pool)})}}}};
}

}  // namespace zkop::render
