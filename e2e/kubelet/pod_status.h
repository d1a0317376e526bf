#pragma once

// What the engine knows about a pod, shaped as Kubernetes' PodStatus so the caller can
// write it into the pod's `status` (toJson) and read fields directly (tests).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace zkop::sandbox::kubelet {

using WallTime = std::chrono::system_clock::time_point;

// RFC 3339 in UTC, as Kubernetes writes times: 2026-11-22T02:20:31Z.
std::string rfc3339(WallTime t);

struct TerminatedState {
  int exitCode = 0;
  int signal = 0;
  std::string reason;  // Completed, Error
  std::string message;
  WallTime startedAt;
  WallTime finishedAt;
};

struct ContainerStatus {
  enum class State { Waiting, Running, Terminated };
  std::string name;
  State state = State::Waiting;
  std::string waitingReason = "ContainerCreating";  // ContainerCreating, CrashLoopBackOff,
  std::string waitingMessage;                       // CreateContainerConfigError, ...
  WallTime runningSince;
  std::optional<TerminatedState> terminated;  // state == Terminated
  std::optional<TerminatedState> lastState;   // the run before the current one
  bool ready = false;
  bool started = false;  // startup probe passed (or none) while running
  int restartCount = 0;
  int pid = 0;  // host PID of the container's init, 0 when not running

  nlohmann::json toJson() const;
};

struct PodCondition {
  std::string type;  // Initialized, ContainersReady, Ready, PodScheduled
  bool status = false;
  std::string reason;
  WallTime lastTransitionTime;
};

struct PodStatus {
  std::string phase = "Pending";  // Pending, Running, Succeeded, Failed
  std::string podIP;
  std::string hostIP;
  std::optional<WallTime> startTime;
  std::vector<PodCondition> conditions;
  std::vector<ContainerStatus> containers;
  bool ready = false;

  const ContainerStatus* container(const std::string& name) const;
  // The pod's `status` object (phase, conditions, podIP(s), hostIP, startTime,
  // containerStatuses).
  nlohmann::json toJson() const;
};

}  // namespace zkop::sandbox::kubelet
