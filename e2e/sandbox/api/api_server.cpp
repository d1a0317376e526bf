#include "e2e/sandbox/api/api_server.h"

#include "e2e/sandbox/api/discovery.h"
#include "e2e/sandbox/api/openapi.h"
#include "e2e/sandbox/api/openapi_v2_protobuf.h"
#include "e2e/sandbox/api/resource_path.h"

namespace zkop::sandbox {

using nlohmann::json;

namespace {

ApiResponse json_response(const json& body, int status = 200) {
  // Invalid UTF-8 (say, from a percent-decoded name echoed in a message) is replaced, not thrown.
  return {
      status, "application/json", body.dump(-1, ' ', false, json::error_handler_t::replace), {}};
}

ApiResponse error_response(const ApiError& error) {
  ApiResponse r = json_response(error.to_status(), error.code);
  if (error.code == 429) r.headers.emplace_back("Retry-After", "1");
  return r;
}

}  // namespace

ApiServer::ApiServer(const Clock& clock, ApiOptions options, std::string token)
    : ctx_(clock, options), handler_(ctx_), collector_(ctx_), token_(std::move(token)) {
  ctx_.bootstrap();
}

void ApiServer::set_server_address(std::string address) {
  std::lock_guard lock(mutex_);
  address_ = std::move(address);
}

json ApiServer::snapshot() const {
  std::lock_guard lock(mutex_);
  return ctx_.store().snapshot();
}

void ApiServer::restore(const json& snapshot) {
  std::lock_guard lock(mutex_);
  ctx_.store().restore(snapshot);
  ctx_.resync_custom_resources();
  ctx_.bootstrap();
}

std::uint64_t ApiServer::resource_version() const {
  std::lock_guard lock(mutex_);
  return ctx_.store().resource_version();
}

void ApiServer::close_watches() {
  std::lock_guard lock(mutex_);
  ctx_.store().close_watches();
}

ApiResult ApiServer::handle(const ApiRequest& request) {
  const std::string& p = request.path;
  if (p == "/healthz" || p == "/livez" || p == "/readyz") {
    return ApiResponse{200, "text/plain; charset=utf-8", "ok", {}};
  }
  if (!token_.empty() && request.authorization != "Bearer " + token_) {
    return error_response(errors::unauthorized());
  }
  std::lock_guard lock(mutex_);
  // The boundary of the API layer: an exception (from JSON handling) becomes a 500 rather than
  // ending the connection's thread.
  try {
    auto result = route(request);
    if (!result) return error_response(result.error());
    return std::move(*result);
  } catch (const std::exception& e) {
    return error_response(errors::internal(e.what()));
  }
}

Result<ApiResult> ApiServer::route(const ApiRequest& request) {
  const std::string& p = request.path;
  const auto& registry = ctx_.registry();
  if (p.starts_with("/sandbox/v1/")) return admin(request);
  if (auto path = parse_resource_path(p, registry)) {
    if (auto fault = faults_.take(ResourceHandler::verb_of(request, *path), path->resource)) {
      return std::unexpected(*fault);
    }
    bool wrote = false;
    auto result = handler_.handle(request, *path, wrote);
    if (wrote) collector_.sweep();
    return result;
  }
  if (request.method != "GET") return std::unexpected(errors::path_not_found());
  if (p == "/version" || p == "/version/") return json_response(version_document());
  // Aggregated discovery is not offered; the plain documents below are the fallback clients
  // take when the Content-Type of the answer is plain application/json.
  if (p == "/api" || p == "/api/") return json_response(core_versions_document(address_));
  if (p == "/apis" || p == "/apis/") return json_response(group_list_document(registry));
  if (p == "/api/v1") {
    return json_response(*resource_list_document(registry, "", "v1"));
  }
  if (p.starts_with("/apis/")) {
    const std::string rest = p.substr(6);
    const std::size_t slash = rest.find('/');
    if (slash == std::string::npos) {
      if (auto g = group_document(registry, rest)) return json_response(*g);
    } else if (auto list = resource_list_document(registry, rest.substr(0, slash),
                                                  rest.substr(slash + 1))) {
      return json_response(*list);
    }
    return std::unexpected(errors::path_not_found());
  }
  if (p == "/openapi/v3" || p == "/openapi/v3/") return json_response(openapi_v3_root(registry));
  if (p.starts_with("/openapi/v3/")) {
    if (auto doc = openapi_v3_document(registry, p.substr(12))) return json_response(*doc);
    return std::unexpected(errors::path_not_found());
  }
  if (p == "/openapi/v2") {
    const json document = openapi_v2_document(registry);
    if (request.accept.find("protobuf") != std::string::npos) {
      return ApiResponse{200,
                         "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
                         encode_openapi_v2_protobuf(document),
                         {}};
    }
    return json_response(document);
  }
  return std::unexpected(errors::path_not_found());
}

Result<ApiResult> ApiServer::admin(const ApiRequest& request) {
  const std::string& p = request.path;
  if (p == "/sandbox/v1/faults") {
    if (request.method == "GET") return json_response(faults_.describe());
    if (request.method == "DELETE") {
      faults_.clear();
      return json_response(faults_.describe());
    }
    if (request.method == "POST") {
      json body = json::parse(request.body, nullptr, false);
      // One fault or a list of them.
      std::vector<json> rules =
          body.is_array() ? std::vector<json>(body.begin(), body.end()) : std::vector<json>{body};
      for (const json& r : rules) {
        auto rule = FaultRule::from_json(r);
        if (!rule) return std::unexpected(rule.error());
        faults_.add(std::move(*rule));
      }
      return json_response(faults_.describe(), 201);
    }
  }
  if (p == "/sandbox/v1/drop-watches" && request.method == "POST") {
    ctx_.store().close_watches();
    return json_response({{"dropped", true}}, 201);
  }
  if (p == "/sandbox/v1/compact" && request.method == "POST") {
    ctx_.store().compact();
    return json_response({{"compactedTo", std::to_string(ctx_.store().resource_version())}}, 201);
  }
  return std::unexpected(errors::path_not_found());
}

}  // namespace zkop::sandbox
