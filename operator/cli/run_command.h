#pragma once

#include <string>

namespace zkop::cli {

struct RunOptions {
  std::string kubeconfig;  // empty: $KUBECONFIG, ~/.kube/config, then in-cluster
  std::string context;
  std::string watchNamespace;  // empty: all namespaces
  bool leaderElect = true;
  std::string leaderElectionNamespace;  // empty: the kubeconfig's namespace
  std::string leaderElectionId = "zkop-leader";
  std::string metricsBindAddress = ":8080";
  std::string healthProbeBindAddress = ":8081";
  std::string logFormat = "text";
  std::string logLevel = "info";
  int workers = 2;
};

// `zkop run`: the operator. Connects as kubectl would, runs informers and the
// ZookeeperCluster controller (only while it holds the Lease when leader election is on),
// serves /metrics, /healthz and /readyz, and stops cleanly on SIGTERM/SIGINT (in-flight
// reconciles finish, then the Lease is released). Returns the process exit code.
int runOperator(const RunOptions& options);

}  // namespace zkop::cli
