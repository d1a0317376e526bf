#pragma once

#include <chrono>
#include <mutex>

#include "operator/runtime/clock.h"

namespace zkop::runtime::testing {

// A clock that moves only when the test says so. Waiters re-check it in short real-time
// slices, so advance() wakes them without the clock having to know their mutexes; what they
// wait for is still decided by fake time only.
class FakeClock final : public Clock {
 public:
  FakeClock()
      : now_(std::chrono::hours(1000)),
        wall_epoch_(std::chrono::sys_days(std::chrono::year(2026) / 1 / 1)) {}

  TimePoint now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  WallTime wallNow() const override {
    std::lock_guard lock(mutex_);
    return wall_epoch_ + std::chrono::duration_cast<WallTime::duration>(now_.time_since_epoch());
  }
  void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 TimePoint deadline) override {
    if (now() >= deadline) return;
    cv.wait_for(lock, std::chrono::milliseconds(1));
  }

  void advance(Duration d) {
    std::lock_guard lock(mutex_);
    now_ += d;
  }

 private:
  mutable std::mutex mutex_;
  TimePoint now_;
  WallTime wall_epoch_;
};

}  // namespace zkop::runtime::testing
