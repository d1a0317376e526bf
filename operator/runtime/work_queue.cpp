#include "operator/runtime/work_queue.h"

namespace zkop::runtime {

WorkQueue::WorkQueue(std::shared_ptr<Clock> clock, std::unique_ptr<RateLimiter> limiter,
                     std::shared_ptr<WorkQueueMetrics> metrics)
    : clock_(std::move(clock)), limiter_(std::move(limiter)), metrics_(std::move(metrics)) {}

void WorkQueue::addLocked(const std::string& key) {
  if (shutting_down_) return;
  if (!dirty_.insert(key).second) return;  // already waiting to be processed
  if (metrics_) metrics_->added();
  added_at_.try_emplace(key, clock_->now());
  if (processing_.contains(key)) return;  // done() will queue it
  queue_.push_back(key);
  if (metrics_) metrics_->depth(queue_.size());
  cv_.notify_one();
}

void WorkQueue::add(const std::string& key) {
  std::lock_guard lock(mutex_);
  addLocked(key);
}

void WorkQueue::addAfter(const std::string& key, Clock::Duration delay) {
  std::lock_guard lock(mutex_);
  if (shutting_down_) return;
  if (delay <= Clock::Duration::zero()) {
    addLocked(key);
    return;
  }
  auto ready_at = clock_->now() + delay;
  if (auto it = waiting_at_.find(key); it != waiting_at_.end()) {
    if (it->second <= ready_at) return;  // an earlier wake-up is already scheduled
    auto range = waiting_.equal_range(it->second);
    for (auto w = range.first; w != range.second; ++w) {
      if (w->second == key) {
        waiting_.erase(w);
        break;
      }
    }
  }
  waiting_.emplace(ready_at, key);
  waiting_at_[key] = ready_at;
  // A getter may be sleeping until a later deadline; let it recompute.
  cv_.notify_all();
}

void WorkQueue::addRateLimited(const std::string& key) {
  auto delay = limiter_->when(key);
  {
    std::lock_guard lock(mutex_);
    if (metrics_ && !shutting_down_) metrics_->retried();
  }
  addAfter(key, delay);
}

void WorkQueue::forget(const std::string& key) { limiter_->forget(key); }

int WorkQueue::numRequeues(const std::string& key) { return limiter_->numRequeues(key); }

void WorkQueue::promoteDueLocked() {
  auto now = clock_->now();
  while (!waiting_.empty() && waiting_.begin()->first <= now) {
    std::string key = waiting_.begin()->second;
    waiting_.erase(waiting_.begin());
    waiting_at_.erase(key);
    addLocked(key);
  }
}

std::string WorkQueue::popLocked() {
  std::string key = std::move(queue_.front());
  queue_.pop_front();
  auto now = clock_->now();
  if (metrics_) {
    metrics_->depth(queue_.size());
    if (auto it = added_at_.find(key); it != added_at_.end()) metrics_->queued(now - it->second);
  }
  added_at_.erase(key);
  processing_[key] = now;
  dirty_.erase(key);
  return key;
}

std::optional<std::string> WorkQueue::get() {
  std::unique_lock lock(mutex_);
  for (;;) {
    promoteDueLocked();
    if (!queue_.empty()) return popLocked();
    if (shutting_down_) return std::nullopt;
    if (waiting_.empty()) {
      cv_.wait(lock);
    } else {
      clock_->waitUntil(lock, cv_, waiting_.begin()->first);
    }
  }
}

std::optional<std::string> WorkQueue::tryGet() {
  std::lock_guard lock(mutex_);
  promoteDueLocked();
  if (queue_.empty()) return std::nullopt;
  return popLocked();
}

void WorkQueue::done(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = processing_.find(key);
  if (it == processing_.end()) return;
  if (metrics_) metrics_->worked(clock_->now() - it->second);
  processing_.erase(it);
  // Added again while it was being processed: now it may run again. Like client-go this holds
  // during shutdown too: get() keeps handing out queued keys until the queue is empty.
  if (dirty_.contains(key)) {
    queue_.push_back(key);
    if (metrics_) metrics_->depth(queue_.size());
  }
  cv_.notify_all();
}

void WorkQueue::shutDown() {
  std::lock_guard lock(mutex_);
  shutting_down_ = true;
  // Delayed keys will never be processed after shutdown.
  waiting_.clear();
  waiting_at_.clear();
  cv_.notify_all();
}

void WorkQueue::shutDownWithDrain() {
  std::unique_lock lock(mutex_);
  shutting_down_ = true;
  draining_ = true;
  waiting_.clear();
  waiting_at_.clear();
  cv_.notify_all();
  cv_.wait(lock, [&] { return processing_.empty(); });
  draining_ = false;
}

bool WorkQueue::shuttingDown() const {
  std::lock_guard lock(mutex_);
  return shutting_down_;
}

size_t WorkQueue::len() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

size_t WorkQueue::waitingCount() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

size_t WorkQueue::processingCount() const {
  std::lock_guard lock(mutex_);
  return processing_.size();
}

}  // namespace zkop::runtime
