#include "e2e/kubelet/pod_status.h"

#include <ctime>

namespace zkop::sandbox::kubelet {
using Json = nlohmann::json;

std::string rfc3339(WallTime t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

namespace {

Json terminatedJson(const TerminatedState& t) {
  Json j = {{"exitCode", t.exitCode},
            {"reason", t.reason},
            {"startedAt", rfc3339(t.startedAt)},
            {"finishedAt", rfc3339(t.finishedAt)}};
  if (t.signal != 0) j["signal"] = t.signal;
  if (!t.message.empty()) j["message"] = t.message;
  return j;
}

}  // namespace

Json ContainerStatus::toJson() const {
  Json current = Json::object();
  switch (state) {
    case State::Waiting: {
      Json w = {{"reason", waitingReason}};
      if (!waitingMessage.empty()) w["message"] = waitingMessage;
      current["waiting"] = w;
      break;
    }
    case State::Running:
      current["running"] = {{"startedAt", rfc3339(runningSince)}};
      break;
    case State::Terminated:
      current["terminated"] = terminated ? terminatedJson(*terminated) : Json::object();
      break;
  }
  Json j = {
      {"name", name},
      {"ready", ready},
      {"started", started},
      {"restartCount", restartCount},
      {"state", current},
      {"lastState", lastState ? Json{{"terminated", terminatedJson(*lastState)}} : Json::object()},
      {"image", "sandbox"},
      {"imageID", ""}};
  if (pid != 0) j["containerID"] = "sandbox://" + std::to_string(pid);
  return j;
}

const ContainerStatus* PodStatus::container(const std::string& name) const {
  for (const auto& c : containers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Json PodStatus::toJson() const {
  Json conds = Json::array();
  for (const auto& c : conditions) {
    Json j = {{"type", c.type},
              {"status", c.status ? "True" : "False"},
              {"lastTransitionTime", rfc3339(c.lastTransitionTime)}};
    if (!c.reason.empty()) j["reason"] = c.reason;
    conds.push_back(j);
  }
  Json containerJson = Json::array();
  for (const auto& c : containers) containerJson.push_back(c.toJson());
  Json j = {{"phase", phase}, {"conditions", conds}, {"containerStatuses", containerJson}};
  if (!podIP.empty()) {
    j["podIP"] = podIP;
    j["podIPs"] = Json::array({{{"ip", podIP}}});
  }
  if (!hostIP.empty()) {
    j["hostIP"] = hostIP;
    j["hostIPs"] = Json::array({{{"ip", hostIP}}});
  }
  if (startTime) j["startTime"] = rfc3339(*startTime);
  return j;
}

}  // namespace zkop::sandbox::kubelet
