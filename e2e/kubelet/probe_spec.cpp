#include "e2e/kubelet/probe_spec.h"

namespace zkop::sandbox::kubelet {
namespace {

using Json = nlohmann::json;

Result<int> resolvePort(const Json& port, const Json& container) {
  if (port.is_number_integer()) return port.get<int>();
  if (port.is_string()) {
    const auto name = port.get<std::string>();
    if (container.contains("ports")) {
      for (const auto& p : container["ports"]) {
        if (p.value("name", "") == name) return p.value("containerPort", 0);
      }
    }
    // A numeric string is accepted by the API as an IntOrString too.
    if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) {
      return std::stoi(name);
    }
    return specError("port " + name, "no container port of that name");
  }
  return specError("port", "missing");
}

std::chrono::seconds secondsAt(const Json& o, const char* key, int fallback) {
  return std::chrono::seconds(o.contains(key) ? o[key].get<int>() : fallback);
}

}  // namespace

const char* probeKindName(ProbeKind kind) {
  switch (kind) {
    case ProbeKind::Startup:
      return "startup";
    case ProbeKind::Liveness:
      return "liveness";
    case ProbeKind::Readiness:
      return "readiness";
  }
  return "?";
}

Result<Handler> parseHandler(const Json& object, const Json& container) {
  if (object.contains("exec")) {
    ExecAction exec;
    for (const auto& arg : object["exec"].value("command", Json::array())) {
      exec.command.push_back(arg.get<std::string>());
    }
    if (exec.command.empty()) return specError("exec", "empty command");
    return exec;
  }
  if (object.contains("tcpSocket")) {
    const Json& t = object["tcpSocket"];
    auto port = resolvePort(t.value("port", Json()), container);
    if (!port) return std::unexpected(port.error());
    return TcpSocketAction{t.value("host", ""), *port};
  }
  if (object.contains("httpGet")) {
    const Json& h = object["httpGet"];
    auto port = resolvePort(h.value("port", Json()), container);
    if (!port) return std::unexpected(port.error());
    if (h.value("scheme", "HTTP") != "HTTP") return specError("httpGet", "only HTTP is supported");
    HttpGetAction get{h.value("host", ""), *port, h.value("path", "/"), {}};
    for (const auto& header : h.value("httpHeaders", Json::array())) {
      get.headers.emplace_back(header.value("name", ""), header.value("value", ""));
    }
    return get;
  }
  return specError("handler", "no exec, tcpSocket or httpGet (grpc is not supported)");
}

Result<std::optional<ProbeSpec>> parseProbe(const Json& container, ProbeKind kind) {
  const std::string key = std::string(probeKindName(kind)) + "Probe";
  if (!container.contains(key)) return std::optional<ProbeSpec>();
  const Json& p = container[key];
  auto handler = parseHandler(p, container);
  if (!handler) {
    auto e = handler.error();
    e.step = key + " " + e.step;
    return std::unexpected(e);
  }
  ProbeSpec spec{kind, *handler, {}};
  spec.timing.initialDelay = secondsAt(p, "initialDelaySeconds", 0);
  spec.timing.period = secondsAt(p, "periodSeconds", 10);
  spec.timing.timeout = secondsAt(p, "timeoutSeconds", 1);
  spec.timing.successThreshold = p.value("successThreshold", 1);
  spec.timing.failureThreshold = p.value("failureThreshold", 3);
  // The API server forces successThreshold 1 for liveness and startup probes.
  if (kind != ProbeKind::Readiness) spec.timing.successThreshold = 1;
  return std::optional<ProbeSpec>(spec);
}

}  // namespace zkop::sandbox::kubelet
