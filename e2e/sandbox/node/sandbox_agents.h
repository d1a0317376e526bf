#pragma once

// What `zkop-sandbox up` runs beside its API server once it listens: the claim binder and the
// StatefulSet controller (kube-controller-manager's part) and the node agent (the kubelet),
// each a client of the API over HTTPS with the sandbox's own kubeconfig. Destroying it stops
// them all; every pod process is killed.

#include <filesystem>
#include <memory>

#include "e2e/kubelet/kubelet_error.h"

namespace zkop::sandbox {

class ClaimBinder;
class StatefulSetController;
namespace node {
class NodeAgent;
}

class SandboxAgents {
 public:
  struct Config {
    std::filesystem::path stateDir;
    std::filesystem::path kubeconfig;
    bool controllers = true;
    bool node = true;
  };

  // Connects and starts what the config enables.
  static kubelet::Result<std::unique_ptr<SandboxAgents>> start(const Config& config);
  ~SandboxAgents();
  SandboxAgents(const SandboxAgents&) = delete;
  SandboxAgents& operator=(const SandboxAgents&) = delete;

 private:
  SandboxAgents() = default;

  std::unique_ptr<ClaimBinder> binder_;
  std::unique_ptr<StatefulSetController> statefulSets_;
  std::unique_ptr<node::NodeAgent> node_;
};

}  // namespace zkop::sandbox
