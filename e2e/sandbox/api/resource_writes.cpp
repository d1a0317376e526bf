// create, update (PUT) and patch.
#include "e2e/sandbox/api/admission.h"
#include "e2e/sandbox/api/resource_handler.h"
#include "e2e/sandbox/api/strategic_merge.h"

namespace zkop::sandbox {

using nlohmann::json;

namespace {

constexpr std::string_view kApplyPatch = "application/apply-patch+yaml";

Result<json> parse_body(const ApiRequest& request) {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    return std::unexpected(errors::bad_request("the request body is not valid JSON"));
  }
  if (!body.is_object()) {
    return std::unexpected(errors::bad_request("the request body must be a JSON object"));
  }
  return body;
}

Result<void> check_type(const ResourceType& type, const json& body) {
  const std::string api_version = body.value("apiVersion", "");
  const std::string kind = body.value("kind", "");
  if (!api_version.empty() && api_version != type.api_version()) {
    return std::unexpected(errors::bad_request("the API version in the data (" + api_version +
                                               ") does not match the expected API version (" +
                                               type.api_version() + ")"));
  }
  if (!kind.empty() && kind != type.kind) {
    return std::unexpected(errors::bad_request("the kind in the data (" + kind +
                                               ") does not match the expected kind (" + type.kind +
                                               ")"));
  }
  return {};
}

bool same_ignoring_version(json a, json b) {
  a["metadata"].erase("resourceVersion");
  b["metadata"].erase("resourceVersion");
  return a == b;
}

}  // namespace

Result<ApiResponse> ResourceHandler::create(const ResourceType& type, const ResourcePath& path,
                                            const ApiRequest& request) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  json object = std::move(*body);
  if (auto ok = check_type(type, object); !ok) return std::unexpected(ok.error());
  object = served_object(type, std::move(object));
  json& m = meta(object);
  if (type.namespaced) {
    const std::string in_body = m.value("namespace", "");
    if (!in_body.empty() && in_body != path.ns) {
      return std::unexpected(errors::bad_request(
          "the namespace of the provided object does not match the namespace sent on the request"));
    }
    m["namespace"] = path.ns;
    const json* ns = ctx_.store().get({kNamespaceStorageKey, "", path.ns});
    if (ns == nullptr) return std::unexpected(errors::not_found({"", "namespaces"}, path.ns));
    if (meta_string(*ns, "deletionTimestamp") != "") {
      return std::unexpected(errors::forbidden(type.group_resource(), m.value("name", ""),
                                               "unable to create new content in namespace " +
                                                   path.ns + " because it is being terminated"));
    }
  } else {
    m.erase("namespace");
  }
  std::vector<std::string> warnings;
  if (auto ok = admit_create(ctx_, type, object,
                             parse_field_validation(request.param("fieldValidation")), warnings);
      !ok) {
    return std::unexpected(ok.error());
  }
  const ObjectKey key{type.storage_key(), type.namespaced ? path.ns : std::string(),
                      meta_string(object, "name")};
  if (ctx_.store().get(key) != nullptr) {
    return std::unexpected(errors::already_exists(type.group_resource(), key.name));
  }
  if (request.has("dryRun")) return respond(type, object, request, 201, warnings);
  return respond(type, ctx_.create(key, std::move(object)), request, 201, warnings);
}

Result<json> ResourceHandler::write_update(const ResourceType& type, const ObjectKey& key,
                                           json updated, const std::string& subresource,
                                           const ApiRequest& request,
                                           std::vector<std::string>& warnings) {
  const json* current = ctx_.store().get(key);
  if (current == nullptr)
    return std::unexpected(errors::not_found(type.group_resource(), key.name));
  const json old = *current;
  const std::string rv = meta_string(updated, "resourceVersion");
  if (!rv.empty() && rv != meta_string(old, "resourceVersion")) {
    return std::unexpected(errors::stale_update(type.group_resource(), key.name));
  }
  updated = served_object(type, std::move(updated));
  if (type.namespaced) meta(updated)["namespace"] = key.ns;
  if (auto ok = admit_update(ctx_, type, old, updated, subresource,
                             parse_field_validation(request.param("fieldValidation")), warnings);
      !ok) {
    return std::unexpected(ok.error());
  }
  // A write that changes nothing does not advance the resourceVersion (no event either).
  if (same_ignoring_version(updated, old) || request.has("dryRun")) return updated;
  return ctx_.update(key, std::move(updated));
}

