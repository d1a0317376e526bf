#pragma once

// How the sandbox's controllers and node agent reach the API server: as kube-controller-manager
// and the kubelet do, over the server's HTTPS endpoint with a kubeconfig, so everything they
// do goes through the same wire protocol (and the same faults) as kubectl and the operator.

#include <filesystem>
#include <memory>
#include <string>

#include "operator/runtime/client.h"
#include "operator/runtime/http_transport.h"

namespace zkop::sandbox {

struct ApiConnection {
  // The transport is kept beside the client for the few requests the client does not model
  // (a DELETE with gracePeriodSeconds, which the kubelet needs).
  std::shared_ptr<runtime::HttpTransport> transport;
  std::shared_ptr<runtime::Client> client;
};

// Loads exactly `kubeconfig` (no $KUBECONFIG merging) and builds the cpprestsdk transport.
runtime::Result<ApiConnection> connectWithKubeconfig(const std::filesystem::path& kubeconfig,
                                                     const std::string& userAgent);

}  // namespace zkop::sandbox
