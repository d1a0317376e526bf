#include "e2e/sandbox/node/service_addresses.h"

#include <algorithm>

namespace zkop::sandbox::node {

std::vector<std::string> serviceAddresses(const nlohmann::json& service,
                                          const std::vector<PodAddress>& pods) {
  std::vector<std::string> ips;
  const auto& spec = service.value("spec", nlohmann::json::object());
  const auto selector = spec.value("selector", nlohmann::json::object());
  if (!selector.is_object() || selector.empty()) return ips;
  const auto ns = service["metadata"].value("namespace", "default");
  const bool notReadyToo = spec.value("publishNotReadyAddresses", false);
  for (const auto& pod : pods) {
    if (pod.ns != ns || pod.ip.empty()) continue;
    if (!notReadyToo && (!pod.ready || pod.terminating)) continue;
    bool matches = pod.labels.is_object();
    for (const auto& [key, value] : selector.items()) {
      if (!matches) break;
      matches = pod.labels.contains(key) && pod.labels[key] == value;
    }
    if (matches) ips.push_back(pod.ip);
  }
  std::sort(ips.begin(), ips.end());
  ips.erase(std::unique(ips.begin(), ips.end()), ips.end());
  return ips;
}

}  // namespace zkop::sandbox::node
