#include "operator/runtime/event_recorder.h"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "operator/runtime/encoding.h"

namespace zkop::runtime {

namespace {
// Bounds memory in a long-running process; forgetting only costs a new Event instead of a
// bumped count.
constexpr size_t kMaxRemembered = 4096;
}  // namespace

EventRecorder::EventRecorder(std::shared_ptr<Client> client, std::shared_ptr<Clock> clock,
                             std::string component, std::string instance)
    : client_(std::move(client)),
      clock_(std::move(clock)),
      component_(std::move(component)),
      instance_(std::move(instance)) {}

Result<void> EventRecorder::record(const Json& object, EventType type, const std::string& reason,
                                   const std::string& message) {
  const Json meta = object.value("metadata", Json::object());
  Json involved = {{"apiVersion", object.value("apiVersion", "")},
                   {"kind", object.value("kind", "")},
                   {"name", meta.value("name", "")},
                   {"namespace", meta.value("namespace", "")},
                   {"uid", meta.value("uid", "")},
                   {"resourceVersion", meta.value("resourceVersion", "")}};
  std::string ns = meta.value("namespace", "");
  if (ns.empty()) ns = "default";  // events about cluster-scoped objects live in default
  const std::string type_name = type == EventType::kNormal ? "Normal" : "Warning";
  const std::string now = formatRfc3339(clock_->wallNow());
  const std::string key = involved.value("kind", "") + "/" + ns + "/" + involved.value("name", "") +
                          "/" + involved.value("uid", "") + "/" + type_name + "/" + reason + "/" +
                          message;

  std::lock_guard lock(mutex_);
  if (auto it = seen_.find(key); it != seen_.end()) {
    Json patch = {{"count", it->second.count + 1}, {"lastTimestamp", now}};
    auto patched =
        client_->patch(resources::kEvent, it->second.namespace_name, it->second.name, patch);
    if (patched) {
      ++it->second.count;
      return {};
    }
    if (!patched.error().is(ErrorCategory::kNotFound)) {
      spdlog::warn("event {} {}: {}", reason, involved.value("name", ""),
                   patched.error().describe());
      return std::unexpected(patched.error());
    }
    seen_.erase(it);  // the Event expired (TTL); write a new one
  }
  // Unique per process and event; client-go uses "<object>.<unix nanos in hex>".
  char suffix[40];
  auto nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(clock_->wallNow().time_since_epoch())
          .count();
  std::snprintf(suffix, sizeof(suffix), "%llx",
                static_cast<unsigned long long>(nanos) + sequence_++);
  Json event = {
      {"apiVersion", "v1"},
      {"kind", "Event"},
      {"metadata", {{"name", involved.value("name", "") + "." + suffix}, {"namespace", ns}}},
      {"involvedObject", involved},
      {"reason", reason},
      {"message", message},
      {"type", type_name},
      {"count", 1},
      {"firstTimestamp", now},
      {"lastTimestamp", now},
      {"source", {{"component", component_}, {"host", instance_}}},
      {"reportingComponent", component_},
      {"reportingInstance", instance_}};
  auto created = client_->create(resources::kEvent, ns, event);
  if (!created) {
    spdlog::warn("event {} {}: {}", reason, involved.value("name", ""), created.error().describe());
    return std::unexpected(created.error());
  }
  if (seen_.size() >= kMaxRemembered) seen_.clear();
  seen_[key] = Seen{event["metadata"]["name"].get<std::string>(), ns, 1};
  return {};
}

}  // namespace zkop::runtime
