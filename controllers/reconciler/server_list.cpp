#include "controllers/reconciler/server_list.h"

#include <algorithm>

#include "controllers/reconciler/desired_ensemble.h"
#include "controllers/render/member_set.h"

namespace zkop::reconciler {
namespace {

api::MemberRole apiRole(planner::Role role) {
  return role == planner::Role::Observer ? api::MemberRole::Observer : api::MemberRole::Participant;
}

}  // namespace

std::optional<render::ServerEntry> serverLine(const api::ZookeeperCluster& cluster,
                                              const planner::ServerEntry& server) {
  if (server.slot.isExternal()) {
    for (const auto& e :
         cluster.spec.externalMembers.value_or(std::vector<api::ExternalMember>{})) {
      if (e.myid != server.myid) continue;
      return render::ServerEntry{.myid = e.myid,
                                 .host = e.host,
                                 .quorumPort = e.quorumPort.value_or(2888),
                                 .electionPort = e.electionPort.value_or(3888),
                                 .role = apiRole(server.role),
                                 .clientHost = {},
                                 .clientPort = e.clientPort.value_or(2181)};
    }
    return std::nullopt;
  }
  const render::Member member{.pod = podName(cluster, server.slot),
                              .pool = server.slot.pool,
                              .ordinal = server.slot.ordinal,
                              .myid = server.myid};
  return render::serverEntry(cluster, member, apiRole(server.role));
}

render::DynamicConfig renderServerList(const api::ZookeeperCluster& cluster,
                                       const planner::ServerList& list) {
  render::DynamicConfig out;
  out.version = static_cast<std::uint64_t>(list.version);
  for (const auto& s : list.servers) {
    if (auto line = serverLine(cluster, s)) out.servers.push_back(*line);
  }
  std::ranges::sort(out.servers, {}, &render::ServerEntry::myid);
  return out;
}

}  // namespace zkop::reconciler
