#include "e2e/sandbox/api/resource_handler.h"

#include "e2e/sandbox/api/selectors.h"
#include "e2e/sandbox/api/table.h"

namespace zkop::sandbox {

using nlohmann::json;

namespace {
bool is_watch(const ApiRequest& request, const ResourcePath& path) {
  const std::string w = request.param("watch");
  return path.legacy_watch || w == "1" || w == "true";
}
}  // namespace

std::string ResourceHandler::verb_of(const ApiRequest& request, const ResourcePath& path) {
  if (request.method == "GET") {
    if (is_watch(request, path)) return "watch";
    return path.name.empty() ? "list" : "get";
  }
  if (request.method == "POST") return "create";
  if (request.method == "PUT") return "update";
  if (request.method == "PATCH") return "patch";
  if (request.method == "DELETE") return path.name.empty() ? "deletecollection" : "delete";
  return request.method;
}

Result<ApiResult> ResourceHandler::handle(const ApiRequest& request, const ResourcePath& path,
                                          bool& wrote) {
  const ResourceType* found = ctx_.registry().find(path.group, path.version, path.resource);
  if (found == nullptr) return std::unexpected(errors::path_not_found());
  // Copied: a CRD write during this request may change what the registry holds.
  const ResourceType type = *found;
  if (path.subresource == "log" && type.group.empty() && path.resource == "pods" &&
      request.method == "GET" && !path.name.empty()) {
    auto log = pod_log(type, path, request);
    if (!log) return std::unexpected(log.error());
    return ApiResult(std::move(*log));
  }
  if (!path.subresource.empty() && !((path.subresource == "status" && type.status_subresource) ||
                                     (path.subresource == "scale" && type.scale))) {
    return std::unexpected(errors::path_not_found());
  }
  if (type.namespaced && path.ns.empty() && !path.name.empty()) {
    return std::unexpected(errors::path_not_found());
  }
  const std::string verb = verb_of(request, path);
  const auto as_result = [](auto r) -> Result<ApiResult> {
    if (!r) return std::unexpected(r.error());
    return ApiResult(std::move(*r));
  };
  if (verb == "watch") return as_result(watch(type, path, request));
  if (verb == "get") return as_result(get(type, path, request));
  if (verb == "list") return as_result(list(type, path, request));
  // Bodies are JSON only. A 415 makes client-go (kubectl create, typed clients) retry in JSON.
  if ((verb == "create" || verb == "update") &&
      request.content_type.find("json") == std::string::npos &&
      request.content_type.find("yaml") == std::string::npos) {
    return std::unexpected(errors::unsupported_media_type(
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json, application/yaml"));
  }
  Result<ApiResponse> response = std::unexpected(errors::method_not_allowed(
      "the server does not allow this method on the requested resource"));
  if (verb == "create" && path.name.empty()) {
    if (!path.subresource.empty()) return std::unexpected(errors::path_not_found());
    response = create(type, path, request);
  } else if (verb == "update" && !path.name.empty()) {
    response = update(type, path, request);
  } else if (verb == "patch" && !path.name.empty()) {
    response = patch(type, path, request);
  } else if (verb == "delete" && path.subresource.empty()) {
    response = remove(type, path, request);
  } else if (verb == "deletecollection") {
    response = remove_collection(type, path, request);
  }
  if (response) wrote = true;
  return as_result(std::move(response));
}

ObjectKey ResourceHandler::key_of(const ResourceType& type, const ResourcePath& path) const {
  return {type.storage_key(), type.namespaced ? path.ns : std::string(), path.name};
}

Result<ApiResponse> ResourceHandler::respond(const ResourceType& type, const json& object,
                                             const ApiRequest& request, int status,
                                             const std::vector<std::string>& warnings) {
  auto how = negotiate(request.accept, request.param("includeObject"));
  if (!how) return std::unexpected(how.error());
  ApiResponse response;
  response.status = status;
  response.body = render_object(type, object, *how, ctx_.clock().now()).dump();
  for (const auto& w : warnings) {
    // RFC 7234 warning text is a quoted string: inner quotes and backslashes are escaped.
    std::string quoted;
    for (char c : w) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    response.headers.emplace_back("Warning", "299 - \"" + quoted + "\"");
  }
  return response;
}

namespace {

json* walk_to(json& object, std::string_view path, bool create) {
  json* node = &object;
  std::size_t start = path.starts_with(".") ? 1 : 0;
  while (start <= path.size()) {
    const std::size_t dot = path.find('.', start);
    const std::string step(path.substr(start, dot - start));
    if (!node->is_object()) {
      if (!create) return nullptr;
      *node = json::object();
    }
    if (!node->contains(step) && !create) return nullptr;
    node = &(*node)[step];
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return node;
}

}  // namespace

json scale_of(const ResourceType& type, const json& object) {
  const ScalePaths paths = type.scale.value_or(ScalePaths{});
  const json spec = evaluate_json_path(object, paths.spec_replicas);
  const json status = evaluate_json_path(object, paths.status_replicas);
  std::string selector;
  if (!paths.label_selector.empty()) {
    const json s = evaluate_json_path(object, paths.label_selector);
    if (s.is_string()) selector = s.get<std::string>();
  } else {
    selector = label_selector_string(evaluate_json_path(object, ".spec.selector"));
  }
  const json& m = object.at("metadata");
  json scale_meta = json::object();
  for (const char* f : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
    if (m.contains(f)) scale_meta[f] = m[f];
  }
  json scale_status = {{"replicas", status.is_number() ? status : json(0)}};
  if (!selector.empty()) scale_status["selector"] = selector;
  return {{"kind", "Scale"},
          {"apiVersion", "autoscaling/v1"},
          {"metadata", scale_meta},
          {"spec", {{"replicas", spec.is_number() ? spec : json(0)}}},
          {"status", scale_status}};
}

Result<json> apply_scale(const ResourceType& type, json object, const json& scale) {
  const json replicas = scale.value("spec", json::object()).value("replicas", json());
  if (!replicas.is_number_integer() || replicas.get<long long>() < 0) {
    return std::unexpected(errors::invalid(
        "Scale", "autoscaling", object["metadata"].value("name", ""),
        {{"FieldValueInvalid", "spec.replicas",
          "Invalid value: " + replicas.dump() + ": must be greater than or equal to 0"}}));
  }
  const ScalePaths paths = type.scale.value_or(ScalePaths{});
  *walk_to(object, paths.spec_replicas, true) = replicas;
  const std::string rv = scale.value("metadata", json::object()).value("resourceVersion", "");
  if (!rv.empty()) object["metadata"]["resourceVersion"] = rv;
  return object;
}

}  // namespace zkop::sandbox
