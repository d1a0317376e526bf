#pragma once

// Runs one probe or lifecycle handler against a running container, as the kubelet does:
//  - exec: the command inside the container (its mount/UTS namespaces, root, env, user);
//    success is exit code 0;
//  - tcpSocket: a TCP connect to host (default: the pod IP) and port;
//  - httpGet: GET path with the given headers; success is a status in 200..399.
// Everything is bounded by the timeout. Failures are outcomes, not errors.
//
// Thread-safe: stateless; the pod runner calls it from short-lived probe threads.

#include <sys/types.h>

#include <chrono>
#include <string>

#include "e2e/kubelet/container_process.h"
#include "e2e/kubelet/probe_spec.h"

namespace zkop::sandbox::kubelet {

struct HandlerContext {
  std::string podIP;
  pid_t containerPid = 0;
  ExecRequest execBase;  // env, working dir and user of the container; argv is replaced
};

struct HandlerOutcome {
  bool success = false;
  std::string message;  // why it failed (or the exec output)
};

HandlerOutcome runHandler(const Handler& handler, const HandlerContext& context,
                          std::chrono::milliseconds timeout);

}  // namespace zkop::sandbox::kubelet
