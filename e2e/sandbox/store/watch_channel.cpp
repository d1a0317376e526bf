#include "e2e/sandbox/store/watch_channel.h"

namespace zkop::sandbox {

void WatchChannel::push(EventPtr event) {
  {
    std::lock_guard lock(mutex_);
    latest_ = event->resource_version;
    queue_.push_back(std::move(event));
  }
  cv_.notify_one();
}

void WatchChannel::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  cv_.notify_all();
}

WatchChannel::Batch WatchChannel::wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return closed_ || !queue_.empty(); });
  Batch batch;
  batch.events.assign(queue_.begin(), queue_.end());
  queue_.clear();
  batch.closed = closed_;
  batch.latest = latest_;
  return batch;
}

}  // namespace zkop::sandbox
