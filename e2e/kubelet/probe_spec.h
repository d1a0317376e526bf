#pragma once

// A container's probes and lifecycle hooks as data: the handler (exec, tcpSocket,
// httpGet) and the timing fields, defaulted as the API server defaults them.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/kubelet/kubelet_error.h"

namespace zkop::sandbox::kubelet {

struct ExecAction {
  std::vector<std::string> command;
};
struct TcpSocketAction {
  std::string host;  // empty: the pod IP
  int port = 0;
};
struct HttpGetAction {
  std::string host;  // empty: the pod IP
  int port = 0;
  std::string path = "/";
  std::vector<std::pair<std::string, std::string>> headers;
};
using Handler = std::variant<ExecAction, TcpSocketAction, HttpGetAction>;

enum class ProbeKind { Startup, Liveness, Readiness };
const char* probeKindName(ProbeKind kind);

struct ProbeTiming {
  std::chrono::seconds initialDelay{0};
  std::chrono::seconds period{10};
  std::chrono::seconds timeout{1};
  int successThreshold = 1;
  int failureThreshold = 3;
};

struct ProbeSpec {
  ProbeKind kind = ProbeKind::Readiness;
  Handler handler;
  ProbeTiming timing;
};

// A handler object (probe or lifecycle hook). Named ports resolve through the container's
// `ports`. grpc and unknown handlers are errors.
Result<Handler> parseHandler(const nlohmann::json& object, const nlohmann::json& container);

// The container's probe of `kind`, nullopt when it has none.
Result<std::optional<ProbeSpec>> parseProbe(const nlohmann::json& container, ProbeKind kind);

}  // namespace zkop::sandbox::kubelet
