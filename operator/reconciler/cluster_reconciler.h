#pragma once

// Reconciles one ZookeeperCluster, one planner step per pass (docs/reconciler.md):
//
//   validate → super-user Secret → observe (API + every member) → plan the next step →
//   record it in status.operation → render and apply the objects (the step's records:
//   myids, server list, pod counts) → perform the step's I/O on the members → status.
//
// The planner keeps no state and the operator keeps none in memory: every pass starts from
// what the API and the members say, so a crashed operator resumes where the evidence is.
// Invalid specs and unsafe changes are refused with a condition and a Warning event and
// nothing else is touched (members are still observed and reported);
// `spec.updatePolicy.paused` observes and reports only.

#include <memory>
#include <string>
#include <vector>

#include "controllers/api/json.h"
#include "controllers/planner/observed_ensemble.h"
#include "controllers/reconciler/degradation.h"
#include "controllers/reconciler/member_status.h"
#include "operator/reconciler/cluster_observer.h"
#include "operator/reconciler/step_actuator.h"
#include "operator/runtime/client.h"
#include "operator/runtime/clock.h"
#include "operator/runtime/cluster_metrics.h"
#include "operator/runtime/controller.h"
#include "operator/runtime/event_recorder.h"
#include "operator/runtime/store.h"

namespace zkop::reconciler {

inline constexpr std::string_view kFinalizer = "zkop.io/cleanup";

struct ReconcilerTiming {
  // Look again this soon while a step's evidence is awaited.
  runtime::Clock::Duration whileChanging = std::chrono::seconds(1);
  // Refresh status (members, leader) this often when nothing changes.
  runtime::Clock::Duration whenSettled = std::chrono::seconds(30);
  // A refused change is looked at again this often (the user may fix it by other means).
  runtime::Clock::Duration whenBlocked = std::chrono::seconds(15);
};

class ClusterReconciler {
 public:
  ClusterReconciler(std::shared_ptr<runtime::Client> client, const runtime::Store& clusters,
                    std::shared_ptr<runtime::EventRecorder> events,
                    std::shared_ptr<runtime::Clock> clock,
                    AdminFactory admins = cClientAdminFactory(), ReconcilerTiming timing = {},
                    ProbeConfig probes = {});

  runtime::ReconcileResult reconcile(const std::string& key);

  // The zkop_cluster_* gauges and the step-duration histogram (optional).
  void setMetrics(std::shared_ptr<runtime::ClusterMetrics> metrics) {
    metrics_ = std::move(metrics);
  }

 private:
  struct EnsembleReport {
    MemberSummary summary{};
    Degradation degradation{};
  };

  runtime::ReconcileResult cleanup(const Json& object);
  // What this pass saw of the members: status.members, leader, readyReplicas, replicas,
  // configVersion, currentVersion, and the QuorumAvailable and Degraded conditions (a Warning
  // event when Degraded is raised or changes reason).
  EnsembleReport reportEnsemble(const Json& object, const observe::ClusterFacts& facts,
                                const planner::ObservedEnsemble& observed,
                                api::ZookeeperClusterStatus& status,
                                std::vector<api::Condition>& conditions, std::int64_t generation,
                                const std::string& now);
  // Writes `status` through /status when it differs from what `object` has; returns the
  // object as stored afterwards.
  std::expected<Json, runtime::ReconcileError> writeStatus(const Json& object, const Json& status);

  std::shared_ptr<runtime::Client> client_;
  const runtime::Store& clusters_;
  std::shared_ptr<runtime::EventRecorder> events_;
  std::shared_ptr<runtime::Clock> clock_;
  ClusterObserver observer_;
  StepActuator actuator_;
  ReconcilerTiming timing_;
  std::shared_ptr<runtime::ClusterMetrics> metrics_;
};

}  // namespace zkop::reconciler
