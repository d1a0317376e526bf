#pragma once

// When a probe runs and what its results mean, as the kubelet's prober applies them; pure,
// time is passed in (tests drive it with a fake clock).
//  - The first probe runs initialDelay after the container started, then every period.
//  - A result flips only after successThreshold consecutive successes or failureThreshold
//    consecutive failures; until then the previous result stands.
//  - Initial results: readiness Failure (not ready), liveness Success, startup Unknown
//    (liveness and readiness wait until startup has succeeded; the runner enforces that).
//  - A probe that exceeds timeout counts as a failure (the executor reports it so).

#include <chrono>

#include "e2e/kubelet/probe_spec.h"

namespace zkop::sandbox::kubelet {

enum class ProbeResult { Unknown, Success, Failure };

class ProbeTracker {
 public:
  using Clock = std::chrono::steady_clock;

  ProbeTracker(ProbeKind kind, ProbeTiming timing, Clock::time_point containerStarted);

  // A probe should be launched now (the caller runs at most one at a time).
  bool due(Clock::time_point now) const { return now >= next_; }
  Clock::time_point nextDue() const { return next_; }
  void launched(Clock::time_point now) { next_ = now + timing_.period; }
  // Feeds one outcome; returns true when result() changed.
  bool record(bool success);

  ProbeResult result() const { return result_; }
  ProbeKind kind() const { return kind_; }
  const ProbeTiming& timing() const { return timing_; }
  int consecutive() const { return run_; }

 private:
  ProbeKind kind_;
  ProbeTiming timing_;
  Clock::time_point next_;
  ProbeResult result_;
  bool lastSuccess_ = false;
  int run_ = 0;  // consecutive outcomes equal to lastSuccess_
};

}  // namespace zkop::sandbox::kubelet
