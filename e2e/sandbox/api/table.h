#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/resource_type.h"

namespace zkop::sandbox {

// How much of each object a Table row carries (the `includeObject` query parameter).
enum class IncludeObject { None, Metadata, Object };

IncludeObject parse_include_object(std::string_view text);

// Evaluates the JSONPath subset printer columns use: `.a.b`, `.a[0]`, `.a[*].b` and
// `.a[?(@.k=="v")].b`. Returns null when the path does not resolve.
nlohmann::json evaluate_json_path(const nlohmann::json& object, std::string_view path);

// A meta.k8s.io/v1 Table of `objects`, with the type's printer columns, for `kubectl get`.
nlohmann::json build_table(const ResourceType& type, const std::vector<nlohmann::json>& objects,
                           std::chrono::system_clock::time_point now, IncludeObject include,
                           const nlohmann::json& list_metadata);

// metav1.PartialObjectMetadata of one object (for `as=PartialObjectMetadata` requests).
nlohmann::json partial_object_metadata(const nlohmann::json& object);

}  // namespace zkop::sandbox
