#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/resource_registry.h"

namespace zkop::sandbox {

// Legacy discovery documents. Aggregated discovery is not offered: a client asking for
// APIGroupDiscoveryList first gets plain application/json and falls back, as it does against a
// server without aggregated discovery.
nlohmann::json version_document();
nlohmann::json core_versions_document(std::string_view server_address);
nlohmann::json group_list_document(const ResourceRegistry& registry);
// The APIResourceList of one group/version (nullopt when not served).
std::optional<nlohmann::json> resource_list_document(const ResourceRegistry& registry,
                                                     std::string_view group,
                                                     std::string_view version);
// The APIGroup of /apis/<group> (nullopt when not served).
std::optional<nlohmann::json> group_document(const ResourceRegistry& registry,
                                             std::string_view group);

}  // namespace zkop::sandbox
