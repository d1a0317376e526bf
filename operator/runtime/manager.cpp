#include "operator/runtime/manager.h"

#include <spdlog/spdlog.h>

#include <thread>

namespace zkop::runtime {

Manager::Manager(std::shared_ptr<Client> client, ManagerConfig config, std::shared_ptr<Clock> clock,
                 std::shared_ptr<Metrics> metrics)
    : client_(std::move(client)),
      config_(std::move(config)),
      clock_(std::move(clock)),
      metrics_(std::move(metrics)) {
  healthz_.add("ping", [] { return std::optional<std::string>(); });
  readyz_.add("informers-synced", [this]() -> std::optional<std::string> {
    for (const auto& informer : informers_) {
      if (!informer->hasSynced()) return informer->config().resource.plural + " not synced";
    }
    return std::nullopt;
  });
}

Manager::~Manager() { stopControllers(); }

Informer& Manager::addInformer(InformerConfig config) {
  informers_.push_back(std::make_unique<Informer>(client_, clock_, std::move(config)));
  return *informers_.back();
}

Controller& Manager::addController(ControllerConfig config, Reconciler reconciler,
                                   ErrorPolicy error_policy) {
  Controller::Dependencies deps;
  deps.clock = clock_;
  deps.error_policy = std::move(error_policy);
  deps.metrics = metrics_;
  deps.queue_metrics = metrics_->workQueue(config.name);
  controllers_.push_back(
      std::make_unique<Controller>(std::move(config), std::move(reconciler), std::move(deps)));
  return *controllers_.back();
}

bool Manager::isLeader() const {
  if (!config_.leader_election) return true;
  return elector_ && elector_->isLeader();
}

void Manager::startControllers(const std::stop_token& stop) {
  // Reconciling from a half-filled cache would mistake "not listed yet" for "absent".
  for (const auto& informer : informers_) {
    if (!informer->waitForSync(stop)) return;
  }
  for (auto& controller : controllers_) controller->start();
  spdlog::info("manager: started {} controller(s)", controllers_.size());
}

void Manager::stopControllers() {
  for (auto& controller : controllers_) controller->stop();
}

Result<void> Manager::run(std::stop_token stop) {
  if (config_.metrics_bind_address != "0") {
    metrics_server_.handle("/metrics", [this](const std::string&) {
      return HttpServer::Response{200, "text/plain; version=0.0.4; charset=utf-8",
                                  metrics_->serialize()};
    });
    if (auto r = metrics_server_.start(config_.metrics_bind_address); !r) return r;
    spdlog::info("manager: serving /metrics on port {}", metrics_server_.port());
  }
  if (config_.health_probe_bind_address != "0") {
    probe_server_.handle("/healthz", [this](const std::string& q) { return healthz_.run(q); });
    probe_server_.handle("/readyz", [this](const std::string& q) { return readyz_.run(q); });
    if (auto r = probe_server_.start(config_.health_probe_bind_address); !r) {
      metrics_server_.stop();
      return r;
    }
    spdlog::info("manager: serving /healthz and /readyz on port {}", probe_server_.port());
  }

  std::vector<std::jthread> informer_threads;
  for (auto& informer : informers_) {
    informer_threads.emplace_back([&informer](std::stop_token st) { informer->run(st); });
  }

  Result<void> outcome;
  if (config_.leader_election) {
    LeaderElectionConfig le = config_.leader_election_config;
    const std::string lease = le.lease_name;
    metrics_->setLeader(lease, false);
    // Waiting for caches happens off the elector's thread: it must keep renewing meanwhile.
    std::jthread starter;
    le.on_started_leading = [this, &starter, lease] {
      metrics_->setLeader(lease, true);
      starter = std::jthread([this](std::stop_token st) { startControllers(st); });
    };
    le.on_stopped_leading = [this, &starter, lease] {
      if (starter.joinable()) {
        starter.request_stop();
        starter.join();
      }
      stopControllers();
      metrics_->setLeader(lease, false);
    };
    le.on_new_leader = [](const std::string& identity) {
      spdlog::info("manager: the leader is now {}", identity);
    };
    elector_ = std::make_unique<LeaderElector>(client_, clock_, std::move(le));
    elector_->run(stop);
    if (!stop.stop_requested()) {
      outcome = fail(ErrorCategory::kTransport,
                     "leader election lost: lease " + lease + " could not be renewed");
    }
  } else {
    startControllers(stop);
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait(lock, stop, [] { return false; });
    stopControllers();
  }

  for (auto& t : informer_threads) t.request_stop();
  informer_threads.clear();  // joins
  probe_server_.stop();
  metrics_server_.stop();
  return outcome;
}

}  // namespace zkop::runtime
