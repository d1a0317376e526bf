#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "e2e/sandbox/store/watch_event.h"

namespace zkop::sandbox {

// The bounded window of recent events a watch can resume from. A watch asking for events after
// a version older than the window gets 410 Expired, like etcd after compaction; the window is
// small on purpose in tests so that this really happens.
class WatchHistory {
 public:
  explicit WatchHistory(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  void append(EventPtr event);
  // All events newer than `resource_version`, or nullopt when some were already dropped.
  std::optional<std::vector<EventPtr>> since(std::uint64_t resource_version) const;
  // Forgets everything up to and including `resource_version`.
  void compact(std::uint64_t resource_version);
  // Versions up to this one can no longer be resumed from.
  std::uint64_t compacted() const { return compacted_; }
  std::size_t size() const { return events_.size(); }

 private:
  std::size_t capacity_;
  std::deque<EventPtr> events_;
  std::uint64_t compacted_ = 0;
};

}  // namespace zkop::sandbox
