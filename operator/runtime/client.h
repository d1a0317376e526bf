#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "operator/runtime/clock.h"
#include "operator/runtime/error.h"
#include "operator/runtime/http_transport.h"
#include "operator/runtime/resource.h"

namespace zkop::runtime {

using Json = nlohmann::json;

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int limit = 500;  // page size; 0 asks for everything at once
  std::string continue_token;
  std::string resource_version;  // "" = most recent (a quorum read)
};

struct ObjectList {
  std::vector<Json> items;
  std::string resource_version;  // the list's metadata.resourceVersion: where a watch starts
  std::string continue_token;    // non-empty when more pages follow
};

struct WatchOptions {
  std::string resource_version;
  std::string label_selector;
  std::string field_selector;
  bool allow_bookmarks = true;
  // The server ends the watch after this long; the stream's read timeout is set longer so a
  // healthy but quiet watch is never cut by the client first.
  std::chrono::seconds timeout_seconds{300};
};

struct DeleteOptions {
  std::string propagation_policy = "Background";  // Foreground | Background | Orphan
  std::optional<std::string> precondition_uid;
  std::optional<std::string> precondition_resource_version;
};

enum class PatchType { kMerge, kStrategicMerge, kJson };

struct ClientConfig {
  // Retries of one request on 429, 5xx and transport errors. GETs retry on all of those; writes
  // only when the server said it did not act (429 or 5xx with Retry-After), as client-go does.
  int max_retries = 3;
  std::chrono::milliseconds retry_base{200};
  std::chrono::milliseconds retry_cap{5000};
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
  std::string field_manager = "zkop";
  // Sleeps between retries; injected so tests record instead of wait.
  std::function<void(std::chrono::milliseconds)> sleep;
  // Called after every response (or transport failure, code 0): rest_client_requests_total.
  std::function<void(const std::string& method, int code)> on_request;
};

// A dynamic client: JSON objects in and out, addressed by a ResourceDescriptor, with API
// Status answers mapped to typed errors. No caching: reads go to the server (informers cache).
//
// Thread-safety: all methods may be called concurrently; the client holds no mutable state
// beyond what the transport guards.
class Client {
 public:
  explicit Client(std::shared_ptr<HttpTransport> transport, ClientConfig config = {});

  Result<Json> get(const ResourceDescriptor& res, std::string_view ns, std::string_view name);
  // One page.
  Result<ObjectList> listPage(const ResourceDescriptor& res, std::string_view ns,
                              const ListOptions& options);
  // Every page, following continue tokens; the result carries the first page's resourceVersion
  // (all pages of one list are served from the same snapshot).
  Result<ObjectList> list(const ResourceDescriptor& res, std::string_view ns,
                          ListOptions options = {});
  Result<Json> create(const ResourceDescriptor& res, std::string_view ns, const Json& object);
  // PUT; the object's metadata.resourceVersion makes it conditional (409 Conflict if stale).
  Result<Json> update(const ResourceDescriptor& res, std::string_view ns, const Json& object);
  Result<Json> patch(const ResourceDescriptor& res, std::string_view ns, std::string_view name,
                     const Json& patch, PatchType type = PatchType::kMerge);
  Result<Json> updateStatus(const ResourceDescriptor& res, std::string_view ns, const Json& object);
  Result<Json> patchStatus(const ResourceDescriptor& res, std::string_view ns,
                           std::string_view name, const Json& patch,
                           PatchType type = PatchType::kMerge);
  Result<void> remove(const ResourceDescriptor& res, std::string_view ns, std::string_view name,
                      const DeleteOptions& options = {});
  // Opens a watch stream; one JSON WatchEvent per line.
  Result<std::unique_ptr<LineStream>> watch(const ResourceDescriptor& res, std::string_view ns,
                                            const WatchOptions& options);

  // Optimistic concurrency: read the object, let `mutate` change it, write it back (with
  // status=true through /status); on 409 Conflict read again and repeat, at most `attempts`
  // times. `mutate` returns false when there is nothing to change (no write happens, the read
  // object is returned) or an error to stop.
  using Mutator = std::function<Result<bool>(Json& object)>;
  Result<Json> updateWithRetry(const ResourceDescriptor& res, std::string_view ns,
                               std::string_view name, const Mutator& mutate, int attempts = 5,
                               bool status = false);

 private:
  Result<Json> call(const std::string& method, const std::string& path, const Json* body,
                    const std::string& content_type = "application/json");
  Result<HttpResponse> sendWithRetry(HttpRequest request);

  std::shared_ptr<HttpTransport> transport_;
  ClientConfig config_;
};

// metadata.namespace / metadata.name ("name" for cluster-scoped objects): the cache and queue key.
std::string objectKey(const Json& object);
// Splits "ns/name" (or "name") into its parts.
std::pair<std::string, std::string> splitKey(std::string_view key);

}  // namespace zkop::runtime
