#include "e2e/sandbox/api/openapi.h"

#include <cstdio>
#include <functional>

namespace zkop::sandbox {

using nlohmann::json;

namespace {

constexpr const char* kObjectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

std::string reversed_domain(const std::string& group) {
  std::string out;
  std::size_t end = group.size();
  while (true) {
    const std::size_t dot = group.rfind('.', end == 0 ? 0 : end - 1);
    const std::size_t start = dot == std::string::npos ? 0 : dot + 1;
    out += (out.empty() ? "" : ".") + group.substr(start, end - start);
    if (dot == std::string::npos) break;
    end = dot;
  }
  return out;
}

bool builtin_group(const std::string& group) {
  return group.empty() || group.find('.') == std::string::npos || group.ends_with(".k8s.io");
}

json gvk(const ResourceType& t) {
  return {{"group", t.group}, {"version", t.version}, {"kind", t.kind}};
}

json object_meta_schema() {
  const json str = {{"type", "string"}};
  const json map = {{"type", "object"}, {"additionalProperties", str}};
  return {
      {"type", "object"},
      {"description",
       "ObjectMeta is metadata that all persisted resources must have, which includes all "
       "objects users must create."},
      {"properties",
       {{"name", {{"type", "string"}, {"description", "Name must be unique within a namespace."}}},
        {"generateName", str},
        {"namespace", str},
        {"uid", str},
        {"resourceVersion", str},
        {"generation", {{"type", "integer"}, {"format", "int64"}}},
        {"creationTimestamp", {{"type", "string"}, {"format", "date-time"}}},
        {"deletionTimestamp", {{"type", "string"}, {"format", "date-time"}}},
        {"deletionGracePeriodSeconds", {{"type", "integer"}, {"format", "int64"}}},
        {"labels", map},
        {"annotations", map},
        {"finalizers", {{"type", "array"}, {"items", str}}},
        {"ownerReferences",
         {{"type", "array"},
          {"items", {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}}}}}}}};
}

json kind_schema(const ResourceType& t, const std::string& ref_prefix) {
  json schema;
  if (t.schema.is_object()) {
    schema = t.schema;
  } else {
    const json open = {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
    schema = {{"type", "object"},
              {"description", t.kind + " (stored by the zkop sandbox; fields are not described)."},
              {"properties", {{"spec", open}, {"status", open}}}};
  }
  schema["properties"]["apiVersion"] = {
      {"type", "string"},
      {"description",
       "APIVersion defines the versioned schema of this representation of an object."}};
  schema["properties"]["kind"] = {
      {"type", "string"},
      {"description",
       "Kind is a string value representing the REST resource this object represents."}};
  schema["properties"]["metadata"] = {{"$ref", ref_prefix + kObjectMeta}};
  schema["type"] = "object";
  schema["x-kubernetes-group-version-kind"] = json::array({gvk(t)});
  return schema;
}

json operation(const ResourceType& t, const std::string& action, const json& op_gvk, bool writes,
               const std::string& ref) {
  json params = json::array();
  if (writes) {
    params.push_back({{"name", "dryRun"},
                      {"in", "query"},
                      {"schema", {{"type", "string"}, {"uniqueItems", true}}}});
    params.push_back({{"name", "fieldManager"},
                      {"in", "query"},
                      {"schema", {{"type", "string"}, {"uniqueItems", true}}}});
    params.push_back({{"name", "fieldValidation"},
                      {"in", "query"},
                      {"description",
                       "fieldValidation instructs the server on how to handle objects in the "
                       "request containing unknown or duplicate fields."},
                      {"schema", {{"type", "string"}, {"uniqueItems", true}}}});
  }
  return {{"operationId", action + t.kind},
          {"tags", {t.group.empty() ? "core_" + t.version : t.group + "_" + t.version}},
          {"parameters", params},
          {"responses",
           {{"200",
             {{"description", "OK"},
              {"content", {{"application/json", {{"schema", {{"$ref", ref}}}}}}}}}}},
          {"x-kubernetes-action", action},
          {"x-kubernetes-group-version-kind", op_gvk}};
}

std::string base_path(const ResourceType& t) {
  const std::string root =
      t.group.empty() ? "/api/" + t.version : "/apis/" + t.group + "/" + t.version;
  return root + (t.namespaced ? "/namespaces/{namespace}/" : "/") + t.plural;
}

json path_params(bool with_name, bool namespaced) {
  json params = json::array();
  if (with_name) {
    params.push_back({{"name", "name"},
                      {"in", "path"},
                      {"required", true},
                      {"schema", {{"type", "string"}, {"uniqueItems", true}}}});
  }
  if (namespaced) {
    params.push_back({{"name", "namespace"},
                      {"in", "path"},
                      {"required", true},
                      {"schema", {{"type", "string"}, {"uniqueItems", true}}}});
  }
  return params;
}

std::string hash_of(const json& doc) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016zX", std::hash<std::string>{}(doc.dump()));
  return buf;
}

// v3 schemas to Swagger 2.0: refs point at definitions, and the constructs 2.0 lacks go.
void to_v2(json& node) {
  if (node.is_object()) {
    if (node.contains("$ref") && node["$ref"].is_string()) {
      std::string ref = node["$ref"];
      const std::string from = "#/components/schemas/";
      if (ref.starts_with(from)) node["$ref"] = "#/definitions/" + ref.substr(from.size());
    }
    node.erase("nullable");
    node.erase("anyOf");
    node.erase("oneOf");
    node.erase("allOf");
    node.erase("not");
    for (auto& [k, v] : node.items()) to_v2(v);
  } else if (node.is_array()) {
    for (auto& v : node) to_v2(v);
  }
}

}  // namespace

