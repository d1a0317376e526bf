#pragma once

// The delay before a crashed container is started again (CrashLoopBackOff): base,
// doubling per restart up to cap, back to base once a run lasted resetAfter. Kubernetes
// uses 10 s, 300 s and 10 min; the sandbox defaults are short so that tests of crashing
// pods finish quickly, and every delay is configurable (PodRunner::Config).

#include <algorithm>
#include <chrono>

namespace zkop::sandbox::kubelet {

struct BackoffPolicy {
  std::chrono::milliseconds base{500};
  std::chrono::milliseconds cap{8000};
  std::chrono::milliseconds resetAfter{60000};
};

class RestartBackoff {
 public:
  explicit RestartBackoff(BackoffPolicy policy = {}) : policy_(policy) {}

  // The delay before the next start, given how long the run that just ended lasted.
  std::chrono::milliseconds next(std::chrono::milliseconds lastRun) {
    if (lastRun >= policy_.resetAfter) current_ = std::chrono::milliseconds(0);
    current_ = current_.count() == 0 ? policy_.base : std::min(current_ * 2, policy_.cap);
    return current_;
  }
  const BackoffPolicy& policy() const { return policy_; }

 private:
  BackoffPolicy policy_;
  std::chrono::milliseconds current_{0};
};

}  // namespace zkop::sandbox::kubelet
