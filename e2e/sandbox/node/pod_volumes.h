#pragma once

// A pod's volumes on the sandbox node, prepared the way the kubelet's volume manager does
// before the containers start, and kept current while the pod runs:
//  - configMap, secret, downwardAPI and projected volumes: their files written with the atomic
//    writer (writeProjectedFiles) under <pod dir>/volumes/<name>; rewritten when the
//    ConfigMap/Secret/pod fields change, so a running pod sees updates (not through subPath);
//  - emptyDir: a fresh directory under <pod dir>/volumes/<name>, gone with the pod;
//  - persistentVolumeClaim: <claims dir>/<namespace>/<claim name>, which outlives pods (the
//    claim's "disk"); a pod waits while its claim does not exist.
// Other kinds (hostPath, ...) are refused: the sandbox writes nothing outside its state dir.
//
// Not thread-safe: one PodVolumes per pod, used by the one worker that syncs the pod.

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "e2e/kubelet/env_resolver.h"
#include "e2e/kubelet/kubelet_error.h"
#include "e2e/kubelet/pod_root.h"

namespace zkop::sandbox::node {

using Json = nlohmann::json;
using kubelet::Result;

// The directory backing claim `claim` of namespace `ns`.
std::filesystem::path claimDirectory(const std::filesystem::path& claimsRoot, const std::string& ns,
                                     const std::string& claim);

// The files of a configMap, secret, downwardAPI or projected volume (path → content) and their
// mode; nullopt for other kinds. Fails when a non-optional source or key is missing
// (Kubernetes keeps such a pod in ContainerCreating).
struct ProjectedVolume {
  std::map<std::string, std::string> files;
  unsigned mode = 0644;
};
Result<std::optional<ProjectedVolume>> projectedVolume(const Json& pod, const Json& volume,
                                                       const kubelet::DataLookup& lookup,
                                                       const kubelet::RuntimeFields& fields);

class PodVolumes {
 public:
  // True when the claim exists (and is not being deleted).
  using ClaimExists = std::function<bool(const std::string& claim)>;

  PodVolumes(std::filesystem::path podVolumesDir, std::filesystem::path claimsRoot)
      : dir_(std::move(podVolumesDir)), claimsRoot_(std::move(claimsRoot)) {}

  // Prepares every volume of `pod` (creating directories once, rewriting projected files whose
  // content changed) and returns them by name, as PodRunner takes them.
  Result<kubelet::VolumeMap> sync(const Json& pod, const kubelet::DataLookup& lookup,
                                  const kubelet::RuntimeFields& fields,
                                  const ClaimExists& claimExists);

  // Removes the pod's own volumes (emptyDir and projected files); claims stay.
  void remove();

 private:
  std::filesystem::path dir_;
  std::filesystem::path claimsRoot_;
  std::map<std::string, ProjectedVolume> written_;  // by volume name: what is on disk
};

}  // namespace zkop::sandbox::node
