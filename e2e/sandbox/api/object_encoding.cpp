#include "e2e/sandbox/api/object_encoding.h"

namespace zkop::sandbox {

using nlohmann::json;

Result<Negotiated> negotiate(std::string_view accept, std::string_view include_object) {
  Negotiated how;
  how.include = parse_include_object(include_object);
  if (accept.find("as=Table") != std::string_view::npos) {
    how.rendering = Rendering::Table;
  } else if (accept.find("as=PartialObjectMetadata") != std::string_view::npos) {
    how.rendering = Rendering::PartialMetadata;
  }
  if (!accept.empty() && accept.find("json") == std::string_view::npos &&
      accept.find("*/*") == std::string_view::npos) {
    return std::unexpected(errors::not_acceptable(
        "only the following media types are accepted: application/json, application/yaml"));
  }
  return how;
}

json served_object(const ResourceType& type, json object) {
  object["apiVersion"] = type.api_version();
  object["kind"] = type.kind;
  return object;
}

json render_object(const ResourceType& type, const json& object, const Negotiated& how,
                   std::chrono::system_clock::time_point now) {
  switch (how.rendering) {
    case Rendering::Table:
      return build_table(type, {served_object(type, object)}, now, how.include,
                         {{"resourceVersion", meta_string(object, "resourceVersion")}});
    case Rendering::PartialMetadata:
      return partial_object_metadata(object);
    case Rendering::Object:
      break;
  }
  return served_object(type, object);
}

json render_list(const ResourceType& type, const std::vector<json>& objects,
                 const json& list_metadata, const Negotiated& how,
                 std::chrono::system_clock::time_point now) {
  if (how.rendering == Rendering::Table) {
    std::vector<json> served;
    served.reserve(objects.size());
    for (const json& o : objects) served.push_back(served_object(type, o));
    return build_table(type, served, now, how.include, list_metadata);
  }
  json items = json::array();
  for (const json& o : objects) {
    items.push_back(how.rendering == Rendering::PartialMetadata ? partial_object_metadata(o)
                                                                : served_object(type, o));
  }
  if (how.rendering == Rendering::PartialMetadata) {
    return {{"kind", "PartialObjectMetadataList"},
            {"apiVersion", "meta.k8s.io/v1"},
            {"metadata", list_metadata},
            {"items", std::move(items)}};
  }
  return {{"kind", type.list_kind},
          {"apiVersion", type.api_version()},
          {"metadata", list_metadata},
          {"items", std::move(items)}};
}

std::string meta_string(const json& object, const char* field) {
  if (!object.is_object() || !object.contains("metadata")) return {};
  const json& m = object.at("metadata");
  if (!m.is_object() || !m.contains(field)) return {};
  const json& f = m.at(field);
  return f.is_string() ? f.get_ref<const std::string&>() : std::string();
}

json& meta(json& object) {
  json& m = object["metadata"];
  if (!m.is_object()) m = json::object();
  return m;
}

}  // namespace zkop::sandbox
