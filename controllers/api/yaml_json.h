#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "controllers/api/json.h"

namespace zkop::api {

// YAML <-> JSON with Kubernetes' reading of YAML: plain scalars resolve to booleans,
// integers, floats and null as YAML 1.2's core schema says; quoted scalars stay strings.
// yaml-cpp parses; this file only maps its nodes onto JSON values.
std::expected<std::vector<Json>, std::string> parseYamlDocuments(std::string_view text);

// Deterministic YAML (keys sorted), multi-line strings as literal blocks, strings that
// would read back as another type quoted. Readable in golden files and in `zkop crd`.
std::string toYaml(const Json& value);
std::string toYamlDocuments(const std::vector<Json>& documents);

}  // namespace zkop::api
