#include "e2e/kubelet/probe_tracker.h"

namespace zkop::sandbox::kubelet {

ProbeTracker::ProbeTracker(ProbeKind kind, ProbeTiming timing, Clock::time_point containerStarted)
    : kind_(kind),
      timing_(timing),
      next_(containerStarted + timing.initialDelay),
      result_(kind == ProbeKind::Readiness  ? ProbeResult::Failure
              : kind == ProbeKind::Liveness ? ProbeResult::Success
                                            : ProbeResult::Unknown) {}

bool ProbeTracker::record(bool success) {
  if (run_ > 0 && success == lastSuccess_) {
    ++run_;
  } else {
    lastSuccess_ = success;
    run_ = 1;
  }
  const ProbeResult before = result_;
  if (success && run_ >= timing_.successThreshold) result_ = ProbeResult::Success;
  if (!success && run_ >= timing_.failureThreshold) result_ = ProbeResult::Failure;
  return result_ != before;
}

}  // namespace zkop::sandbox::kubelet
