#include "operator/cli/run_command.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <random>

#include "operator/reconciler/cluster_reconciler.h"
#include "operator/runtime/cpprest_transport.h"
#include "operator/runtime/kubeconfig.h"
#include "operator/runtime/logging.h"
#include "operator/runtime/manager.h"
#include "operator/runtime/resource.h"
#include "operator/runtime/signals.h"

namespace zkop::cli {
namespace {

std::string processIdentity() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::random_device random;
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%08x", random());
  return std::string(host) + "_" + suffix;
}

}  // namespace

int runOperator(const RunOptions& options) {
  using namespace runtime;
  SignalWatcher signals{std::stop_source{}};  // before any thread starts
  if (auto logging = configureLogging(options.logFormat, options.logLevel); !logging) {
    spdlog::error("{}", logging.error().describe());
    return 2;
  }
  auto config = loadRestConfig(ConfigOptions::fromProcess(options.kubeconfig, options.context));
  if (!config) {
    spdlog::error("cannot load a Kubernetes configuration: {}", config.error().describe());
    return 2;
  }
  auto transport = makeCpprestTransport(*config);
  if (!transport) {
    spdlog::error("cannot set up the connection to {}: {}", config->server,
                  transport.error().describe());
    return 2;
  }
  auto metrics = std::make_shared<Metrics>();
  ClientConfig clientConfig;
  clientConfig.on_request = metrics->restClientObserver(config->server);
  auto client =
      std::make_shared<Client>(std::shared_ptr<HttpTransport>(std::move(*transport)), clientConfig);
  auto clock = std::make_shared<SystemClock>();

  ManagerConfig managerConfig;
  managerConfig.metrics_bind_address = options.metricsBindAddress;
  managerConfig.health_probe_bind_address = options.healthProbeBindAddress;
  managerConfig.leader_election = options.leaderElect;
  managerConfig.leader_election_config.lease_namespace =
      options.leaderElectionNamespace.empty()
          ? (config->namespace_name.empty() ? "default" : config->namespace_name)
          : options.leaderElectionNamespace;
  managerConfig.leader_election_config.lease_name = options.leaderElectionId;
  managerConfig.leader_election_config.identity = processIdentity();
  spdlog::info("zkop starting as {} against {} (leader election {})",
               managerConfig.leader_election_config.identity, config->server,
               options.leaderElect ? "on" : "off");

  Manager manager(client, managerConfig, clock, metrics);
  auto& clusters = manager.addInformer(
      InformerConfig(resources::kZookeeperCluster).inNamespace(options.watchNamespace));
  auto events = std::make_shared<EventRecorder>(client, clock, "zkop",
                                                managerConfig.leader_election_config.identity);
  auto reconciler =
      std::make_shared<reconciler::ClusterReconciler>(client, clusters.store(), events, clock);
  auto& controller = manager.addController(
      ControllerConfig().withName("zookeepercluster").withWorkers(options.workers),
      [reconciler](const std::string& key) { return reconciler->reconcile(key); });
  clusters.addHandler(controller.forPrimary());

  auto result = manager.run(signals.token());
  if (!result) {
    spdlog::error("zkop stopped: {}", result.error().describe());
    return 1;
  }
  spdlog::info("zkop stopped");
  return 0;
}

}  // namespace zkop::cli
