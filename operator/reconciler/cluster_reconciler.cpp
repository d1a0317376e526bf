#include "operator/reconciler/cluster_reconciler.h"

#include <spdlog/spdlog.h>

#include "controllers/api/defaults.h"
#include "controllers/api/json_codec.h"
#include "controllers/api/validation.h"
#include "controllers/observe/observed_ensemble_builder.h"
#include "controllers/planner/plan_preview.h"
#include "controllers/planner/planner.h"
#include "controllers/reconciler/conditions.h"
#include "controllers/reconciler/degradation.h"
#include "controllers/reconciler/desired_ensemble.h"
#include "controllers/reconciler/member_status.h"
#include "controllers/reconciler/pod_admission.h"
#include "controllers/reconciler/server_list.h"
#include "controllers/render/names.h"
#include "controllers/render/render.h"
#include "operator/reconciler/departing_pools.h"
#include "operator/reconciler/object_applier.h"
#include "operator/runtime/encoding.h"
#include "operator/runtime/finalizer.h"
#include "operator/runtime/resource.h"

namespace zkop::reconciler {
namespace {

using runtime::Action;
using runtime::ReconcileError;

constexpr int kPlanStepsShown = 12;

std::string describeErrors(const api::FieldErrors& errors) {
  std::string text;
  for (const auto& e : errors) text += (text.empty() ? "" : "; ") + e.toString();
  return text;
}

std::optional<int> stepMyid(const planner::Step& step) {
  return std::visit(
      [](const auto& s) -> std::optional<int> {
        using T = std::decay_t<decltype(s)>;
        if constexpr (requires { s.myid; }) {
          return s.myid;
        } else if constexpr (std::is_same_v<T, planner::Reconfig>) {
          return s.server.myid;
        } else if constexpr (std::is_same_v<T, planner::HandOffLeadership>) {
          return s.leaderMyid;
        } else if constexpr (std::is_same_v<T, planner::AssignMyid>) {
          return s.newMyid;
        } else {
          return std::nullopt;
        }
      },
      step);
}

// What status.operation recorded before the last action, in the planner's terms.
std::optional<planner::OperationInProgress> recordedOperation(
    const api::ZookeeperCluster& cluster) {
  if (!cluster.status || !cluster.status->operation || !cluster.status->operation->detail) {
    return std::nullopt;
  }
  const auto& detail = *cluster.status->operation->detail;
  if (!detail.is_object()) return std::nullopt;
  planner::OperationInProgress op;
  const auto action = detail.value("action", "");
  op.kind = action == "Reconfig" || action == "HandOffLeadership"
                ? planner::OperationInProgress::Kind::Reconfig
            : action == "WriteServerList" ? planner::OperationInProgress::Kind::WriteServerList
            : action == "RestartMember"   ? planner::OperationInProgress::Kind::Restart
                                          : planner::OperationInProgress::Kind::Other;
  op.myid = detail.value("myid", 0);
  op.baseConfigVersion = detail.value("baseConfigVersion", std::int64_t{0});
  return op;
}

// Nobody leads and no managed member holds data: the first election is still to come.
bool beingCreated(const planner::ObservedEnsemble& observed) {
  const bool anyData = std::ranges::any_of(observed.members, [](const planner::ObservedMember& m) {
    return m.hasData() && !m.slot.isExternal();
  });
  return !observed.leaderMyid && !anyData;
}

// The kind of operation a step belongs to, for status.operation.kind and status.phase.
std::pair<std::string, api::Phase> operationKind(const planner::Step& step,
                                                 const planner::ObservedEnsemble& observed,
                                                 const planner::DesiredEnsemble& desired) {
  if (beingCreated(observed)) return {"Create", api::Phase::Creating};
  if (!observed.leaderMyid) return {"Recover", api::Phase::Degraded};
  const bool versionDiffers =
      std::ranges::any_of(observed.members, [&](const planner::ObservedMember& m) {
        return !m.slot.isExternal() && m.podPresent && m.version != desired.targetVersion;
      });
  if (std::holds_alternative<planner::RestartMember>(step) ||
      std::holds_alternative<planner::HandOffLeadership>(step) || versionDiffers) {
    return {"Upgrade", api::Phase::Upgrading};
  }
  return {"Scale", api::Phase::Scaling};
}

Json operationDetail(const planner::Step& step, const planner::ObservedEnsemble& observed) {
  Json detail = {{"action", planner::actionName(step)},
                 {"description", planner::describe(step)},
                 {"baseConfigVersion", observed.config.version}};
  if (auto myid = stepMyid(step)) detail["myid"] = *myid;
  return detail;
}

std::vector<api::OperationStep> planSteps(const planner::DesiredEnsemble& desired,
                                          const planner::ObservedEnsemble& observed) {
  std::vector<api::OperationStep> out;
  const auto preview = planner::previewPlan(desired, observed, kPlanStepsShown);
  for (const auto& s : preview.steps) {
    out.push_back({.description = s.description,
                   .state = out.empty() ? std::string("Running") : std::string("Pending")});
  }
  return out;
}

// A StartMember the Kubernetes side is already carrying out: the pod's slot is within its
// StatefulSet and the pod is being (re)created or its container is starting. Acting again
// would only repeat the event; the planner's evidence (the member answering) is awaited.
std::optional<std::string> startUnderWay(const api::ZookeeperCluster& cluster,
                                         const Observation& observation,
                                         const planner::Step& step) {
  const auto* start = std::get_if<planner::StartMember>(&step);
  if (start == nullptr || start->slot.isExternal()) return std::nullopt;
  const auto pod = podName(cluster, start->slot);
  auto set = observation.kube.statefulSetPods.find(start->slot.pool);
  if (set == observation.kube.statefulSetPods.end() || set->second <= start->slot.ordinal) {
    return std::nullopt;
  }
  auto facts = observation.facts.pods.find(pod);
  if (facts != observation.facts.pods.end() && facts->second.containerDown &&
      !facts->second.terminating) {
    return std::nullopt;  // waiting out a back-off: StartMember restarts it now
  }
  return pod + " is starting (" + planner::describe(step) + ")";
}

// The member the recorded operation acts on (status.operation.detail.myid), if any.
std::optional<int> operationMyid(const api::ZookeeperClusterStatus& status) {
  if (!status.operation || !status.operation->detail || !status.operation->detail->is_object()) {
    return std::nullopt;
  }
  const int myid = status.operation->detail->value("myid", 0);
  return myid > 0 ? std::optional<int>(myid) : std::nullopt;
}

}  // namespace

ClusterReconciler::EnsembleReport ClusterReconciler::reportEnsemble(
    const Json& object, const observe::ClusterFacts& facts,
    const planner::ObservedEnsemble& observed, api::ZookeeperClusterStatus& status,
    std::vector<api::Condition>& conditions, std::int64_t generation, const std::string& now) {
  EnsembleReport report{.summary = summarizeMembers(facts)};
  const auto& summary = report.summary;
  status.members = summary.members;
  status.leader = summary.leader;
  status.readyReplicas = summary.readyReplicas;
  status.replicas = summary.voters;
  status.configVersion = summary.configVersion;
  if (summary.currentVersion) status.currentVersion = summary.currentVersion;
  setCondition(conditions, condition::kQuorumAvailable, observed.leaderMyid.has_value(),
               observed.leaderMyid ? "LeaderElected" : "NoLeader",
               observed.leaderMyid ? "leader: " + summary.leader.value_or("?")
                                   : "no member reports itself leader",
               generation, now);
  // Degraded: members down that no step of zkop's took down (the member the recorded
  // operation acts on is expected to be away for a while).
  std::vector<std::string> lostData;
  for (const auto& m : observed.members) {
    if (m.dataLost) {
      lostData.push_back(podName(facts.cluster, m.slot) + " (myid " + std::to_string(m.myid) + ")");
    }
  }
  report.degradation = assessDegradation({.summary = summary,
                                          .deliberateMyid = operationMyid(status),
                                          .leaderElected = observed.leaderMyid.has_value(),
                                          .creating = beingCreated(observed),
                                          .lostData = lostData});
  const auto& degradation = report.degradation;
  const auto* was = findCondition(conditions, condition::kDegraded);
  if (degradation.degraded &&
      (was == nullptr || was->status != "True" || was->reason != degradation.reason)) {
    (void)events_->warning(object, degradation.reason, degradation.message);
  }
  setCondition(conditions, condition::kDegraded, degradation.degraded, degradation.reason,
               degradation.message, generation, now);
  return report;
}

ClusterReconciler::ClusterReconciler(std::shared_ptr<runtime::Client> client,
                                     const runtime::Store& clusters,
                                     std::shared_ptr<runtime::EventRecorder> events,
                                     std::shared_ptr<runtime::Clock> clock, AdminFactory admins,
                                     ReconcilerTiming timing, ProbeConfig probes)
    : client_(client),
      clusters_(clusters),
      events_(std::move(events)),
      clock_(std::move(clock)),
      observer_(client, probes),
      actuator_(client, std::move(admins)),
      timing_(timing) {}

runtime::ReconcileResult ClusterReconciler::reconcile(const std::string& key) {
  const auto slash = key.find('/');
  if (!clusters_.get(key)) {  // deleted; owned objects go with it
    if (metrics_) metrics_->forget(key.substr(0, slash), key.substr(slash + 1));
    return Action::done();
  }
  // A quorum read, not the cache: the previous pass's status write must be seen, or the next
  // write conflicts and the step it records is planned on stale records.
  auto fresh = client_->get(runtime::resources::kZookeeperCluster, key.substr(0, slash),
                            key.substr(slash + 1));
  if (!fresh) {
    if (fresh.error().category == runtime::ErrorCategory::kNotFound) return Action::done();
    return std::unexpected(ReconcileError::from("read the cluster", fresh.error()));
  }
  Json object = *fresh;

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

  auto cluster = api::decodeCluster(object).cluster;
  api::applyDefaults(cluster);
  auto errors = api::validateDocument(object);
  const auto unplaced = render::MemberSet::fromStatus(cluster).unplacedPods();
  if (!unplaced.empty()) {
    std::string pods;
    for (const auto& pod : unplaced) pods += (pods.empty() ? "" : ", ") + pod;
    errors.push_back(
        {"spec.pools", "members " + pods +
                           " run in a StatefulSet this spec does not name: switching between "
                           "spec.replicas and spec.pools would rename every member at once; "
                           "restore the previous layout (a pooled spec moves members by "
                           "replacing one pool with another)"});
  }
  const auto generation = cluster.generation();
  const auto now = runtime::formatRfc3339(clock_->wallNow());
  auto status = cluster.status.value_or(api::ZookeeperClusterStatus{});
  auto conditions = status.conditions.value_or(std::vector<api::Condition>{});
  status.selector = render::selectorString(cluster.name());
  if (!status.replicas) status.replicas = 0;

  if (!errors.empty()) {
    // Nothing is changed: the last valid spec's ensemble keeps running as it is.
    const auto message = describeErrors(errors);
    const auto* ready = findCondition(conditions, condition::kReady);
    if (ready == nullptr || ready->reason != "InvalidSpec" || ready->message != message) {
      (void)events_->warning(object, "InvalidSpec", message);  // events are best effort
    }
    status.observedGeneration = generation;
    setCondition(conditions, condition::kReady, false, "InvalidSpec", message, generation, now);
    setCondition(conditions, condition::kProgressing, false, "InvalidSpec",
                 "the spec is refused; nothing is changed", generation, now);
    // Observation goes on, so members, leader and Degraded stay true while the refusal
    // stands; nothing is planned or applied. (Not when this spec cannot name the members'
    // pods: it would see none of them; the last report stands.)
    if (unplaced.empty()) {
      auto observation = observer_.observe(cluster, desiredEnsemble(cluster));
      if (!observation) return std::unexpected(observation.error());
      const auto observed = observe::buildObservedEnsemble(observation->facts);
      (void)reportEnsemble(object, observation->facts, observed, status, conditions, generation,
                           now);
    }
    // An ensemble that runs keeps its phase (it still serves as the last valid spec left it;
    // the conditions say what is refused); one that never started has failed to.
    const bool running = status.members && !status.members->empty();
    if (!running || !status.phase) status.phase = api::Phase::Failed;
    status.conditions = conditions;
    auto written = writeStatus(object, api::encodeStatus(status));
    if (!written) return std::unexpected(written.error());
    return Action::requeueAfter(timing_.whenBlocked);
  }

  // ---- observe and plan --------------------------------------------------------------
  auto credentials = ensureSuperUserSecret(*client_, cluster);
  if (!credentials) return std::unexpected(credentials.error());
  auto desired = desiredEnsemble(cluster);
  auto observation = observer_.observe(cluster, desired);
  if (!observation) return std::unexpected(observation.error());
  const auto lostMyids = observe::lostDataMyids(observation->facts);
  desired = retiringLostData(std::move(desired), lostMyids);
  auto observed = observe::buildObservedEnsemble(observation->facts);
  observed.operation = recordedOperation(cluster);
  const bool paused =
      cluster.spec.updatePolicy.value_or(api::UpdatePolicy{}).paused.value_or(false);
  const auto planned = planner::nextStep(desired, observed);
  planner::Step step = planned;
  if (paused && planner::isAction(planned)) {
    step = planner::Wait{"spec.updatePolicy.paused is set; next: " + planner::describe(planned)};
  } else if (auto starting = startUnderWay(cluster, *observation, planned)) {
    step = planner::Wait{*starting};
  }
  spdlog::debug("{}: next step: {}", key, planner::describe(step));
  const bool acting = planner::isAction(step);
  const bool done = std::holds_alternative<planner::Done>(step);
  const bool blocked = std::holds_alternative<planner::Blocked>(step);

  // ---- the step's records, persisted before anything acts on them ----------------------
  auto members = render::MemberSet::fromStatus(cluster);
  render::DynamicConfig list;
  const bool dynamic =
      cluster.spec.reconfigMode.value_or(api::ReconfigMode::Dynamic) == api::ReconfigMode::Dynamic;
  if (dynamic && observation->facts.committed) list = *observation->facts.committed;
  if (!dynamic && observation->facts.writtenList) list = *observation->facts.writtenList;
  std::optional<render::DynamicConfig> previous =
      dynamic ? std::nullopt : observation->facts.previousList;
  auto listedMyids = observation->kube.listedMyids;

  if (const auto* assign = std::get_if<planner::AssignMyid>(&step)) {
    auto map = members.toStatusMap();
    map[podName(cluster, assign->slot)] = std::to_string(assign->newMyid);
    status.myids = map;
    status.highestMyid = std::max(status.highestMyid.value_or(0), assign->newMyid);
    api::ZookeeperCluster updated = cluster;
    updated.status = status;
    members = render::MemberSet::fromStatus(updated);
  }
  if (const auto* write = std::get_if<planner::WriteServerList>(&step)) {
    if (!dynamic && !list.servers.empty()) previous = list;
    list = renderServerList(cluster, write->list);
    for (const auto& s : list.servers) listedMyids.insert(s.myid);
  }
  if (acting) {
    auto [kind, phase] = operationKind(step, observed, desired);
    api::OperationStatus operation;
    operation.kind = kind;
    operation.started = status.operation && status.operation->kind == kind
                            ? status.operation->started.value_or(now)
                            : now;
    operation.steps = planSteps(desired, observed);
    operation.currentStep = 0;
    operation.detail = operationDetail(step, observed);
    status.operation = operation;
    status.phase = phase;
    status.observedGeneration = generation;
    setCondition(conditions, condition::kProgressing, true, planner::actionName(step),
                 planner::describe(step), generation, now);
    status.conditions = conditions;
    auto written = writeStatus(object, api::encodeStatus(status));
    if (!written) return std::unexpected(written.error());
    object = *written;
    spdlog::info("{}: {}", key, planner::describe(step));
    (void)events_->normal(object, planner::actionName(step), planner::describe(step));
  }

  // ---- render and apply ------------------------------------------------------------------
  PodAdmissionInput admission{.cluster = cluster,
                              .members = members,
                              .desired = desired,
                              .listedMyids = listedMyids,
                              .currentPods = observation->kube.statefulSetPods,
                              .answeringPods = observation->kube.answeringPods};
  const auto parked = parkedPods(admission);
  const auto pods = podsPerPool(admission, step);
  const auto served = observe::servedMyids(observation->facts);
  const render::RenderInput input{.cluster = cluster,
                                  .members = members,
                                  .committed = list,
                                  .podsPerPool = &pods,
                                  .parkedPods = &parked,
                                  .previousList = previous ? &*previous : nullptr,
                                  .servedMyids = &served,
                                  .lostMyids = &lostMyids};
  for (const auto& rendered : render::renderAll(input)) {
    auto applied = applyObject(*client_, rendered);
    if (!applied) return std::unexpected(applied.error());
  }
  auto departing = syncDepartingPools(*client_, {.cluster = cluster,
                                                 .members = members,
                                                 .podsPerPool = pods,
                                                 .currentPods = observation->kube.statefulSetPods});
  if (!departing) return std::unexpected(departing.error());

  // ---- the step's I/O on the members -----------------------------------------------------
  if (acting) {
    StepContext context{
        .cluster = cluster, .observation = *observation, .credentials = *credentials};
    const auto began = clock_->now();
    auto effect = actuator_.perform(context, step);
    if (effect && metrics_ && status.operation) {
      metrics_->stepCompleted(cluster.namespace_(), cluster.name(), status.operation->kind,
                              planner::actionName(step), clock_->now() - began);
    }
    if (!effect) {
      (void)events_->warning(object, "StepFailed",
                             planner::describe(step) + ": " + effect.error().describe());
      return std::unexpected(effect.error());
    }
    if (effect->barrierConfigVersion) status.barrierConfigVersion = effect->barrierConfigVersion;
    if (status.operation && status.operation->steps && !status.operation->steps->empty()) {
      status.operation->steps->front().state = "Done";
    }
  }

  // ---- status ------------------------------------------------------------------------------
  if (!acting || std::holds_alternative<planner::StopMember>(step)) {
    std::set<std::string> existing;
    for (const auto& [name, pod] : observation->facts.pods) existing.insert(name);
    if (const auto gone = forgottenPods(admission, existing); !gone.empty()) {
      auto map = members.toStatusMap();
      for (const auto& pod : gone) map.erase(pod);
      status.myids = map;
    }
  }
  status.targetVersion = cluster.spec.version;
  status.observedGeneration = generation;
  const auto report =
      reportEnsemble(object, observation->facts, observed, status, conditions, generation, now);
  const auto& summary = report.summary;
  if (blocked) {
    const auto message = planner::describe(step);
    const auto* progressing = findCondition(conditions, condition::kProgressing);
    if (progressing == nullptr || progressing->message != message) {
      (void)events_->warning(object, "Blocked", message);
    }
    setCondition(conditions, condition::kProgressing, false, "Blocked", message, generation, now);
  } else if (done) {
    setCondition(conditions, condition::kProgressing, false, "Settled",
                 "the ensemble is as the spec says", generation, now);
    status.operation.reset();
    status.phase = api::Phase::Running;
  } else if (!acting) {
    const bool pausedWait = paused && planner::isAction(planned);
    setCondition(conditions, condition::kProgressing, !pausedWait,
                 pausedWait ? "Paused" : "WaitingForEvidence", planner::describe(step), generation,
                 now);
  }
  // Ready: the ensemble is as the spec says and every member's pod passes its readiness
  // probe (serving in a quorum).
  const auto managed = std::ranges::count_if(
      summary.members, [](const api::MemberStatus& m) { return m.pool.has_value(); });
  const bool podsReady = summary.readyReplicas == managed;
  const bool ready = done && podsReady;
  setCondition(conditions, condition::kReady, ready,
               ready     ? "Running"
               : done    ? "PodsNotReady"
               : blocked ? "Blocked"
                         : "Reconciling",
               done ? std::to_string(summary.readyReplicas) + " of " + std::to_string(managed) +
                          " members ready, leader " + summary.leader.value_or("unknown")
                    : planner::describe(step),
               generation, now);
  if (!status.phase || (*status.phase == api::Phase::Failed && !done)) {
    status.phase = operationKind(step, observed, desired).second;
  }
  status.conditions = conditions;
  if (metrics_) {
    runtime::ClusterObservation seen;
    seen.voters = summary.voters;
    seen.observers =
        static_cast<int>(std::ranges::count_if(summary.members, [](const api::MemberStatus& m) {
          return m.role == api::MemberRole::Observer;
        }));
    seen.ready_members = summary.readyReplicas;
    seen.leader_myid = observed.leaderMyid;
    seen.phase = std::string(api::enumName(status.phase.value_or(api::Phase::Creating)));
    seen.operation = status.operation ? status.operation->kind : "";
    seen.degraded = report.degradation.degraded;
    metrics_->observe(cluster.namespace_(), cluster.name(), seen);
  }
  auto written = writeStatus(object, api::encodeStatus(status));
  if (!written) return std::unexpected(written.error());
  if (done) return Action::requeueAfter(timing_.whenSettled);
  if (blocked) return Action::requeueAfter(timing_.whenBlocked);
  return Action::requeueAfter(timing_.whileChanging);
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

std::expected<Json, ReconcileError> ClusterReconciler::writeStatus(const Json& object,
                                                                   const Json& status) {
  if (object.value("status", Json::object()) == status) return object;  // nothing to say
  Json updated = object;
  updated["status"] = status;
  auto written = client_->updateStatus(runtime::resources::kZookeeperCluster,
                                       object["metadata"].value("namespace", ""), updated);
  if (!written) return std::unexpected(ReconcileError::from("update status", written.error()));
  return *written;
}

}  // namespace zkop::reconciler
