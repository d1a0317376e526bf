#pragma once

// Faults the tests inject that are about storage rather than processes (process faults
// are PodRunner::kill/freeze/thaw).

#include <filesystem>

#include "e2e/kubelet/kubelet_error.h"

namespace zkop::sandbox::kubelet {

// Deletes everything inside a PVC's directory, keeping the directory itself (a running
// pod's bind mount stays valid, as when a disk is wiped under a server).
Result<void> wipeDirectoryContents(const std::filesystem::path& dir);

}  // namespace zkop::sandbox::kubelet
