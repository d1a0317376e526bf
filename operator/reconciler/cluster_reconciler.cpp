#include "operator/reconciler/cluster_reconciler.h"

#include "controllers/api/defaults.h"
#include "controllers/api/json_codec.h"
#include "controllers/api/validation.h"
#include "controllers/planner/planner.h"
#include "controllers/reconciler/conditions.h"
#include "controllers/reconciler/desired_ensemble.h"
#include "controllers/reconciler/observed_json.h"
#include "controllers/render/names.h"
#include "operator/runtime/encoding.h"
#include "operator/runtime/finalizer.h"
#include "operator/runtime/resource.h"

namespace zkop::reconciler {
namespace {

using runtime::Action;
using runtime::ReconcileError;

std::string summary(const api::FieldErrors& errors) {
  std::string text;
  for (const auto& e : errors) text += (text.empty() ? "" : "; ") + e.toString();
  return text;
}

}  // namespace

ClusterReconciler::ClusterReconciler(std::shared_ptr<runtime::Client> client,
                                     const runtime::Store& clusters,
                                     std::shared_ptr<runtime::EventRecorder> events,
                                     std::shared_ptr<runtime::Clock> clock)
    : client_(std::move(client)),
      clusters_(clusters),
      events_(std::move(events)),
      clock_(std::move(clock)) {}

runtime::ReconcileResult ClusterReconciler::reconcile(const std::string& key) {
  const auto cached = clusters_.get(key);
  if (!cached) return Action::done();  // deleted; owned objects go with it (owner references)
  const Json& object = *cached;

  switch (runtime::finalizerState(object, kFinalizer)) {
    case runtime::FinalizerState::kCleanup:
      return cleanup(object);
    case runtime::FinalizerState::kMissing: {
      auto added = runtime::addFinalizer(*client_, runtime::resources::kZookeeperCluster, object,
                                         kFinalizer);
      if (!added) return std::unexpected(ReconcileError::from("add finalizer", added.error()));
      return Action::done();  // the update comes back as a watch event
    }
    default:
      break;
  }

  auto decoded = api::decodeCluster(object);
  auto cluster = decoded.cluster;
  api::applyDefaults(cluster);
  auto errors = api::validateDocument(object);
  const auto generation = cluster.generation();
  const auto now = runtime::formatRfc3339(clock_->wallNow());
  auto status = cluster.status.value_or(api::ZookeeperClusterStatus{});
  auto conditions = status.conditions.value_or(std::vector<api::Condition>{});

  status.observedGeneration = generation;
  status.selector = render::selectorString(cluster.name());
  status.targetVersion = cluster.spec.version;
  if (!status.replicas) status.replicas = 0;

  if (!errors.empty()) {
    const auto message = summary(errors);
    const auto* ready = findCondition(conditions, condition::kReady);
    if (ready == nullptr || ready->reason != "InvalidSpec" || ready->message != message) {
      (void)events_->warning(object, "InvalidSpec", message);  // events are best effort
    }
    setCondition(conditions, condition::kReady, false, "InvalidSpec", message, generation, now);
    setCondition(conditions, condition::kProgressing, false, "InvalidSpec",
                 "the spec is refused; nothing is changed", generation, now);
    status.phase = api::Phase::Failed;
    status.conditions = conditions;
    return writeStatus(object, api::encodeStatus(status));
  }

  // What the planner would do next from what the status records.
  const auto next = planner::nextStep(desiredEnsemble(cluster), observedFromStatus(cluster));
  const bool done = std::holds_alternative<planner::Done>(next);
  const bool blocked = std::holds_alternative<planner::Blocked>(next);
  if (blocked) {
    const auto* progressing = findCondition(conditions, condition::kProgressing);
    const auto message = planner::describe(next);
    if (progressing == nullptr || progressing->message != message) {
      (void)events_->warning(object, "Blocked", message);
    }
  }
  setCondition(conditions, condition::kProgressing, !done && !blocked,
               done      ? "Settled"
               : blocked ? "Blocked"
                         : "StepPending",
               done ? "the ensemble is as the spec says"
                    : planner::describe(next) + " (awaits the member actuator)",
               generation, now);
  setCondition(conditions, condition::kReady, done, done ? "Running" : "Creating",
               done ? "every member runs as the spec says" : "members are not running yet",
               generation, now);
  if (!status.phase || *status.phase == api::Phase::Failed) {
    status.phase = done ? api::Phase::Running : api::Phase::Creating;
  }
  status.conditions = conditions;
  return writeStatus(object, api::encodeStatus(status));
}

runtime::ReconcileResult ClusterReconciler::cleanup(const Json& object) {
  auto cluster = api::decodeCluster(object).cluster;
  api::applyDefaults(cluster);
  const auto policy = cluster.spec.persistence.value_or(api::PersistenceSpec{})
                          .reclaimPolicy.value_or(api::ReclaimPolicy::Retain);
  if (policy == api::ReclaimPolicy::Delete) {
    runtime::ListOptions options;
    options.label_selector = render::selectorString(cluster.name());
    auto claims =
        client_->list(runtime::resources::kPersistentVolumeClaim, cluster.namespace_(), options);
    if (!claims) return std::unexpected(ReconcileError::from("list data volumes", claims.error()));
    for (const auto& claim : claims->items) {
      const auto name = claim["metadata"].value("name", "");
      auto removed =
          client_->remove(runtime::resources::kPersistentVolumeClaim, cluster.namespace_(), name);
      if (!removed && removed.error().category != runtime::ErrorCategory::kNotFound) {
        return std::unexpected(ReconcileError::from("delete data volume " + name, removed.error()));
      }
    }
    (void)events_->normal(object, "VolumesDeleted",
                          std::to_string(claims->items.size()) +
                              " data volume(s) deleted (persistence.reclaimPolicy: Delete)");
  }
  auto removed =
      runtime::removeFinalizer(*client_, runtime::resources::kZookeeperCluster, object, kFinalizer);
  if (!removed) return std::unexpected(ReconcileError::from("remove finalizer", removed.error()));
  return Action::done();
}

runtime::ReconcileResult ClusterReconciler::writeStatus(const Json& object, const Json& status) {
  if (object.value("status", Json::object()) == status) return Action::done();  // nothing to say
  Json updated = object;
  updated["status"] = status;
  auto written = client_->updateStatus(runtime::resources::kZookeeperCluster,
                                       object["metadata"].value("namespace", ""), updated);
  if (!written) return std::unexpected(ReconcileError::from("update status", written.error()));
  return Action::done();
}

}  // namespace zkop::reconciler
