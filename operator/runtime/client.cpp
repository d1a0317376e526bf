#include "operator/runtime/client.h"

#include <algorithm>
#include <thread>

#include "operator/runtime/encoding.h"

namespace zkop::runtime {

std::string objectKey(const Json& object) {
  const auto& meta = object.contains("metadata") ? object["metadata"] : Json::object();
  std::string ns = meta.value("namespace", "");
  std::string name = meta.value("name", "");
  return ns.empty() ? name : ns + "/" + name;
}

std::pair<std::string, std::string> splitKey(std::string_view key) {
  auto slash = key.find('/');
  if (slash == std::string_view::npos) return {"", std::string(key)};
  return {std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

namespace {

std::string nameOf(const Json& object) {
  if (!object.contains("metadata")) return {};
  return object["metadata"].value("name", "");
}

void addQuery(std::string& path, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  path += path.find('?') == std::string::npos ? '?' : '&';
  path += std::string(key) + "=" + urlEncode(value);
}

std::string contentType(PatchType type) {
  switch (type) {
    case PatchType::kMerge:
      return "application/merge-patch+json";
    case PatchType::kStrategicMerge:
      return "application/strategic-merge-patch+json";
    case PatchType::kJson:
      return "application/json-patch+json";
  }
  return "application/merge-patch+json";
}

Error errorOf(const HttpResponse& response) {
  auto ra = response.headers.find("retry-after");
  return errorFromResponse(response.status, response.body,
                           ra == response.headers.end() ? std::string_view{} : ra->second);
}

}  // namespace

Client::Client(std::shared_ptr<HttpTransport> transport, ClientConfig config)
    : transport_(std::move(transport)), config_(std::move(config)) {
  if (!config_.sleep) {
    config_.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  }
}

Result<HttpResponse> Client::sendWithRetry(HttpRequest request) {
  const bool idempotent = request.method == "GET";
  std::chrono::milliseconds delay = config_.retry_base;
  for (int attempt = 0;; ++attempt) {
    auto response = transport_->send(request);
    int code = response ? response->status : 0;
    if (config_.on_request) config_.on_request(request.method, code);
    if (response && response->status < 400) return response;

    // Decide whether this failure may be retried and after how long.
    std::optional<Error> error;
    if (!response) {
      error = response.error();
    } else {
      error = errorOf(*response);
    }
    const bool server_declined = error->is(ErrorCategory::kTooManyRequests) ||
                                 (error->http_code >= 500 && error->retry_after.has_value());
    const bool may_retry = error->retriable() && (idempotent || server_declined);
    if (!may_retry || attempt >= config_.max_retries) {
      if (response) return response;  // the caller maps the status
      return std::unexpected(*error);
    }
    auto wait = delay;
    if (error->retry_after) {
      wait = std::chrono::duration_cast<std::chrono::milliseconds>(*error->retry_after);
    }
    config_.sleep(std::min(wait, config_.retry_cap));
    delay = std::min(delay * 2, config_.retry_cap);
  }
}

Result<Json> Client::call(const std::string& method, const std::string& path, const Json* body,
                          const std::string& content_type) {
  HttpRequest request;
  request.method = method;
  request.path = path;
  request.timeout = config_.request_timeout;
  request.headers["Accept"] = "application/json";
  if (body != nullptr) {
    request.body = body->dump();
    request.headers["Content-Type"] = content_type;
  }
  auto response = sendWithRetry(std::move(request));
  if (!response) return std::unexpected(response.error());
  if (response->status >= 400) return std::unexpected(errorOf(*response));
  if (response->body.empty()) return Json::object();
  auto parsed = Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return fail(ErrorCategory::kDecode, method + " " + path + ": response is not JSON",
                response->status);
  }
  return parsed;
}

Result<Json> Client::get(const ResourceDescriptor& res, std::string_view ns,
                         std::string_view name) {
  return call("GET", res.objectPath(ns, name), nullptr);
}

Result<ObjectList> Client::listPage(const ResourceDescriptor& res, std::string_view ns,
                                    const ListOptions& options) {
  std::string path = res.collectionPath(ns);
  addQuery(path, "labelSelector", options.label_selector);
  addQuery(path, "fieldSelector", options.field_selector);
  if (options.limit > 0) addQuery(path, "limit", std::to_string(options.limit));
  addQuery(path, "continue", options.continue_token);
  addQuery(path, "resourceVersion", options.resource_version);
  auto body = call("GET", path, nullptr);
  if (!body) return std::unexpected(body.error());
  ObjectList list;
  if (auto items = body->find("items"); items != body->end() && items->is_array()) {
    list.items.reserve(items->size());
    for (auto& item : *items) {
      // List items carry no apiVersion/kind of their own; restore them so a cached object looks
      // like one read with GET.
      if (!item.contains("apiVersion")) item["apiVersion"] = res.apiVersion();
      if (!item.contains("kind")) item["kind"] = res.kind;
      list.items.push_back(std::move(item));
    }
  }
  if (auto meta = body->find("metadata"); meta != body->end() && meta->is_object()) {
    list.resource_version = meta->value("resourceVersion", "");
    list.continue_token = meta->value("continue", "");
  }
  return list;
}

Result<ObjectList> Client::list(const ResourceDescriptor& res, std::string_view ns,
                                ListOptions options) {
  ObjectList all;
  bool first = true;
  do {
    auto page = listPage(res, ns, options);
    if (!page) return std::unexpected(page.error());
    if (first) all.resource_version = page->resource_version;
    first = false;
    for (auto& item : page->items) all.items.push_back(std::move(item));
    options.continue_token = page->continue_token;
    // A continued list is pinned to the first page's snapshot by the token itself.
    options.resource_version.clear();
  } while (!options.continue_token.empty());
  return all;
}

Result<Json> Client::create(const ResourceDescriptor& res, std::string_view ns,
                            const Json& object) {
  std::string path = res.collectionPath(ns);
  addQuery(path, "fieldManager", config_.field_manager);
  return call("POST", path, &object);
}

Result<Json> Client::update(const ResourceDescriptor& res, std::string_view ns,
                            const Json& object) {
  std::string path = res.objectPath(ns, nameOf(object));
  addQuery(path, "fieldManager", config_.field_manager);
  return call("PUT", path, &object);
}

Result<Json> Client::patch(const ResourceDescriptor& res, std::string_view ns,
                           std::string_view name, const Json& patch, PatchType type) {
  std::string path = res.objectPath(ns, name);
  addQuery(path, "fieldManager", config_.field_manager);
  return call("PATCH", path, &patch, contentType(type));
}

Result<Json> Client::updateStatus(const ResourceDescriptor& res, std::string_view ns,
                                  const Json& object) {
  std::string path = res.objectPath(ns, nameOf(object), "status");
  addQuery(path, "fieldManager", config_.field_manager);
  return call("PUT", path, &object);
}

Result<Json> Client::patchStatus(const ResourceDescriptor& res, std::string_view ns,
                                 std::string_view name, const Json& patch, PatchType type) {
  std::string path = res.objectPath(ns, name, "status");
  addQuery(path, "fieldManager", config_.field_manager);
  return call("PATCH", path, &patch, contentType(type));
}

Result<void> Client::remove(const ResourceDescriptor& res, std::string_view ns,
                            std::string_view name, const DeleteOptions& options) {
  Json body = {{"apiVersion", "v1"},
               {"kind", "DeleteOptions"},
               {"propagationPolicy", options.propagation_policy}};
  if (options.precondition_uid) body["preconditions"]["uid"] = *options.precondition_uid;
  if (options.precondition_resource_version) {
    body["preconditions"]["resourceVersion"] = *options.precondition_resource_version;
  }
  auto r = call("DELETE", res.objectPath(ns, name), &body);
  if (!r) return std::unexpected(r.error());
  return {};
}

Result<std::unique_ptr<LineStream>> Client::watch(const ResourceDescriptor& res,
                                                  std::string_view ns,
                                                  const WatchOptions& options) {
  std::string path = res.collectionPath(ns);
  addQuery(path, "watch", "true");
  addQuery(path, "resourceVersion", options.resource_version);
  addQuery(path, "labelSelector", options.label_selector);
  addQuery(path, "fieldSelector", options.field_selector);
  if (options.allow_bookmarks) addQuery(path, "allowWatchBookmarks", "true");
  addQuery(path, "timeoutSeconds", std::to_string(options.timeout_seconds.count()));
  HttpRequest request;
  request.method = "GET";
  request.path = std::move(path);
  request.headers["Accept"] = "application/json";
  // Longer than the server-side timeout, so the server closes a quiet watch, not us.
  request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      options.timeout_seconds + options.timeout_seconds / 4 + std::chrono::seconds(30));
  auto stream = transport_->stream(request);
  if (config_.on_request) config_.on_request("GET", stream ? 200 : stream.error().http_code);
  return stream;
}

Result<Json> Client::updateWithRetry(const ResourceDescriptor& res, std::string_view ns,
                                     std::string_view name, const Mutator& mutate, int attempts,
                                     bool status) {
  for (int attempt = 1;; ++attempt) {
    auto current = get(res, ns, name);
    if (!current) return current;
    Json object = std::move(*current);
    auto changed = mutate(object);
    if (!changed) return std::unexpected(changed.error());
    if (!*changed) return object;
    auto written = status ? updateStatus(res, ns, object) : update(res, ns, object);
    if (written || !written.error().is(ErrorCategory::kConflict) || attempt >= attempts) {
      return written;
    }
  }
}

}  // namespace zkop::runtime
