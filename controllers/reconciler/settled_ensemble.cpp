#include "controllers/reconciler/settled_ensemble.h"

#include <algorithm>

#include "controllers/render/member_set.h"

namespace zkop::reconciler {

planner::ObservedEnsemble settledEnsemble(const api::ZookeeperCluster& cluster) {
  const auto members = render::initialMemberSet(cluster);
  const auto config = render::initialConfig(cluster, members);
  planner::ObservedEnsemble observed;
  observed.config.version = 1;
  for (const auto& server : config.servers) {
    const auto* member = members.findMyid(server.myid);
    const auto slot = member ? planner::MemberSlot::managed(member->pool, member->ordinal)
                             : planner::MemberSlot::external(server.host);
    const auto role = server.role == api::MemberRole::Observer ? planner::Role::Observer
                                                               : planner::Role::Participant;
    observed.config.servers.push_back({.myid = server.myid, .slot = slot, .role = role});
    planner::ObservedMember m;
    m.slot = slot;
    m.myid = server.myid;
    m.podPresent = true;
    m.up = true;
    m.synced = true;
    m.runningRole = role;
    m.version = cluster.spec.version.value_or("");
    m.configVersion = observed.config.version;
    m.dataOwnerMyid = server.myid;
    observed.members.push_back(m);
    if (role == planner::Role::Participant) {
      observed.leaderMyid = std::max(observed.leaderMyid.value_or(0), server.myid);
    }
  }
  observed.highestMyidIssued =
      std::max(members.highestMyid(), config.servers.empty() ? 0 : config.servers.back().myid);
  observed.barrierConfigVersion = observed.config.version;
  return observed;
}

}  // namespace zkop::reconciler
