#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "e2e/sandbox/store/watch_event.h"

namespace zkop::sandbox {

// The queue between the store (which pushes every event, under the API lock) and one watch
// connection (which drains it on its own thread, filtering and encoding without the lock).
class WatchChannel {
 public:
  explicit WatchChannel(std::uint64_t start_version) : latest_(start_version) {}

  void push(EventPtr event);
  // Ends the watch (server stop, or the drop-watches fault).
  void close();

  struct Batch {
    std::vector<EventPtr> events;
    bool closed = false;
    // The newest version the store has reached, for BOOKMARK events.
    std::uint64_t latest = 0;
  };
  // Waits up to `timeout` for at least one event or for close().
  Batch wait(std::chrono::milliseconds timeout);

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<EventPtr> queue_;
  bool closed_ = false;
  std::uint64_t latest_;
};

}  // namespace zkop::sandbox
