#include "operator/cli/run_command.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <random>

#include "controllers/render/names.h"
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

// The reconcile key of the cluster an object belongs to, from its instance label.
runtime::EventHandler enqueueInstance(runtime::Controller& controller) {
  auto enqueue = [&controller](const runtime::ObjectPtr& object) {
    const auto& metadata = (*object)["metadata"];
    const auto instance =
        metadata.value("labels", Json::object()).value(std::string(render::labels::kInstance), "");
    if (!instance.empty()) controller.enqueue(metadata.value("namespace", "") + "/" + instance);
  };
  return {.on_add = enqueue,
          .on_update = [enqueue](const runtime::ObjectPtr&,
                                 const runtime::ObjectPtr& object) { enqueue(object); },
          .on_delete = enqueue};
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
  // Changes to a cluster's pods, StatefulSets and ConfigMap wake its reconcile: a member that
  // restarts or a pod that becomes ready is evidence a waiting step needs. Pods are owned by
  // StatefulSets, not by the cluster, so the cluster is found by its instance label.
  const auto selector = std::string(render::labels::kName) + "=zookeeper";
  for (const auto* resource :
       {&resources::kPod, &resources::kStatefulSet, &resources::kConfigMap}) {
    auto& informer = manager.addInformer(
        InformerConfig(*resource).inNamespace(options.watchNamespace).withLabels(selector));
    informer.addHandler(enqueueInstance(controller));
  }

  auto result = manager.run(signals.token());
  if (!result) {
    spdlog::error("zkop stopped: {}", result.error().describe());
    return 1;
  }
  spdlog::info("zkop stopped");
  return 0;
}

}  // namespace zkop::cli
