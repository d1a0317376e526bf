#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace zkop::sandbox {

// The Swagger 2.0 document as the protobuf message `openapi.v2.Document` (gnostic), the only
// form in which kubectl before 1.27 fetches /openapi/v2 (for client-side validation and
// `explain`). Only `swagger`, `info` and `definitions` are encoded; vendor extensions, defaults
// and enums carry their JSON text, which is valid YAML, in `Any.yaml`.
std::string encode_openapi_v2_protobuf(const nlohmann::json& document);

}  // namespace zkop::sandbox
