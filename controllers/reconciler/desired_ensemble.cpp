#include "controllers/reconciler/desired_ensemble.h"

#include <algorithm>
#include <charconv>
#include <sstream>

#include "controllers/api/defaults.h"
#include "controllers/render/names.h"

namespace zkop::reconciler {
namespace {

planner::Role roleOf(api::MemberRole role) {
  return role == api::MemberRole::Observer ? planner::Role::Observer : planner::Role::Participant;
}

std::vector<int> retiredMyids(const api::ZookeeperCluster& cluster) {
  std::vector<int> out;
  const auto& annotations = cluster.metadata.value("annotations", Json::object());
  const auto it = annotations.find(std::string(kRetireMyidsAnnotation));
  if (it == annotations.end() || !it->is_string()) return out;
  std::istringstream in(it->get<std::string>());
  for (std::string item; std::getline(in, item, ',');) {
    int myid = 0;
    const auto first = item.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    const auto* begin = item.data() + first;
    if (std::from_chars(begin, item.data() + item.size(), myid).ec == std::errc{}) {
      out.push_back(myid);
    }
  }
  return out;
}

}  // namespace

planner::DesiredEnsemble desiredEnsemble(const api::ZookeeperCluster& cluster) {
  const auto& spec = cluster.spec;
  planner::DesiredEnsemble desired;
  int voters = 0;
  for (const auto& pool : api::effectivePools(spec)) {
    desired.pools.push_back({.name = pool.name,
                             .voters = pool.replicas.value_or(0),
                             .observers = pool.observers.value_or(0),
                             .leaderPriority = pool.leaderPriority.value_or(0)});
    voters += pool.replicas.value_or(0);
  }
  for (const auto& member : spec.externalMembers.value_or(std::vector<api::ExternalMember>{})) {
    const auto role = member.role.value_or(api::MemberRole::Participant);
    desired.externalMembers.push_back(
        {.myid = member.myid, .host = member.host, .role = roleOf(role)});
    if (role == api::MemberRole::Participant) ++voters;
  }
  desired.targetVersion = spec.version.value_or("");
  desired.reconfigMode =
      spec.reconfigMode.value_or(api::ReconfigMode::Dynamic) == api::ReconfigMode::Static
          ? planner::ReconfigMode::Static
          : planner::ReconfigMode::Dynamic;
  switch (spec.updatePolicy.value_or(api::UpdatePolicy{})
              .strategy.value_or(api::UpdateStrategy::LeaderLast)) {
    case api::UpdateStrategy::LeaderLast:
      desired.updateStrategy = planner::UpdateStrategy::LeaderLast;
      break;
    case api::UpdateStrategy::Handoff:
      desired.updateStrategy = planner::UpdateStrategy::Handoff;
      break;
    case api::UpdateStrategy::StatefulSet:
      desired.updateStrategy = planner::UpdateStrategy::StatefulSet;
      break;
  }
  desired.myidBase = spec.myidBase.value_or(1);
  desired.allowEvenVoters = spec.allowEvenReplicas.value_or(false);
  desired.tolerateUnavoidableOutage = voters < 3;
  desired.retireMyids = retiredMyids(cluster);
  return desired;
}

std::string podName(const api::ZookeeperCluster& cluster, const planner::MemberSlot& slot) {
  return render::ClusterNames::of(cluster).pod(slot.pool, slot.ordinal);
}

planner::DesiredEnsemble retiringLostData(planner::DesiredEnsemble desired,
                                          const std::set<int>& lostMyids) {
  for (const int myid : lostMyids) {
    if (std::ranges::find(desired.retireMyids, myid) == desired.retireMyids.end()) {
      desired.retireMyids.push_back(myid);
    }
  }
  return desired;
}

}  // namespace zkop::reconciler
