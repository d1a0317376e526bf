#pragma once

#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "operator/runtime/client.h"
#include "operator/runtime/clock.h"
#include "operator/runtime/controller.h"
#include "operator/runtime/http_server.h"
#include "operator/runtime/informer.h"
#include "operator/runtime/leader_election.h"
#include "operator/runtime/metrics.h"

namespace zkop::runtime {

struct ManagerConfig {
  // "host:port", ":port" or "0" to disable (controller-runtime's convention).
  std::string metrics_bind_address = ":8080";
  std::string health_probe_bind_address = ":8081";
  bool leader_election = true;
  // Namespace, name and identity of the Lease; the manager sets the callbacks.
  LeaderElectionConfig leader_election_config;

  ManagerConfig& withMetrics(std::string a) {
    metrics_bind_address = std::move(a);
    return *this;
  }
  ManagerConfig& withProbes(std::string a) {
    health_probe_bind_address = std::move(a);
    return *this;
  }
  ManagerConfig& withLeaderElection(bool on) {
    leader_election = on;
    return *this;
  }
};

// Puts the pieces together the way controller-runtime's manager does:
//  - informers start at once (every replica keeps a warm cache) and /readyz turns 200 when
//    all have listed;
//  - controllers start only once this process leads and every informer has synced;
//  - on stop (SIGTERM): controllers drain their in-flight reconciles, then the lease is
//    released, then informers and servers stop;
//  - losing the lease is fatal: run() returns an error and the process should exit (its
//    controllers are stopped first), as controller-runtime does, so a restarted process
//    begins from a clean state.
//
// Thread-safety: configure (add*, healthz/readyz checks) before run(); run() once.
class Manager {
 public:
  Manager(std::shared_ptr<Client> client, ManagerConfig config,
          std::shared_ptr<Clock> clock = std::make_shared<SystemClock>(),
          std::shared_ptr<Metrics> metrics = std::make_shared<Metrics>());
  ~Manager();
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  Informer& addInformer(InformerConfig config);
  // A controller whose metrics (reconcile and work queue) are wired to this manager's registry.
  Controller& addController(ControllerConfig config, Reconciler reconciler,
                            ErrorPolicy error_policy = defaultErrorPolicy);

  std::shared_ptr<Client> client() const { return client_; }
  Metrics& metrics() { return *metrics_; }
  HealthChecks& healthz() { return healthz_; }
  HealthChecks& readyz() { return readyz_; }
  // The bound ports (useful with port 0 in tests); 0 until run() has started the servers.
  int metricsPort() const { return metrics_server_.port(); }
  int probePort() const { return probe_server_.port(); }
  bool isLeader() const;

  // Runs until `stop` fires (returns success) or leadership is lost or a server cannot start
  // (returns the error).
  Result<void> run(std::stop_token stop);

 private:
  void startControllers(const std::stop_token& stop);
  void stopControllers();

  std::shared_ptr<Client> client_;
  ManagerConfig config_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<Metrics> metrics_;
  std::vector<std::unique_ptr<Informer>> informers_;
  std::vector<std::unique_ptr<Controller>> controllers_;
  std::unique_ptr<LeaderElector> elector_;
  HealthChecks healthz_;
  HealthChecks readyz_;
  HttpServer metrics_server_;
  HttpServer probe_server_;
};

}  // namespace zkop::runtime
