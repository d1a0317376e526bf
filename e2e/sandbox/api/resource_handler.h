#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/api_context.h"
#include "e2e/sandbox/api/api_error.h"
#include "e2e/sandbox/api/http_types.h"
#include "e2e/sandbox/api/object_encoding.h"
#include "e2e/sandbox/api/resource_path.h"

namespace zkop::sandbox {

// The verbs on one resource URL: get, list, watch, create, update, patch, delete and
// deletecollection, on the main resource and its /status and /scale subresources.
class ResourceHandler {
 public:
  explicit ResourceHandler(ApiContext& ctx) : ctx_(ctx) {}

  // `wrote` is set when the request changed storage (the caller then runs the collectors).
  Result<ApiResult> handle(const ApiRequest& request, const ResourcePath& path, bool& wrote);

  // The Kubernetes verb of a request (for fault injection and logs).
  static std::string verb_of(const ApiRequest& request, const ResourcePath& path);

 private:
  // resource_reads.cpp
  Result<ApiResponse> get(const ResourceType& type, const ResourcePath& path,
                          const ApiRequest& request);
  Result<ApiResponse> list(const ResourceType& type, const ResourcePath& path,
                           const ApiRequest& request);
  Result<WatchStream> watch(const ResourceType& type, const ResourcePath& path,
                            const ApiRequest& request);

  // resource_writes.cpp
  Result<ApiResponse> create(const ResourceType& type, const ResourcePath& path,
                             const ApiRequest& request);
  Result<ApiResponse> update(const ResourceType& type, const ResourcePath& path,
                             const ApiRequest& request);
  Result<ApiResponse> patch(const ResourceType& type, const ResourcePath& path,
                            const ApiRequest& request);
  // Stores `updated` in place of the object at `key` after the update rules; shared by PUT
  // and PATCH on the resource and its subresources.
  Result<nlohmann::json> write_update(const ResourceType& type, const ObjectKey& key,
                                      nlohmann::json updated, const std::string& subresource,
                                      const ApiRequest& request,
                                      std::vector<std::string>& warnings);

  // resource_deletes.cpp
  Result<ApiResponse> remove(const ResourceType& type, const ResourcePath& path,
                             const ApiRequest& request);
  Result<ApiResponse> remove_collection(const ResourceType& type, const ResourcePath& path,
                                        const ApiRequest& request);

  ObjectKey key_of(const ResourceType& type, const ResourcePath& path) const;
  // GET pods/NAME/log[?container=C][&previous=true]: the node agent's log of the container.
  Result<ApiResponse> pod_log(const ResourceType& type, const ResourcePath& path,
                              const ApiRequest& request);
  Result<ApiResponse> respond(const ResourceType& type, const nlohmann::json& object,
                              const ApiRequest& request, int status,
                              const std::vector<std::string>& warnings = {});

  ApiContext& ctx_;
};

// The autoscaling/v1 Scale view of an object, and the object with a Scale's replicas written
// back (the /scale subresource).
nlohmann::json scale_of(const ResourceType& type, const nlohmann::json& object);
Result<nlohmann::json> apply_scale(const ResourceType& type, nlohmann::json object,
                                   const nlohmann::json& scale);

}  // namespace zkop::sandbox
