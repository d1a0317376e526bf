#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/resource_registry.h"

namespace zkop::sandbox {

// OpenAPI as kubectl uses it. The v3 group documents declare the `fieldValidation` query
// parameter on write operations, so kubectl leaves validation to the server, and carry each
// kind's schema with x-kubernetes-group-version-kind, so `kubectl explain` finds it. PATCH
// operations declare no strategic-merge request body, so kubectl computes strategic merge
// patches for built-in kinds from its compiled-in types rather than from these thin schemas.

// /openapi/v3: the group/version documents with their hashed URLs.
nlohmann::json openapi_v3_root(const ResourceRegistry& registry);
// /openapi/v3/api/v1 or /openapi/v3/apis/<group>/<version>; `gv_path` is "api/v1" or
// "apis/<group>/<version>".
std::optional<nlohmann::json> openapi_v3_document(const ResourceRegistry& registry,
                                                  std::string_view gv_path);
// /openapi/v2 as JSON (definitions only, no paths).
nlohmann::json openapi_v2_document(const ResourceRegistry& registry);

// The OpenAPI definition name of a kind: io.k8s.api.apps.v1.StatefulSet, io.zkop.v1alpha1.X.
std::string definition_name(const ResourceType& type);

}  // namespace zkop::sandbox
