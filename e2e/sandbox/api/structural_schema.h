#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/api_error.h"

namespace zkop::sandbox {

// What a CRD's structural schema does to a custom resource on the way into storage, in the
// order a real server does it: prune unknown fields, apply defaults, validate.

// Removes fields the schema does not declare (unless x-kubernetes-preserve-unknown-fields)
// and returns their paths ("spec.foo") so that fieldValidation=Strict can refuse them.
// apiVersion, kind and metadata are kept at the root and in embedded resources.
std::vector<std::string> prune_unknown_fields(nlohmann::json& object, const nlohmann::json& schema);

// Fills in `default` values of absent properties, recursively.
void apply_defaults(nlohmann::json& object, const nlohmann::json& schema);

// Type, enum, required, bounds and length checks, with the messages of a real server.
std::vector<FieldCause> validate_against_schema(const nlohmann::json& object,
                                                const nlohmann::json& schema);

}  // namespace zkop::sandbox
