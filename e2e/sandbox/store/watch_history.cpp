#include "e2e/sandbox/store/watch_history.h"

namespace zkop::sandbox {

const char* to_string(EventType type) {
  switch (type) {
    case EventType::Added:
      return "ADDED";
    case EventType::Modified:
      return "MODIFIED";
    case EventType::Deleted:
      return "DELETED";
  }
  return "ERROR";
}

void WatchHistory::append(EventPtr event) {
  events_.push_back(std::move(event));
  while (events_.size() > capacity_) {
    compacted_ = events_.front()->resource_version;
    events_.pop_front();
  }
}

std::optional<std::vector<EventPtr>> WatchHistory::since(std::uint64_t resource_version) const {
  if (resource_version < compacted_) return std::nullopt;
  std::vector<EventPtr> out;
  for (const auto& e : events_) {
    if (e->resource_version > resource_version) out.push_back(e);
  }
  return out;
}

void WatchHistory::compact(std::uint64_t resource_version) {
  while (!events_.empty() && events_.front()->resource_version <= resource_version) {
    events_.pop_front();
  }
  if (resource_version > compacted_) compacted_ = resource_version;
}

}  // namespace zkop::sandbox
