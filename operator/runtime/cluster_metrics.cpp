#include "operator/runtime/cluster_metrics.h"

namespace zkop::runtime {

const std::vector<std::string>& ClusterMetrics::phases() {
  static const std::vector<std::string> kPhases = {"Creating",  "Running",  "Upgrading", "Scaling",
                                                   "Migrating", "Degraded", "Failed"};
  return kPhases;
}

ClusterMetrics::ClusterMetrics(Metrics& metrics)
    : voters_(metrics.gaugeFamily("zkop_cluster_voters", "Voting members in the ensemble")),
      observers_(metrics.gaugeFamily("zkop_cluster_observers", "Observers in the ensemble")),
      ready_(metrics.gaugeFamily("zkop_cluster_ready_members", "Members serving and synced")),
      leader_(metrics.gaugeFamily("zkop_cluster_leader_myid",
                                  "myid of the current leader, -1 when unknown")),
      degraded_(metrics.gaugeFamily(
          "zkop_cluster_degraded",
          "1 while members the config lists are down without zkop taking them down")),
      phase_(metrics.gaugeFamily("zkop_cluster_phase", "1 for the cluster's current phase")),
      operation_(metrics.gaugeFamily("zkop_cluster_operation_in_progress",
                                     "1 while an operation of this kind is in progress")),
      steps_(prometheus::BuildHistogram()
                 .Name("zkop_operation_step_duration_seconds")
                 .Help("Duration of each completed operation step")
                 .Register(*metrics.registry())) {}

void ClusterMetrics::observe(const std::string& ns, const std::string& name,
                             const ClusterObservation& seen) {
  const prometheus::Labels base{{"namespace", ns}, {"name", name}};
  std::lock_guard lock(mutex_);
  auto& series = series_[ns + "/" + name];
  auto set = [&](prometheus::Family<prometheus::Gauge>& family, const prometheus::Labels& labels,
                 double value) {
    auto& gauge = family.Add(labels);
    gauge.Set(value);
    for (const auto& [f, g] : series) {
      if (g == &gauge) return;
    }
    series.emplace_back(&family, &gauge);
  };
  set(voters_, base, seen.voters);
  set(observers_, base, seen.observers);
  set(ready_, base, seen.ready_members);
  set(leader_, base, seen.leader_myid ? *seen.leader_myid : -1);
  set(degraded_, base, seen.degraded ? 1 : 0);
  for (const auto& phase : phases()) {
    auto labels = base;
    labels["phase"] = phase;
    set(phase_, labels, phase == seen.phase ? 1 : 0);
  }
  // Every operation kind this cluster has had keeps a series; only the current one is 1.
  for (const auto& [family, gauge] : series) {
    if (family == &operation_) gauge->Set(0);
  }
  if (!seen.operation.empty()) {
    auto labels = base;
    labels["operation"] = seen.operation;
    set(operation_, labels, 1);
  }
}

void ClusterMetrics::stepCompleted(const std::string& ns, const std::string& name,
                                   const std::string& operation, const std::string& step,
                                   Clock::Duration took) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {0.1, 0.5, 1,   2,   5,   10,
                                                                   30,  60,  120, 300, 600, 1800};
  steps_
      .Add({{"namespace", ns}, {"name", name}, {"operation", operation}, {"step", step}}, kBuckets)
      .Observe(std::chrono::duration<double>(took).count());
}

void ClusterMetrics::forget(const std::string& ns, const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = series_.find(ns + "/" + name);
  if (it == series_.end()) return;
  for (const auto& [family, gauge] : it->second) family->Remove(gauge);
  series_.erase(it);
}

}  // namespace zkop::runtime
