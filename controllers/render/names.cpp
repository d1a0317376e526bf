#include "controllers/render/names.h"

#include "controllers/api/defaults.h"

namespace zkop::render {

ClusterNames ClusterNames::of(const api::ZookeeperCluster& cluster) {
  return {.cluster = cluster.name(),
          .ns = cluster.namespace_(),
          .clusterDomain = cluster.spec.clusterDomain.value_or("cluster.local"),
          .pooled = cluster.spec.pools.has_value() && !cluster.spec.pools->empty()};
}

std::string ClusterNames::statefulSet(const std::string& pool) const {
  return pooled ? cluster + "-" + pool : cluster;
}

std::string ClusterNames::pod(const std::string& pool, int ordinal) const {
  return statefulSet(pool) + "-" + std::to_string(ordinal);
}

std::string ClusterNames::peerDomain() const {
  return headlessService() + "." + ns + ".svc." + clusterDomain;
}

Json selectorLabels(const std::string& cluster) {
  return {{std::string(labels::kName), "zookeeper"}, {std::string(labels::kInstance), cluster}};
}

Json poolSelectorLabels(const std::string& cluster, const std::string& pool) {
  Json out = selectorLabels(cluster);
  out[std::string(labels::kPool)] = pool;
  return out;
}

Json commonLabels(const std::string& cluster) {
  Json out = selectorLabels(cluster);
  out[std::string(labels::kComponent)] = "server";
  out[std::string(labels::kManagedBy)] = "zkop";
  return out;
}

std::string selectorString(const std::string& cluster) {
  return std::string(labels::kInstance) + "=" + cluster + "," + std::string(labels::kName) +
         "=zookeeper";
}

Json ownerReference(const api::ZookeeperCluster& cluster) {
  return {{"apiVersion", std::string(api::kApiVersion)},
          {"kind", std::string(api::kKind)},
          {"name", cluster.name()},
          {"uid", cluster.uid()},
          {"controller", true},
          {"blockOwnerDeletion", true}};
}

}  // namespace zkop::render
