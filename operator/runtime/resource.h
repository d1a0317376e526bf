#pragma once

#include <string>
#include <string_view>

namespace zkop::runtime {

// Enough about a resource type to build its URLs (what a RESTMapper would answer for it).
struct ResourceDescriptor {
  std::string group;    // "" for the core group
  std::string version;  // "v1"
  std::string plural;   // "statefulsets"
  std::string kind;     // "StatefulSet"
  bool namespaced = true;

  // "v1" or "apps/v1", as written in an object's apiVersion.
  std::string apiVersion() const { return group.empty() ? version : group + "/" + version; }

  // /api/v1 or /apis/<group>/<version>
  std::string groupVersionPath() const {
    return group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  // The collection: across all namespaces when `ns` is empty (or the type is cluster-scoped).
  std::string collectionPath(std::string_view ns) const {
    std::string path = groupVersionPath();
    if (namespaced && !ns.empty()) path += "/namespaces/" + std::string(ns);
    return path + "/" + plural;
  }

  // One object, optionally a subresource of it ("status", "scale").
  std::string objectPath(std::string_view ns, std::string_view name,
                         std::string_view subresource = {}) const {
    std::string path = collectionPath(ns) + "/" + std::string(name);
    if (!subresource.empty()) path += "/" + std::string(subresource);
    return path;
  }

  bool operator==(const ResourceDescriptor&) const = default;
};

// The kinds the operator touches.
namespace resources {
inline const ResourceDescriptor kZookeeperCluster{"zkop.io", "v1alpha1", "zookeeperclusters",
                                                  "ZookeeperCluster", true};
inline const ResourceDescriptor kStatefulSet{"apps", "v1", "statefulsets", "StatefulSet", true};
inline const ResourceDescriptor kConfigMap{"", "v1", "configmaps", "ConfigMap", true};
inline const ResourceDescriptor kService{"", "v1", "services", "Service", true};
inline const ResourceDescriptor kPod{"", "v1", "pods", "Pod", true};
inline const ResourceDescriptor kPersistentVolumeClaim{"", "v1", "persistentvolumeclaims",
                                                       "PersistentVolumeClaim", true};
inline const ResourceDescriptor kSecret{"", "v1", "secrets", "Secret", true};
inline const ResourceDescriptor kEvent{"", "v1", "events", "Event", true};
inline const ResourceDescriptor kEventV1{"events.k8s.io", "v1", "events", "Event", true};
inline const ResourceDescriptor kPodDisruptionBudget{"policy", "v1", "poddisruptionbudgets",
                                                     "PodDisruptionBudget", true};
inline const ResourceDescriptor kLease{"coordination.k8s.io", "v1", "leases", "Lease", true};
inline const ResourceDescriptor kNamespace{"", "v1", "namespaces", "Namespace", false};
}  // namespace resources

}  // namespace zkop::runtime
