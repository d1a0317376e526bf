#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/api_context.h"
#include "e2e/sandbox/api/fault_injector.h"
#include "e2e/sandbox/api/garbage_collector.h"
#include "e2e/sandbox/api/http_types.h"
#include "e2e/sandbox/api/resource_handler.h"

namespace zkop::sandbox {

// The whole API behind one entry point, independent of HTTP: authentication, discovery,
// OpenAPI, the resource verbs, the collectors that run after each write, and the admin
// endpoints under /sandbox/v1/ (faults, drop-watches, compact). Thread-safe: requests are
// served one at a time under one lock; watch streams drain their channels outside it.
class ApiServer {
 public:
  ApiServer(const Clock& clock, ApiOptions options, std::string token);

  ApiResult handle(const ApiRequest& request);

  // host:port clients reach the server at (for /api's serverAddressByClientCIDRs).
  void set_server_address(std::string address);
  nlohmann::json snapshot() const;
  void restore(const nlohmann::json& snapshot);
  std::uint64_t resource_version() const;
  void close_watches();

 private:
  Result<ApiResult> route(const ApiRequest& request);
  Result<ApiResult> admin(const ApiRequest& request);

  mutable std::mutex mutex_;
  ApiContext ctx_;
  ResourceHandler handler_;
  GarbageCollector collector_;
  FaultInjector faults_;
  std::string token_;
  std::string address_ = "127.0.0.1:443";
};

}  // namespace zkop::sandbox
