#include "controllers/observe/observed_ensemble_builder.h"

#include <algorithm>

#include "controllers/render/member_set.h"

namespace zkop::observe {
namespace {

planner::Role roleOf(api::MemberRole role) {
  return role == api::MemberRole::Observer ? planner::Role::Observer : planner::Role::Participant;
}

planner::ServerList toServerList(const render::DynamicConfig& config,
                                 const render::MemberSet& members) {
  planner::ServerList list;
  list.version = static_cast<std::int64_t>(config.version);
  for (const auto& s : config.servers) {
    const auto* m = members.findMyid(s.myid);
    list.servers.push_back({.myid = s.myid,
                            .slot = m ? planner::MemberSlot::managed(m->pool, m->ordinal)
                                      : planner::MemberSlot::external(s.host),
                            .role = roleOf(s.role)});
  }
  return list;
}

bool serving(ServerMode mode) {
  return mode == ServerMode::Leader || mode == ServerMode::Follower || mode == ServerMode::Observer;
}

}  // namespace

planner::ObservedEnsemble buildObservedEnsemble(const ClusterFacts& facts) {
  const auto& cluster = facts.cluster;
  const bool dynamic =
      cluster.spec.reconfigMode.value_or(api::ReconfigMode::Dynamic) == api::ReconfigMode::Dynamic;
  const auto members = render::MemberSet::fromStatus(cluster);
  planner::ObservedEnsemble observed;

  const auto* config = dynamic ? (facts.committed ? &*facts.committed : nullptr)
                               : (facts.writtenList ? &*facts.writtenList : nullptr);
  if (config != nullptr) observed.config = toServerList(*config, members);
  if (!dynamic && facts.previousList) {
    observed.previousConfig = toServerList(*facts.previousList, members);
  }
  observed.barrierConfigVersion = facts.barrierConfigVersion;
  if (cluster.status) observed.highestMyidIssued = cluster.status->highestMyid.value_or(0);

  auto probeOf = [&](int myid) -> const MemberProbe* {
    auto it = facts.probes.find(myid);
    return it == facts.probes.end() ? nullptr : &it->second;
  };
  auto configRole = [&](int myid) -> std::optional<planner::Role> {
    if (const auto* entry = observed.config.find(myid)) return entry->role;
    return std::nullopt;
  };
  auto noteLeader = [&](int myid, const MemberProbe* probe) {
    if (probe && probe->answered && probe->status.mode == ServerMode::Leader) {
      observed.leaderMyid = myid;
    }
  };

  const auto lost = lostDataMyids(facts);
  for (const auto& m : members.members()) {
    planner::ObservedMember member;
    member.slot = planner::MemberSlot::managed(m.pool, m.ordinal);
    member.myid = m.myid;
    const auto pod = facts.pods.find(m.pod);
    member.podPresent = pod != facts.pods.end() && !pod->second.terminating && !pod->second.parked;
    const auto* probe = probeOf(m.myid);
    member.up = member.podPresent && probe && probe->answered;
    member.synced = member.up && serving(probe->status.mode);
    member.runningRole = configRole(m.myid).value_or(planner::Role::Observer);
    // A member the committed config does not list cannot vote whatever it calls itself (a
    // joiner runs as a non-voting follower once synced): it is a joiner, i.e. an observer.
    if (member.up && probe->conf.peerType && configRole(m.myid)) {
      member.runningRole =
          *probe->conf.peerType == 1 ? planner::Role::Observer : planner::Role::Participant;
    }
    if (pod != facts.pods.end()) {
      member.version = pod->second.version;
      member.configVersion =
          dynamic ? observed.config.version : pod->second.listVersion.value_or(0);
    }
    const bool hasVolume =
        std::any_of(facts.claims.begin(), facts.claims.end(),
                    [&](const std::string& c) { return c.ends_with("-" + m.pod); });
    if (member.up && probe->conf.serverId) {
      member.dataOwnerMyid = *probe->conf.serverId;
    } else if (hasVolume && (!facts.servedMyids || facts.servedMyids->contains(m.myid))) {
      member.dataOwnerMyid = m.myid;
    }
    // Its start script found the volume without this myid's data: nothing there counts,
    // and the member is replaced under a new myid rather than started again (rule 5).
    if (lost.contains(m.myid)) {
      member.dataLost = true;
      member.dataOwnerMyid.reset();
    }
    noteLeader(m.myid, member.up ? probe : nullptr);
    observed.members.push_back(std::move(member));
  }

  for (const auto& e : cluster.spec.externalMembers.value_or(std::vector<api::ExternalMember>{})) {
    planner::ObservedMember member;
    member.slot = planner::MemberSlot::external(e.host);
    member.myid = e.myid;
    member.podPresent = true;  // not ours to start or stop
    const auto* probe = probeOf(e.myid);
    member.up = probe && probe->answered;
    member.synced = member.up && serving(probe->status.mode);
    member.runningRole =
        configRole(e.myid).value_or(roleOf(e.role.value_or(api::MemberRole::Participant)));
    member.version = member.up ? probe->status.version : std::string();
    member.configVersion = observed.config.version;
    member.dataOwnerMyid = e.myid;
    noteLeader(e.myid, probe);
    observed.members.push_back(std::move(member));
  }
  return observed;
}

std::set<int> servedMyids(const ClusterFacts& facts) {
  std::set<int> served = facts.servedMyids.value_or(std::set<int>{});
  for (const auto& [myid, probe] : facts.probes) {
    if (probe.answered && serving(probe.status.mode) && probe.conf.serverId == myid) {
      served.insert(myid);
    }
  }
  return served;
}

std::set<int> lostDataMyids(const ClusterFacts& facts) {
  std::set<int> lost = facts.recordedLostMyids;
  const auto served = servedMyids(facts);
  const auto members = render::MemberSet::fromStatus(facts.cluster);
  for (const auto& m : members.members()) {
    const auto pod = facts.pods.find(m.pod);
    if (pod == facts.pods.end() || !pod->second.dataLost || !served.contains(m.myid)) continue;
    const auto probe = facts.probes.find(m.myid);
    if (probe == facts.probes.end() || !probe->second.answered) lost.insert(m.myid);
  }
  return lost;
}

}  // namespace zkop::observe
