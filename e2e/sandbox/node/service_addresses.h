#pragma once

// Which pod IPs a Service name resolves to in the sandbox (there is no kube-proxy, so even a
// ClusterIP Service resolves to its pods, like a headless one): the pods of the Service's
// namespace that its selector matches, that have an IP, and that are ready and not
// terminating — or all of them with an IP when the Service publishes not-ready addresses
// (what a StatefulSet's headless Service usually asks for, so members find each other before
// they are ready). A Service without a selector has no pods (its Endpoints are managed by
// hand). Pure.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace zkop::sandbox::node {

struct PodAddress {
  std::string ns;
  nlohmann::json labels;  // metadata.labels
  std::string ip;         // empty: not running
  bool ready = false;
  bool terminating = false;
};

// Sorted, without duplicates.
std::vector<std::string> serviceAddresses(const nlohmann::json& service,
                                          const std::vector<PodAddress>& pods);

}  // namespace zkop::sandbox::node
