#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace zkop::sandbox {

// Where an object lives: its resource's storage key ("pods", "zookeeperclusters.zkop.io"),
// namespace (empty for cluster-scoped) and name. Ordered so one resource's objects are
// contiguous, and within it one namespace's.
struct ObjectKey {
  std::string resource;
  std::string ns;
  std::string name;
  auto operator<=>(const ObjectKey&) const = default;
};

enum class EventType { Added, Modified, Deleted };

const char* to_string(EventType type);

// One change, as the store records it for watchers. `previous` is the object before the change
// (null for Added) so that selector-filtered watches can turn a change that leaves the selection
// into DELETED, as a real server does.
struct WatchEvent {
  EventType type;
  std::uint64_t resource_version;
  ObjectKey key;
  nlohmann::json object;
  nlohmann::json previous;
};

using EventPtr = std::shared_ptr<const WatchEvent>;

}  // namespace zkop::sandbox
