#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "operator/runtime/clock.h"
#include "operator/runtime/rate_limiter.h"

namespace zkop::runtime {

// What the queue reports; the Prometheus implementation (workqueue_* metrics) lives in
// metrics.h. All calls are made with the queue's lock held, so implementations must not call
// back into the queue.
class WorkQueueMetrics {
 public:
  virtual ~WorkQueueMetrics() = default;
  virtual void added() = 0;                         // workqueue_adds_total
  virtual void depth(size_t depth) = 0;             // workqueue_depth
  virtual void queued(Clock::Duration waited) = 0;  // workqueue_queue_duration_seconds
  virtual void worked(Clock::Duration took) = 0;    // workqueue_work_duration_seconds
  virtual void retried() = 0;                       // workqueue_retries_total
};

// A work queue of keys with client-go semantics:
//  - a key is handed to at most one worker at a time (get() … done());
//  - adding a key that is already waiting does nothing (adds collapse);
//  - adding a key that is being processed marks it dirty; done() puts it back exactly once;
//  - addAfter() delays an add; a key waiting in both keeps the earliest time;
//  - addRateLimited() delays by the rate limiter's answer; forget() resets the key's backoff;
//  - shutDown() stops accepting adds and wakes getters once the queue is empty;
//    shutDownWithDrain() additionally waits until every key handed out is done().
//
// Delayed keys move to the queue when the clock reaches their time; get() waits on the Clock,
// so a test advancing a fake clock wakes it (there is no background thread).
//
// Thread-safety: all methods are safe to call concurrently.
class WorkQueue {
 public:
  WorkQueue(std::shared_ptr<Clock> clock, std::unique_ptr<RateLimiter> limiter,
            std::shared_ptr<WorkQueueMetrics> metrics = nullptr);
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void add(const std::string& key);
  void addAfter(const std::string& key, Clock::Duration delay);
  void addRateLimited(const std::string& key);
  void forget(const std::string& key);
  int numRequeues(const std::string& key);

  // Blocks until a key is ready, and returns it; std::nullopt once shut down and empty.
  std::optional<std::string> get();
  // Returns a ready key without blocking, if there is one.
  std::optional<std::string> tryGet();
  // The worker finished with `key` (whatever the outcome).
  void done(const std::string& key);

  void shutDown();
  void shutDownWithDrain();
  bool shuttingDown() const;

  size_t len() const;           // keys ready to be handed out
  size_t waitingCount() const;  // keys delayed into the future
  size_t processingCount() const;

 private:
  void addLocked(const std::string& key);
  void promoteDueLocked();
  std::string popLocked();

  std::shared_ptr<Clock> clock_;
  std::unique_ptr<RateLimiter> limiter_;
  std::shared_ptr<WorkQueueMetrics> metrics_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::unordered_set<std::string> dirty_;
  std::unordered_map<std::string, Clock::TimePoint> processing_;  // key → when handed out
  std::unordered_map<std::string, Clock::TimePoint> added_at_;    // for queue latency
  std::multimap<Clock::TimePoint, std::string> waiting_;
  std::unordered_map<std::string, Clock::TimePoint> waiting_at_;
  bool shutting_down_ = false;
  bool draining_ = false;
};

}  // namespace zkop::runtime
