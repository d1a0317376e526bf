#pragma once

#include <functional>
#include <memory>

#include "operator/runtime/clock.h"

namespace zkop::runtime {

// A source of uniform doubles in [0, 1); injected so backoff jitter is reproducible in tests.
using RandomSource = std::function<double()>;
// A thread-safe mt19937 seeded from std::random_device.
RandomSource defaultRandomSource();

struct BackoffConfig {
  Clock::Duration initial = std::chrono::milliseconds(800);
  Clock::Duration cap = std::chrono::seconds(30);
  double factor = 2.0;
  // Each delay is d + random * jitter * d (client-go's wait.Jitter), so many replicas that
  // failed together do not retry together.
  double jitter = 1.0;

  BackoffConfig& withInitial(Clock::Duration d) {
    initial = d;
    return *this;
  }
  BackoffConfig& withCap(Clock::Duration d) {
    cap = d;
    return *this;
  }
  BackoffConfig& withJitter(double j) {
    jitter = j;
    return *this;
  }
};

// Exponential backoff with jitter: next() returns the delay before the next attempt.
// Thread-safety: not thread-safe; owned by one loop.
class Backoff {
 public:
  Backoff(BackoffConfig config, RandomSource random);
  Clock::Duration next();
  void reset() { current_ = Clock::Duration::zero(); }

 private:
  BackoffConfig config_;
  RandomSource random_;
  Clock::Duration current_{};
};

}  // namespace zkop::runtime
