#include "e2e/sandbox/node/sandbox_agents.h"

#include "e2e/controllers/api_connection.h"
#include "e2e/controllers/claim_binder.h"
#include "e2e/controllers/statefulset_controller.h"
#include "e2e/sandbox/node/node_agent.h"

namespace zkop::sandbox {

kubelet::Result<std::unique_ptr<SandboxAgents>> SandboxAgents::start(const Config& config) {
  std::unique_ptr<SandboxAgents> agents(new SandboxAgents());
  if (config.controllers) {
    auto api = connectWithKubeconfig(config.kubeconfig, "zkop-sandbox/controller-manager");
    if (!api) return kubelet::specError("controllers: connect", api.error().describe());
    agents->binder_ = std::make_unique<ClaimBinder>(api->client);
    agents->binder_->start();
    agents->statefulSets_ = std::make_unique<StatefulSetController>(api->client);
    agents->statefulSets_->start();
  }
  if (config.node) {
    auto api = connectWithKubeconfig(config.kubeconfig, "zkop-sandbox/kubelet");
    if (!api) return kubelet::specError("kubelet: connect", api.error().describe());
    agents->node_ = std::make_unique<node::NodeAgent>(
        *api, node::NodeAgentConfig{}
                  .withDir(config.stateDir / "node")
                  .withAddressBlockName(config.stateDir.string()));
    if (auto r = agents->node_->start(); !r) return std::unexpected(r.error());
  }
  return agents;
}

SandboxAgents::~SandboxAgents() {
  // The kubelet first: its pods die before the controllers could react to anything.
  node_.reset();
  statefulSets_.reset();
  binder_.reset();
}

}  // namespace zkop::sandbox