std::string definition_name(const ResourceType& t) {
  if (builtin_group(t.group)) {
    std::string g = t.group.empty() ? "core" : t.group.substr(0, t.group.find('.'));
    return "io.k8s.api." + g + "." + t.version + "." + t.kind;
  }
  return reversed_domain(t.group) + "." + t.version + "." + t.kind;
}

json openapi_v3_root(const ResourceRegistry& registry) {
  json paths = json::object();
  for (const auto& [group, versions] : registry.groups()) {
    for (const auto& v : versions) {
      const std::string key = group.empty() ? "api/" + v : "apis/" + group + "/" + v;
      const auto doc = openapi_v3_document(registry, key);
      paths[key] = {{"serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash_of(*doc)}};
    }
  }
  return {{"paths", paths}};
}

std::optional<json> openapi_v3_document(const ResourceRegistry& registry,
                                        std::string_view gv_path) {
  std::string group, version;
  if (gv_path.starts_with("api/")) {
    version = gv_path.substr(4);
  } else if (gv_path.starts_with("apis/")) {
    const std::string_view rest = gv_path.substr(5);
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    group = rest.substr(0, slash);
    version = rest.substr(slash + 1);
  } else {
    return std::nullopt;
  }
  const auto types = registry.in_group_version(group, version);
  if (types.empty()) return std::nullopt;
  const std::string prefix = "#/components/schemas/";
  json schemas = {{kObjectMeta, object_meta_schema()}};
  json paths = json::object();
  const json scale_gvk = {{"group", "autoscaling"}, {"version", "v1"}, {"kind", "Scale"}};
  for (const ResourceType* t : types) {
    const std::string name = definition_name(*t);
    const std::string ref = prefix + name;
    schemas[name] = kind_schema(*t, prefix);
    schemas[name + "List"] = {
        {"type", "object"},
        {"properties", {{"items", {{"type", "array"}, {"items", {{"$ref", ref}}}}}}},
        {"x-kubernetes-group-version-kind",
         json::array({{{"group", t->group}, {"version", t->version}, {"kind", t->list_kind}}})}};
    const json g = gvk(*t);
    const std::string base = base_path(*t);
    paths[base] = {{"get", operation(*t, "list", g, false, prefix + name + "List")},
                   {"post", operation(*t, "post", g, true, ref)},
                   {"delete", operation(*t, "deletecollection", g, false, ref)},
                   {"parameters", path_params(false, t->namespaced)}};
    paths[base + "/{name}"] = {{"get", operation(*t, "get", g, false, ref)},
                               {"put", operation(*t, "put", g, true, ref)},
                               {"patch", operation(*t, "patch", g, true, ref)},
                               {"delete", operation(*t, "delete", g, false, ref)},
                               {"parameters", path_params(true, t->namespaced)}};
    if (t->status_subresource) {
      paths[base + "/{name}/status"] = {{"get", operation(*t, "get", g, false, ref)},
                                        {"put", operation(*t, "put", g, true, ref)},
                                        {"patch", operation(*t, "patch", g, true, ref)},
                                        {"parameters", path_params(true, t->namespaced)}};
    }
    if (t->scale) {
      paths[base + "/{name}/scale"] = {{"get", operation(*t, "get", scale_gvk, false, ref)},
                                       {"put", operation(*t, "put", scale_gvk, true, ref)},
                                       {"patch", operation(*t, "patch", scale_gvk, true, ref)},
                                       {"parameters", path_params(true, t->namespaced)}};
    }
  }
  return json{{"openapi", "3.0.0"},
              {"info", {{"title", "Kubernetes"}, {"version", "v1.32.0"}}},
              {"paths", paths},
              {"components", {{"schemas", schemas}}}};
}

json openapi_v2_document(const ResourceRegistry& registry) {
  json definitions = {{kObjectMeta, object_meta_schema()}};
  // Custom resources only. Built-in kinds are left out on purpose: kubectl then validates them
  // against nothing and computes their strategic merge patches from its compiled-in types, where
  // these open schemas (without patch merge keys) would make it replace whole lists.
  for (const ResourceType* t : registry.all()) {
    if (!t->custom) continue;
    json schema = kind_schema(*t, "#/definitions/");
    to_v2(schema);
    definitions[definition_name(*t)] = std::move(schema);
  }
  return {{"swagger", "2.0"},
          {"info", {{"title", "Kubernetes"}, {"version", "v1.32.0"}}},
          {"paths", json::object()},
          {"definitions", definitions}};
}

}  // namespace zkop::sandbox
