#pragma once

// The parts of a securityContext the sandbox honours: runAsUser, runAsGroup,
// runAsNonRoot (container-level over pod-level) and the pod's fsGroup, which the kubelet
// applies to writable volumes (group ownership, group rw, setgid directories) so that a
// non-root container can write its emptyDir and PVC. Everything else (capabilities,
// seccomp, SELinux) is ignored.

#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "e2e/kubelet/container_process.h"
#include "e2e/kubelet/kubelet_error.h"
#include "e2e/kubelet/pod_root.h"

namespace zkop::sandbox::kubelet {

// The user the container runs as; nullopt: root. runAsNonRoot with uid 0 (or no uid, as
// there is no image user here) is an error (Kubernetes: CreateContainerConfigError).
Result<std::optional<Credentials>> containerCredentials(const nlohmann::json& podSpec,
                                                        const nlohmann::json& container);

std::optional<gid_t> podFsGroup(const nlohmann::json& podSpec);

// Gives group `gid` read/write on every writable volume, recursively (files and dirs under
// the state dir only: volumes are the caller's directories there).
Result<void> applyFsGroup(const VolumeMap& volumes, gid_t gid);

}  // namespace zkop::sandbox::kubelet
