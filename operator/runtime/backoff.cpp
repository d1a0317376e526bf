#include "operator/runtime/backoff.h"

#include <algorithm>
#include <mutex>
#include <random>

namespace zkop::runtime {

RandomSource defaultRandomSource() {
  struct State {
    std::mutex mutex;
    std::mt19937_64 engine{std::random_device{}()};
    std::uniform_real_distribution<double> dist{0.0, 1.0};
  };
  auto state = std::make_shared<State>();
  return [state] {
    std::lock_guard lock(state->mutex);
    return state->dist(state->engine);
  };
}

Backoff::Backoff(BackoffConfig config, RandomSource random)
    : config_(config), random_(std::move(random)) {}

Clock::Duration Backoff::next() {
  if (current_ == Clock::Duration::zero()) {
    current_ = config_.initial;
  } else {
    current_ = std::min(config_.cap,
                        std::chrono::duration_cast<Clock::Duration>(current_ * config_.factor));
  }
  double extra = config_.jitter > 0 ? random_() * config_.jitter : 0.0;
  return current_ + std::chrono::duration_cast<Clock::Duration>(current_ * extra);
}

}  // namespace zkop::runtime
