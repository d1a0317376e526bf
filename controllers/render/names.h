#pragma once

// Names and labels of the objects a ZookeeperCluster owns. One place, so that the
// renderer, the reconciler and the tests agree on them.

#include <string>

#include "controllers/api/cluster_types.h"

namespace zkop::render {

struct ClusterNames {
  std::string cluster;
  std::string ns;
  std::string clusterDomain;
  bool pooled = false;  // spec.pools is set: StatefulSets are named <cluster>-<pool>

  static ClusterNames of(const api::ZookeeperCluster& cluster);

  std::string statefulSet(const std::string& pool) const;
  std::string pod(const std::string& pool, int ordinal) const;
  std::string headlessService() const { return cluster + "-headless"; }
  std::string clientService() const { return cluster + "-client"; }
  std::string configMap() const { return cluster + "-config"; }
  std::string podDisruptionBudget() const { return cluster + "-pdb"; }
  // DNS domain of the members: <cluster>-headless.<ns>.svc.<domain>
  std::string peerDomain() const;
  // Stable DNS name of one member: <pod>.<peerDomain>
  std::string host(const std::string& pod) const { return pod + "." + peerDomain(); }
};

namespace labels {
inline constexpr std::string_view kName = "app.kubernetes.io/name";
inline constexpr std::string_view kInstance = "app.kubernetes.io/instance";
inline constexpr std::string_view kComponent = "app.kubernetes.io/component";
inline constexpr std::string_view kManagedBy = "app.kubernetes.io/managed-by";
inline constexpr std::string_view kVersion = "app.kubernetes.io/version";
inline constexpr std::string_view kPool = "zkop.io/pool";
}  // namespace labels

// Labels that select every member pod of the cluster (Services, PDB, status.selector).
Json selectorLabels(const std::string& cluster);
// selectorLabels plus the pool: a StatefulSet's selector.
Json poolSelectorLabels(const std::string& cluster, const std::string& pool);
// Labels on every object the cluster owns.
Json commonLabels(const std::string& cluster);
// status.selector: selectorLabels as a label selector string.
std::string selectorString(const std::string& cluster);

// The owner reference every rendered object carries (controller, blockOwnerDeletion).
Json ownerReference(const api::ZookeeperCluster& cluster);

}  // namespace zkop::render
