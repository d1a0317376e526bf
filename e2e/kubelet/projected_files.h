#pragma once

// Writes a ConfigMap's, Secret's or downwardAPI volume's files into a host directory the
// way the kubelet's atomic writer does, so that an update is seen by a running pod all at
// once and the bind mount stays valid:
//   <dir>/..<generation>/<key>   the files of one version
//   <dir>/..data -> ..<generation>   swapped by rename (atomic)
//   <dir>/<key>  -> ..data/<key>     stable names for the container
// As in Kubernetes, a subPath mount of such a volume does not see updates.
//
// Not thread-safe for one directory: one writer per volume.

#include <filesystem>
#include <map>
#include <string>

#include "e2e/kubelet/kubelet_error.h"

namespace zkop::sandbox::kubelet {

// `files`: relative path → content (keys may contain '/', as `items[].path` can).
// `mode`: the volume's defaultMode (e.g. 0644; the operator's ConfigMap uses 0755).
Result<void> writeProjectedFiles(const std::filesystem::path& dir,
                                 const std::map<std::string, std::string>& files,
                                 unsigned mode = 0644);

}  // namespace zkop::sandbox::kubelet
