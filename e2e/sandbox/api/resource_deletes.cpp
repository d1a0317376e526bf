// delete and deletecollection.
#include "e2e/sandbox/api/deletion.h"
#include "e2e/sandbox/api/resource_handler.h"
#include "e2e/sandbox/api/selectors.h"

namespace zkop::sandbox {

using nlohmann::json;

Result<ApiResponse> ResourceHandler::remove(const ResourceType& type, const ResourcePath& path,
                                            const ApiRequest& request) {
  auto options = DeleteOptions::from_request(request);
  if (!options) return std::unexpected(options.error());
  // The namespaces a cluster cannot do without.
  if (type.group.empty() && type.plural == "namespaces" &&
      (path.name == "default" || path.name == "kube-system" || path.name == "kube-public")) {
    return std::unexpected(errors::forbidden(type.group_resource(), path.name,
                                             "this namespace may not be deleted"));
  }
  auto outcome = delete_object(ctx_, type, key_of(type, path), *options);
  if (!outcome) return std::unexpected(outcome.error());
  // 200 with the object either way: gone, or waiting with its deletionTimestamp.
  return respond(type, outcome->object, request, 200);
}

Result<ApiResponse> ResourceHandler::remove_collection(const ResourceType& type,
                                                       const ResourcePath& path,
                                                       const ApiRequest& request) {
  auto options = DeleteOptions::from_request(request);
  if (!options) return std::unexpected(options.error());
  auto labels = LabelSelector::parse(request.param("labelSelector"));
  if (!labels) return std::unexpected(labels.error());
  auto fields = FieldSelector::parse(request.param("fieldSelector"));
  if (!fields) return std::unexpected(fields.error());
  std::vector<ObjectKey> doomed;
  for (const auto& [key, object] : ctx_.store().list(type.storage_key(), path.ns)) {
    const json& m = object->value("metadata", json::object());
    if (labels->matches(m.value("labels", json::object())) && fields->matches(*object)) {
      doomed.push_back(key);
    }
  }
  std::vector<json> deleted;
  for (const ObjectKey& key : doomed) {
    auto outcome = delete_object(ctx_, type, key, *options);
    if (outcome) deleted.push_back(outcome->object);
  }
  auto how = negotiate(request.accept, request.param("includeObject"));
  if (!how) return std::unexpected(how.error());
  json list_meta = {{"resourceVersion", std::to_string(ctx_.store().resource_version())}};
  return ApiResponse{200,
                     "application/json",
                     render_list(type, deleted, list_meta, *how, ctx_.clock().now()).dump(),
                     {}};
}

}  // namespace zkop::sandbox
