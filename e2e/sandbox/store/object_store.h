#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/store/watch_channel.h"
#include "e2e/sandbox/store/watch_event.h"
#include "e2e/sandbox/store/watch_history.h"

namespace zkop::sandbox {

// The sandbox's etcd: objects as JSON by key, one global resourceVersion counter that every
// write advances and stamps into metadata.resourceVersion, a bounded event history and the
// open watch channels. It knows nothing of Kubernetes semantics beyond that; it is not
// thread-safe (the API layer serialises access).
class ObjectStore {
 public:
  explicit ObjectStore(std::size_t history_capacity) : history_(history_capacity) {}

  const nlohmann::json* get(const ObjectKey& key) const;
  // Objects of one resource, in key order, optionally in one namespace, starting after `after`
  // (a name within `ns`, or "ns/name" across namespaces) for pagination.
  std::vector<std::pair<ObjectKey, const nlohmann::json*>> list(std::string_view resource,
                                                                std::string_view ns) const;
  const std::map<ObjectKey, nlohmann::json>& objects() const { return objects_; }
  std::optional<ObjectKey> find_uid(std::string_view uid) const;

  // Each write returns the stored object (with its new resourceVersion).
  const nlohmann::json& create(const ObjectKey& key, nlohmann::json object);
  const nlohmann::json& update(const ObjectKey& key, nlohmann::json object);
  nlohmann::json remove(const ObjectKey& key);

  std::uint64_t resource_version() const { return version_; }
  const WatchHistory& history() const { return history_; }
  // Drops the whole history: every watch resuming from an older version gets 410.
  void compact() { history_.compact(version_); }

  std::shared_ptr<WatchChannel> subscribe();
  void close_watches();

  // Persistence: the objects and the counter (not the history, which a restart loses, as
  // clients of a restarted real API server experience via 410).
  nlohmann::json snapshot() const;
  void restore(const nlohmann::json& snapshot);

 private:
  void record(EventType type, const ObjectKey& key, const nlohmann::json& object,
              nlohmann::json previous);

  std::map<ObjectKey, nlohmann::json> objects_;
  std::map<std::string, ObjectKey, std::less<>> by_uid_;
  std::uint64_t version_ = 0;
  WatchHistory history_;
  std::vector<std::weak_ptr<WatchChannel>> channels_;
};

}  // namespace zkop::sandbox
