#include "controllers/render/member_set.h"

#include <algorithm>
#include <charconv>

#include "controllers/api/defaults.h"

namespace zkop::render {
namespace {

// A pod ordinal: all of `digits`, non-negative.
std::optional<int> parseOrdinal(std::string_view digits) {
  int ordinal = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ordinal);
  if (ec != std::errc{} || end != digits.data() + digits.size() || ordinal < 0) return std::nullopt;
  return ordinal;
}

std::optional<Member> parsePod(const ClusterNames& names, const std::vector<api::PoolSpec>& pools,
                               const std::string& pod, int myid) {
  for (const auto& pool : pools) {
    const auto prefix = names.statefulSet(pool.name) + "-";
    if (!pod.starts_with(prefix)) continue;
    if (auto ordinal = parseOrdinal(std::string_view(pod).substr(prefix.size()))) {
      return Member{pod, pool.name, *ordinal, myid};
    }
  }
  return std::nullopt;
}

// A pod of a pool the spec no longer names: `<cluster>-<pool>-<ordinal>` (pooled naming only;
// without spec.pools the one StatefulSet is named after the cluster and has no pool part).
std::optional<Member> parseDepartingPod(const ClusterNames& names, const std::string& pod,
                                        int myid) {
  const auto prefix = names.cluster + "-";
  if (!names.pooled || !pod.starts_with(prefix)) return std::nullopt;
  const auto rest = std::string_view(pod).substr(prefix.size());
  const auto dash = rest.rfind('-');
  if (dash == std::string_view::npos || dash == 0) return std::nullopt;
  const auto ordinal = parseOrdinal(rest.substr(dash + 1));
  if (!ordinal) return std::nullopt;
  return Member{pod, std::string(rest.substr(0, dash)), *ordinal, myid};
}

}  // namespace

MemberSet::MemberSet(std::vector<Member> members) : members_(std::move(members)) {
  std::sort(members_.begin(), members_.end(),
            [](const Member& a, const Member& b) { return a.myid < b.myid; });
}

MemberSet MemberSet::fromStatus(const api::ZookeeperCluster& cluster) {
  std::vector<Member> members;
  std::vector<std::string> unplaced;
  if (!cluster.status || !cluster.status->myids) return MemberSet{};
  const auto names = ClusterNames::of(cluster);
  const auto pools = api::effectivePools(cluster.spec);
  for (const auto& [pod, id] : *cluster.status->myids) {
    int myid = 0;
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), myid);
    if (ec != std::errc{} || end != id.data() + id.size()) continue;
    if (auto member = parsePod(names, pools, pod, myid)) {
      members.push_back(*member);
    } else if (auto departing = parseDepartingPod(names, pod, myid)) {
      members.push_back(*departing);
    } else {
      unplaced.push_back(pod);
    }
  }
  MemberSet set{std::move(members)};
  set.unplaced_ = std::move(unplaced);
  return set;
}

api::StringMap MemberSet::toStatusMap() const {
  api::StringMap out;
  for (const auto& m : members_) out[m.pod] = std::to_string(m.myid);
  return out;
}

const Member* MemberSet::findPod(const std::string& pod) const {
  auto it =
      std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.pod == pod; });
  return it == members_.end() ? nullptr : &*it;
}

const Member* MemberSet::findMyid(int myid) const {
  auto it = std::find_if(members_.begin(), members_.end(),
                         [&](const Member& m) { return m.myid == myid; });
  return it == members_.end() ? nullptr : &*it;
}

int MemberSet::podsInPool(const std::string& pool) const {
  int pods = 0;
  for (const auto& m : members_) {
    if (m.pool == pool) pods = std::max(pods, m.ordinal + 1);
  }
  return pods;
}

int MemberSet::highestMyid() const { return members_.empty() ? 0 : members_.back().myid; }

MemberSet initialMemberSet(const api::ZookeeperCluster& cluster) {
  const auto names = ClusterNames::of(cluster);
  auto pools = api::effectivePools(cluster.spec);
  std::stable_sort(pools.begin(), pools.end(), [](const api::PoolSpec& a, const api::PoolSpec& b) {
    return a.leaderPriority.value_or(0) < b.leaderPriority.value_or(0);
  });
  int next = cluster.spec.myidBase.value_or(1);
  std::vector<Member> members;
  for (const auto& pool : pools) {
    const int pods = pool.replicas.value_or(0) + pool.observers.value_or(0);
    for (int ordinal = 0; ordinal < pods; ++ordinal) {
      members.push_back({names.pod(pool.name, ordinal), pool.name, ordinal, next++});
    }
  }
  return MemberSet{std::move(members)};
}

ServerEntry serverEntry(const api::ZookeeperCluster& cluster, const Member& member,
                        api::MemberRole role) {
  const auto names = ClusterNames::of(cluster);
  const auto ports = cluster.spec.ports.value_or(api::PortsSpec{});
  return {.myid = member.myid,
          .host = names.host(member.pod),
          .quorumPort = ports.quorum.value_or(2888),
          .electionPort = ports.election.value_or(3888),
          .role = role,
          .clientHost = {},
          .clientPort = ports.client.value_or(2181)};
}

DynamicConfig initialConfig(const api::ZookeeperCluster& cluster, const MemberSet& members) {
  DynamicConfig config;
  for (const auto& pool : api::effectivePools(cluster.spec)) {
    for (const auto& m : members.members()) {
      if (m.pool != pool.name) continue;
      const auto role = m.ordinal < pool.replicas.value_or(0) ? api::MemberRole::Participant
                                                              : api::MemberRole::Observer;
      config.servers.push_back(serverEntry(cluster, m, role));
    }
  }
  for (const auto& e : cluster.spec.externalMembers.value_or(std::vector<api::ExternalMember>{})) {
    config.servers.push_back({.myid = e.myid,
                              .host = e.host,
                              .quorumPort = e.quorumPort.value_or(2888),
                              .electionPort = e.electionPort.value_or(3888),
                              .role = e.role.value_or(api::MemberRole::Participant),
                              .clientHost = {},
                              .clientPort = e.clientPort.value_or(2181)});
  }
  std::sort(config.servers.begin(), config.servers.end(),
            [](const ServerEntry& a, const ServerEntry& b) { return a.myid < b.myid; });
  return config;
}

}  // namespace zkop::render
