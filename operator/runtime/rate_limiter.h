#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "operator/runtime/clock.h"

namespace zkop::runtime {

// How long a failed key waits before it is tried again (client-go's workqueue.RateLimiter).
//
// Thread-safety: implementations are internally locked.
class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // The delay before `key` may be processed again; counts one more failure for it.
  virtual Clock::Duration when(const std::string& key) = 0;
  // The key succeeded: reset its failure history.
  virtual void forget(const std::string& key) = 0;
  virtual int numRequeues(const std::string& key) = 0;
};

// base * 2^failures, capped: 5 ms, 10 ms, 20 ms … up to 1000 s with client-go's defaults.
class ItemExponentialRateLimiter final : public RateLimiter {
 public:
  ItemExponentialRateLimiter(Clock::Duration base = std::chrono::milliseconds(5),
                             Clock::Duration cap = std::chrono::seconds(1000));
  Clock::Duration when(const std::string& key) override;
  void forget(const std::string& key) override;
  int numRequeues(const std::string& key) override;

 private:
  Clock::Duration base_;
  Clock::Duration cap_;
  std::mutex mutex_;
  std::map<std::string, int> failures_;
};

// An overall token bucket (qps, burst) so that many failing keys together cannot hammer the
// API server: a reservation past the bucket waits for its token.
class BucketRateLimiter final : public RateLimiter {
 public:
  BucketRateLimiter(std::shared_ptr<Clock> clock, double qps = 10, int burst = 100);
  Clock::Duration when(const std::string& key) override;
  void forget(const std::string&) override {}
  int numRequeues(const std::string&) override { return 0; }

 private:
  std::shared_ptr<Clock> clock_;
  double qps_;
  double burst_;
  std::mutex mutex_;
  double tokens_;
  Clock::TimePoint last_;
};

// The longest delay any of its limiters asks for (client-go's MaxOfRateLimiter).
class MaxOfRateLimiter final : public RateLimiter {
 public:
  explicit MaxOfRateLimiter(std::vector<std::unique_ptr<RateLimiter>> limiters);
  Clock::Duration when(const std::string& key) override;
  void forget(const std::string& key) override;
  int numRequeues(const std::string& key) override;

 private:
  std::vector<std::unique_ptr<RateLimiter>> limiters_;
};

// client-go's DefaultControllerRateLimiter: per-item 5 ms → 1000 s, overall 10 qps / 100 burst.
std::unique_ptr<RateLimiter> defaultControllerRateLimiter(std::shared_ptr<Clock> clock);

}  // namespace zkop::runtime
