#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "operator/runtime/clock.h"
#include "operator/runtime/credentials.h"
#include "operator/runtime/rest_config.h"

namespace zkop::runtime {

// Inputs to configuration loading. The environment is passed in rather than read inside so
// tests can use temp dirs; fromProcess() fills it from the real environment.
struct ConfigOptions {
  std::string kubeconfig_path;                // --kubeconfig: exactly this file, no merging
  std::string context;                        // --context: overrides current-context
  std::optional<std::string> kubeconfig_env;  // $KUBECONFIG, a ':'-separated path list
  std::string home;                           // $HOME, for ~/.kube/config
  // In-cluster inputs.
  std::optional<std::string> service_host;  // $KUBERNETES_SERVICE_HOST
  std::optional<std::string> service_port;  // $KUBERNETES_SERVICE_PORT
  std::filesystem::path service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";

  std::shared_ptr<Clock> clock = std::make_shared<SystemClock>();
  CommandRunner exec_runner = runCommand;

  static ConfigOptions fromProcess(std::string kubeconfig_path = {}, std::string context = {});
};

// kubectl's rules: --kubeconfig alone if given (it must exist); otherwise every file in
// $KUBECONFIG that exists, merged so that the first file to define a cluster, user, context or
// current-context wins; otherwise ~/.kube/config. Relative file references resolve against the
// file that holds them. --context overrides current-context.
Result<RestConfig> loadKubeconfig(const ConfigOptions& options);

// The pod's service account: token (re-read as the kubelet rotates it), ca.crt and namespace
// from service_account_dir; the server from KUBERNETES_SERVICE_HOST/PORT.
Result<RestConfig> loadInClusterConfig(const ConfigOptions& options);

// controller-runtime's order: --kubeconfig, then $KUBECONFIG, then in-cluster, then
// ~/.kube/config. The error names every source tried when none works.
Result<RestConfig> loadRestConfig(const ConfigOptions& options);

}  // namespace zkop::runtime
