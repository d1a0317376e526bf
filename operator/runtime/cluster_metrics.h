#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "operator/runtime/clock.h"
#include "operator/runtime/metrics.h"

namespace zkop::runtime {

// What the operator last observed about one ZookeeperCluster, for the zkop_* gauges.
struct ClusterObservation {
  int voters = 0;
  int observers = 0;
  int ready_members = 0;
  std::optional<int> leader_myid;  // unknown → the gauge is -1
  std::string phase;               // Creating, Running, Upgrading, …
  std::string operation;           // "" when none is in progress
  bool degraded = false;           // the Degraded condition
};

// The operator's own per-cluster metrics, labelled {namespace, name}:
//   zkop_cluster_voters, zkop_cluster_observers, zkop_cluster_ready_members,
//   zkop_cluster_leader_myid, zkop_cluster_degraded (the Degraded condition as 0/1),
//   zkop_cluster_phase{phase} (1 for the current phase, 0 for the
//   others, kube-state-metrics style), zkop_cluster_operation_in_progress{operation},
//   zkop_operation_step_duration_seconds{operation,step} (histogram).
//
// Thread-safety: internally locked.
class ClusterMetrics {
 public:
  explicit ClusterMetrics(Metrics& metrics);

  void observe(const std::string& ns, const std::string& name, const ClusterObservation& seen);
  void stepCompleted(const std::string& ns, const std::string& name, const std::string& operation,
                     const std::string& step, Clock::Duration took);
  // The cluster is gone: drop its series so dashboards do not show it forever.
  void forget(const std::string& ns, const std::string& name);

  static const std::vector<std::string>& phases();

 private:
  prometheus::Family<prometheus::Gauge>& voters_;
  prometheus::Family<prometheus::Gauge>& observers_;
  prometheus::Family<prometheus::Gauge>& ready_;
  prometheus::Family<prometheus::Gauge>& leader_;
  prometheus::Family<prometheus::Gauge>& degraded_;
  prometheus::Family<prometheus::Gauge>& phase_;
  prometheus::Family<prometheus::Gauge>& operation_;
  prometheus::Family<prometheus::Histogram>& steps_;
  std::mutex mutex_;
  // Non-owning: the families own their metrics; kept to Remove() them in forget().
  std::map<std::string,
           std::vector<std::pair<prometheus::Family<prometheus::Gauge>*, prometheus::Gauge*>>>
      series_;
};

}  // namespace zkop::runtime
