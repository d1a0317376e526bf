#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace zkop::runtime {

// Time as the runtime sees it. Everything that waits, backs off or stamps a Lease takes a
// Clock so tests can drive time by hand (FakeClock in tests/runtime) instead of sleeping.
//
// Thread-safety: implementations are safe to call from any thread.
class Clock {
 public:
  using Duration = std::chrono::steady_clock::duration;
  using TimePoint = std::chrono::steady_clock::time_point;
  using WallTime = std::chrono::system_clock::time_point;

  virtual ~Clock() = default;

  // Monotonic time, for deadlines and durations.
  virtual TimePoint now() const = 0;
  // Wall-clock time, for timestamps written to the API (Lease renewTime, Event lastTimestamp).
  virtual WallTime wallNow() const = 0;

  // Blocks on `cv` (whose mutex `lock` holds) until notified or until `deadline` on this clock.
  // Like condition_variable::wait_until it may wake spuriously; callers re-check their state.
  virtual void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                         TimePoint deadline) = 0;
};

// The process clock: steady_clock and system_clock.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::steady_clock::now(); }
  WallTime wallNow() const override { return std::chrono::system_clock::now(); }
  void waitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 TimePoint deadline) override {
    cv.wait_until(lock, deadline);
  }
};

}  // namespace zkop::runtime
