// pods/log: the container logs the node agent keeps under the state dir, served as a real
// API server proxies them from the kubelet, so that `kubectl logs [--previous]` works.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "e2e/sandbox/api/api_error.h"
#include "e2e/sandbox/api/resource_handler.h"

namespace zkop::sandbox {

Result<ApiResponse> ResourceHandler::pod_log(const ResourceType& type, const ResourcePath& path,
                                             const ApiRequest& request) {
  const nlohmann::json* pod = ctx_.store().get(key_of(type, path));
  if (pod == nullptr) return std::unexpected(errors::not_found(type.group_resource(), path.name));
  std::string container = request.param("container");
  const auto& containers = (*pod)["spec"].value("containers", nlohmann::json::array());
  if (container.empty()) {
    if (containers.size() != 1) {
      return std::unexpected(
          errors::bad_request("a container name must be specified for pod " + path.name));
    }
    container = containers[0].value("name", "");
  }
  const bool previous = request.param("previous") == "true";
  const auto file = std::filesystem::path(ctx_.options().log_dir) / path.ns / path.name /
                    (container + (previous ? ".previous.log" : ".log"));
  std::ifstream in(file);
  if (ctx_.options().log_dir.empty() || !in) {
    return std::unexpected(errors::bad_request(
        previous
            ? "previous terminated container \"" + container + "\" in pod \"" + path.name +
                  "\" not found"
            : "container \"" + container + "\" in pod \"" + path.name + "\" is waiting to start"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ApiResponse{200, "text/plain", text.str(), {}};
}

}  // namespace zkop::sandbox