Result<ApiResponse> ResourceHandler::update(const ResourceType& type, const ResourcePath& path,
                                            const ApiRequest& request) {
  auto body = parse_body(request);
  if (!body) return std::unexpected(body.error());
  const ObjectKey key = key_of(type, path);
  const json* current = ctx_.store().get(key);
  if (current == nullptr)
    return std::unexpected(errors::not_found(type.group_resource(), path.name));
  json updated = std::move(*body);
  std::vector<std::string> warnings;
  if (path.subresource == "scale") {
    auto scaled = apply_scale(type, *current, updated);
    if (!scaled) return std::unexpected(scaled.error());
    auto stored = write_update(type, key, std::move(*scaled), "", request, warnings);
    if (!stored) return std::unexpected(stored.error());
    return ApiResponse{200, "application/json", scale_of(type, *stored).dump(), {}};
  }
  if (auto ok = check_type(type, updated); !ok) return std::unexpected(ok.error());
  const std::string name = meta_string(updated, "name");
  if (!name.empty() && name != path.name) {
    return std::unexpected(errors::bad_request("the name of the object (" + name +
                                               ") does not match the name on the URL (" +
                                               path.name + ")"));
  }
  if (meta_string(updated, "resourceVersion").empty() && !type.allow_unconditional_update) {
    return std::unexpected(
        errors::invalid(type.kind, type.group, path.name,
                        {{"FieldValueInvalid", "metadata.resourceVersion",
                          "Invalid value: 0x0: must be specified for an update"}}));
  }
  auto stored = write_update(type, key, std::move(updated), path.subresource, request, warnings);
  if (!stored) return std::unexpected(stored.error());
  return respond(type, *stored, request, 200, warnings);
}

Result<ApiResponse> ResourceHandler::patch(const ResourceType& type, const ResourcePath& path,
                                           const ApiRequest& request) {
  const ObjectKey key = key_of(type, path);
  const std::string content_type = request.content_type.substr(0, request.content_type.find(';'));
  const json patch_body = json::parse(request.body, nullptr, false);
  if (patch_body.is_discarded()) {
    return std::unexpected(errors::bad_request(
        content_type == kApplyPatch ? "server-side apply bodies must be JSON (kubectl sends JSON)"
                                    : "the patch is not valid JSON"));
  }
  const json* current = ctx_.store().get(key);
  if (current == nullptr) {
    // Server-side apply creates what does not exist yet.
    if (content_type == kApplyPatch && path.subresource.empty()) {
      ApiRequest as_create = request;
      json object = patch_body;
      meta(object)["name"] = path.name;
      as_create.body = object.dump();
      return create(type, path, as_create);
    }
    return std::unexpected(errors::not_found(type.group_resource(), path.name));
  }
  json base =
      path.subresource == "scale" ? scale_of(type, *current) : served_object(type, *current);
  json patched;
  if (content_type == "application/merge-patch+json") {
    patched = base;
    patched.merge_patch(patch_body);
  } else if (content_type == "application/json-patch+json") {
    try {
      patched = base.patch(patch_body);
    } catch (const json::exception& e) {
      return std::unexpected(
          ApiError{422, "Invalid",
                   std::string("the server rejected our request due to an error in our request: ") +
                       e.what(),
                   nullptr});
    }
  } else if (content_type == kApplyPatch && patch_body.is_object()) {
    // Server-side apply without field ownership: the applied configuration is merged into the
    // object (strategically for built-in kinds); fields it no longer names are kept.
    if (type.custom) {
      patched = base;
      patched.merge_patch(patch_body);
    } else {
      auto merged = strategic_merge(base, patch_body);
      if (!merged) return std::unexpected(merged.error());
      patched = std::move(*merged);
    }
  } else if (content_type == "application/strategic-merge-patch+json" && !type.custom) {
    auto merged = strategic_merge(base, patch_body);
    if (!merged) return std::unexpected(merged.error());
    patched = std::move(*merged);
  } else {
    return std::unexpected(errors::unsupported_media_type(
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, "
        "application/apply-patch+yaml" +
        std::string(type.custom ? "" : ", application/strategic-merge-patch+json")));
  }
  std::vector<std::string> warnings;
  if (path.subresource == "scale") {
    auto scaled = apply_scale(type, *current, patched);
    if (!scaled) return std::unexpected(scaled.error());
    auto stored = write_update(type, key, std::move(*scaled), "", request, warnings);
    if (!stored) return std::unexpected(stored.error());
    return ApiResponse{200, "application/json", scale_of(type, *stored).dump(), {}};
  }
  if (!patched.is_object())
    return std::unexpected(errors::bad_request("the patched object is not a JSON object"));
  if (meta_string(patched, "name") != path.name) meta(patched)["name"] = path.name;
  auto stored = write_update(type, key, std::move(patched), path.subresource, request, warnings);
  if (!stored) return std::unexpected(stored.error());
  return respond(type, *stored, request, 200, warnings);
}

}  // namespace zkop::sandbox
