#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "operator/runtime/http_transport.h"

namespace zkop::runtime::testing {

// A small in-memory API server behind HttpTransport: create/get/list/update/merge-patch/
// delete with resourceVersions, 404, 409 Conflict on a stale resourceVersion and 409
// AlreadyExists, and injected failures. Enough for leader election and event tests; watches
// are not served (informer tests script them with FakeTransport).
class FakeApiServer final : public HttpTransport {
 public:
  using Json = nlohmann::json;

  // The next `count` requests matching `method` fail with `status` (before touching state).
  void failNext(const std::string& method, int count, int status) {
    std::lock_guard lock(mutex_);
    for (int i = 0; i < count; ++i) failures_.push_back({method, status});
  }
  // Mutate stored state directly (another writer), bumping the resourceVersion.
  void put(const std::string& path, Json object) {
    std::lock_guard lock(mutex_);
    object["metadata"]["resourceVersion"] = std::to_string(++rv_);
    objects_[path] = std::move(object);
  }
  std::optional<Json> object(const std::string& path) const {
    std::lock_guard lock(mutex_);
    auto it = objects_.find(path);
    if (it == objects_.end()) return std::nullopt;
    return it->second;
  }
  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    for (auto it = failures_.begin(); it != failures_.end(); ++it) {
      if (it->first == request.method) {
        int status = it->second;
        failures_.erase(it);
        return status == 0 ? Result<HttpResponse>(fail(ErrorCategory::kTransport, "injected"))
                           : respond(status, statusBody(status, "Injected", "injected failure"));
      }
    }
    std::string path = request.path.substr(0, request.path.find('?'));
    std::string sub;
    // Subresources: only /status is modelled; it writes the whole object like the main path.
    if (path.size() > 7 && path.ends_with("/status")) {
      sub = "status";
      path.resize(path.size() - 7);
    }
    auto body = Json::parse(request.body.empty() ? "null" : request.body, nullptr, false);
    if (request.method == "GET") {
      if (auto it = objects_.find(path); it != objects_.end())
        return respond(200, it->second.dump());
      // A collection?
      Json list = {{"kind", "List"},
                   {"items", Json::array()},
                   {"metadata", {{"resourceVersion", std::to_string(rv_)}}}};
      bool any = false;
      for (const auto& [p, o] : objects_) {
        if (p.rfind(path + "/", 0) == 0 && p.find('/', path.size() + 1) == std::string::npos) {
          list["items"].push_back(o);
          any = true;
        }
      }
      if (any) return respond(200, list.dump());
      return respond(404, statusBody(404, "NotFound", path + " not found"));
    }
    if (request.method == "POST") {
      std::string name = field(body["metadata"], "name");
      std::string full = path + "/" + name;
      if (objects_.contains(full)) {
        return respond(409, statusBody(409, "AlreadyExists", name + " already exists"));
      }
      body["metadata"]["resourceVersion"] = std::to_string(++rv_);
      body["metadata"]["uid"] = "uid-" + std::to_string(rv_);
      objects_[full] = body;
      return respond(201, body.dump());
    }
    auto it = objects_.find(path);
    if (it == objects_.end()) return respond(404, statusBody(404, "NotFound", path + " not found"));
    if (request.method == "PUT") {
      std::string sent_rv = field(body["metadata"], "resourceVersion");
      if (!sent_rv.empty() && sent_rv != field(it->second["metadata"], "resourceVersion")) {
        return respond(409, statusBody(409, "Conflict", "the object has been modified"));
      }
      body["metadata"]["resourceVersion"] = std::to_string(++rv_);
      body["metadata"]["uid"] = field(it->second["metadata"], "uid");
      it->second = body;
      return respond(200, body.dump());
    }
    if (request.method == "PATCH") {
      // A resourceVersion in the patch makes it conditional, as on a real server.
      if (body.is_object() && body.contains("metadata")) {
        std::string sent_rv = field(body["metadata"], "resourceVersion");
        if (!sent_rv.empty() && sent_rv != field(it->second["metadata"], "resourceVersion")) {
          return respond(409, statusBody(409, "Conflict", "the object has been modified"));
        }
      }
      it->second.merge_patch(body);
      it->second["metadata"]["resourceVersion"] = std::to_string(++rv_);
      return respond(200, it->second.dump());
    }
    if (request.method == "DELETE") {
      objects_.erase(it);
      return respond(200, statusBody(200, "", "deleted"));
    }
    return respond(405, statusBody(405, "MethodNotAllowed", request.method));
  }

  Result<std::unique_ptr<LineStream>> stream(const HttpRequest& request) override {
    return fail(ErrorCategory::kTransport, "FakeApiServer does not serve watches: " + request.path);
  }

 private:
  // A string field or "" (nlohmann's value() trips -Wnull-dereference when inlined here).
  static std::string field(const Json& object, const char* key) {
    if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return {};
    return object[key].get<std::string>();
  }
  static HttpResponse respond(int status, std::string body) {
    return HttpResponse{status, {{"content-type", "application/json"}}, std::move(body)};
  }
  static std::string statusBody(int code, const std::string& reason, const std::string& message) {
    return Json{
        {"kind", "Status"}, {"apiVersion", "v1"}, {"status", code < 400 ? "Success" : "Failure"},
        {"reason", reason}, {"message", message}, {"code", code}}
        .dump();
  }

  mutable std::mutex mutex_;
  std::map<std::string, Json> objects_;  // full object path → object
  std::deque<std::pair<std::string, int>> failures_;
  std::vector<HttpRequest> requests_;
  long rv_ = 100;
};

}  // namespace zkop::runtime::testing
