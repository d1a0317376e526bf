#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/api_context.h"
#include "e2e/sandbox/api/api_error.h"
#include "e2e/sandbox/api/resource_type.h"

namespace zkop::sandbox {

// What a write request asked of validation (the fieldValidation query parameter).
enum class FieldValidation { Ignore, Warn, Strict };
FieldValidation parse_field_validation(std::string_view text);

// The server-owned parts of a write, in one place: identity and timestamps on create, what a
// client may not change on update, status/spec separation for the status subresource,
// metadata.generation, kind-specific defaults and a custom resource's schema (prune, default,
// validate). `warnings` collects what goes back in Warning headers.
Result<void> admit_create(ApiContext& ctx, const ResourceType& type, nlohmann::json& object,
                          FieldValidation validation, std::vector<std::string>& warnings);
Result<void> admit_update(ApiContext& ctx, const ResourceType& type, const nlohmann::json& old,
                          nlohmann::json& object, std::string_view subresource,
                          FieldValidation validation, std::vector<std::string>& warnings);

}  // namespace zkop::sandbox
