#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/api_error.h"
#include "e2e/sandbox/api/resource_type.h"
#include "e2e/sandbox/api/table.h"

namespace zkop::sandbox {

// The representation a client asked for in its Accept header.
enum class Rendering { Object, Table, PartialMetadata };

struct Negotiated {
  Rendering rendering = Rendering::Object;
  IncludeObject include = IncludeObject::Metadata;
};

// Fails with 406 when only non-JSON encodings (protobuf, CBOR) are acceptable.
Result<Negotiated> negotiate(std::string_view accept, std::string_view include_object);

// The object as served at `type`'s version (storage is shared across versions).
nlohmann::json served_object(const ResourceType& type, nlohmann::json object);

// One object, or a list of them with `list_metadata`, in the negotiated representation.
nlohmann::json render_object(const ResourceType& type, const nlohmann::json& object,
                             const Negotiated& how, std::chrono::system_clock::time_point now);
nlohmann::json render_list(const ResourceType& type, const std::vector<nlohmann::json>& objects,
                           const nlohmann::json& list_metadata, const Negotiated& how,
                           std::chrono::system_clock::time_point now);

// Small accessors for metadata fields, which every verb touches.
std::string meta_string(const nlohmann::json& object, const char* field);
nlohmann::json& meta(nlohmann::json& object);

}  // namespace zkop::sandbox
