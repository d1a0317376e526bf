#include "operator/reconciler/step_actuator.h"

#include "controllers/reconciler/desired_ensemble.h"
#include "controllers/reconciler/server_list.h"
#include "controllers/render/member_set.h"
#include "operator/runtime/resource.h"
#include "operator/zookeeper/c_client_admin.h"

namespace zkop::reconciler {
namespace {

using runtime::ReconcileError;

ReconcileError zkFailure(const std::string& what, const zookeeper::ZkError& error) {
  return ReconcileError{what, error.message, std::nullopt};
}

}  // namespace

AdminFactory cClientAdminFactory() {
  return [](const zookeeper::SessionConfig& config)
             -> std::expected<std::unique_ptr<zookeeper::ZooKeeperAdmin>, zookeeper::ZkError> {
    auto admin = zookeeper::CClientAdmin::connect(config);
    if (!admin) return std::unexpected(admin.error());
    return std::unique_ptr<zookeeper::ZooKeeperAdmin>(std::move(*admin));
  };
}

StepActuator::StepActuator(std::shared_ptr<runtime::Client> client, AdminFactory admins)
    : client_(std::move(client)), admins_(std::move(admins)) {}

std::expected<void, ReconcileError> StepActuator::deletePod(const StepContext& context,
                                                            const planner::MemberSlot& slot) const {
  const auto pod = podName(context.cluster, slot);
  auto it = context.observation.kube.pods.find(pod);
  if (it == context.observation.kube.pods.end()) return {};  // already gone
  runtime::DeleteOptions options;
  // Only the pod we observed: a replacement the StatefulSet already made is left alone.
  options.precondition_uid = it->second["metadata"].value("uid", "");
  auto removed =
      client_->remove(runtime::resources::kPod, context.cluster.namespace_(), pod, options);
  if (!removed && removed.error().category != runtime::ErrorCategory::kNotFound &&
      removed.error().category != runtime::ErrorCategory::kConflict) {
    return std::unexpected(ReconcileError::from("delete pod " + pod, removed.error()));
  }
  return {};
}

std::expected<std::unique_ptr<zookeeper::ZooKeeperAdmin>, ReconcileError> StepActuator::connect(
    const StepContext& context) const {
  const auto& facts = context.observation.facts;
  const int clientPort =
      context.cluster.spec.ports.value_or(api::PortsSpec{}).client.value_or(2181);
  std::string connectString;
  auto add = [&](const std::string& hostPort) {
    connectString += (connectString.empty() ? "" : ",") + hostPort;
  };
  const auto members = render::MemberSet::fromStatus(context.cluster);
  for (const auto& m : members.members()) {
    auto pod = facts.pods.find(m.pod);
    auto probe = facts.probes.find(m.myid);
    if (pod == facts.pods.end() || probe == facts.probes.end() || !probe->second.answered) continue;
    add(pod->second.ip + ":" + std::to_string(clientPort));
  }
  for (const auto& e :
       context.cluster.spec.externalMembers.value_or(std::vector<api::ExternalMember>{})) {
    add(e.host + ":" + std::to_string(e.clientPort.value_or(2181)));
  }
  if (connectString.empty()) {
    return std::unexpected(ReconcileError{"connect to ZooKeeper", "no member answers", {}});
  }
  zookeeper::SessionConfig config;
  config.connectString = connectString;
  config.connectTimeout = std::chrono::seconds(15);
  config.superUser = zookeeper::SuperUser{context.credentials.user, context.credentials.password};
  auto admin = admins_(config);
  if (!admin) return std::unexpected(zkFailure("connect to " + connectString, admin.error()));
  return std::move(*admin);
}

std::expected<StepEffect, ReconcileError> StepActuator::perform(const StepContext& context,
                                                                const planner::Step& step) const {
  StepEffect effect;
  auto reconfig = [&](zookeeper::ReconfigRequest request,
                      const std::string& what) -> std::expected<StepEffect, ReconcileError> {
    auto admin = connect(context);
    if (!admin) return std::unexpected(admin.error());
    auto result = (*admin)->reconfig(request);
    if (!result) return std::unexpected(zkFailure(what, result.error()));
    return effect;
  };
  auto done =
      [&](std::expected<void, ReconcileError> r) -> std::expected<StepEffect, ReconcileError> {
    if (!r) return std::unexpected(r.error());
    return effect;
  };

  if (const auto* s = std::get_if<planner::RestartMember>(&step)) {
    return done(deletePod(context, s->slot));
  }
  if (const auto* s = std::get_if<planner::StopMember>(&step)) {
    return done(deletePod(context, s->slot));
  }
  if (const auto* s = std::get_if<planner::StartMember>(&step)) {
    // The StatefulSet already has room for the pod (rendered before this runs). A pod that
    // waits out a crash back-off (it had no myid, or no list naming it) starts now instead.
    const auto pod = podName(context.cluster, s->slot);
    auto it = context.observation.facts.pods.find(pod);
    if (it != context.observation.facts.pods.end() && it->second.containerDown &&
        !it->second.terminating) {
      return done(deletePod(context, s->slot));
    }
    return effect;
  }
  if (const auto* s = std::get_if<planner::CleanDataDir>(&step)) {
    const auto claim = "data-" + podName(context.cluster, s->slot);
    auto removed = client_->remove(runtime::resources::kPersistentVolumeClaim,
                                   context.cluster.namespace_(), claim);
    if (!removed && removed.error().category != runtime::ErrorCategory::kNotFound) {
      return std::unexpected(ReconcileError::from("delete data volume " + claim, removed.error()));
    }
    // The StatefulSet makes a new, empty claim when it recreates the pod.
    return done(deletePod(context, s->slot));
  }
  if (const auto* s = std::get_if<planner::Reconfig>(&step)) {
    zookeeper::ReconfigRequest request;
    request.expectedVersion = static_cast<std::uint64_t>(s->fromConfigVersion);
    if (s->change == planner::Reconfig::Change::Remove) {
      request.leaving.push_back(s->server.myid);
    } else {
      auto entry = serverLine(context.cluster, s->server);
      if (!entry) {
        return std::unexpected(ReconcileError{
            "reconfig", "no address for myid " + std::to_string(s->server.myid), {}});
      }
      request.joining.push_back(*entry);
    }
    return reconfig(request, planner::describe(step));
  }
  if (const auto* s = std::get_if<planner::HandOffLeadership>(&step)) {
    zookeeper::ReconfigRequest request;
    request.expectedVersion = static_cast<std::uint64_t>(s->fromConfigVersion);
    request.leaving.push_back(s->leaderMyid);
    return reconfig(request, planner::describe(step));
  }
  if (const auto* s = std::get_if<planner::WriteBarrier>(&step)) {
    auto admin = connect(context);
    if (!admin) return std::unexpected(admin.error());
    auto written = (*admin)->writeBarrier();
    if (!written) return std::unexpected(zkFailure("write barrier", written.error()));
    effect.barrierConfigVersion = s->configVersion;
    return effect;
  }
  // AssignMyid and WriteServerList are records the reconciler writes; Wait, Blocked and Done
  // change nothing.
  return effect;
}

}  // namespace zkop::reconciler
