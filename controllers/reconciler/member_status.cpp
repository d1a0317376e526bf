#include "controllers/reconciler/member_status.h"

#include <cstdio>

#include "controllers/render/member_set.h"
#include "controllers/render/names.h"

namespace zkop::reconciler {
namespace {

bool serving(observe::ServerMode mode) {
  return mode == observe::ServerMode::Leader || mode == observe::ServerMode::Follower ||
         mode == observe::ServerMode::Observer;
}

void describeProbe(api::MemberStatus& out, const observe::MemberProbe* probe) {
  if (probe == nullptr || !probe->answered) {
    out.mode = "unreachable";
    out.synced = false;
    return;
  }
  out.mode = std::string(observe::modeName(probe->status.mode));
  out.synced = serving(probe->status.mode);
  if (probe->status.zxid) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(*probe->status.zxid));
    out.zxid = hex;
  }
}

}  // namespace

MemberSummary summarizeMembers(const observe::ClusterFacts& facts) {
  const auto& cluster = facts.cluster;
  const bool dynamic =
      cluster.spec.reconfigMode.value_or(api::ReconfigMode::Dynamic) == api::ReconfigMode::Dynamic;
  const auto* config = dynamic ? (facts.committed ? &*facts.committed : nullptr)
                               : (facts.writtenList ? &*facts.writtenList : nullptr);
  const auto members = render::MemberSet::fromStatus(cluster);
  const auto names = render::ClusterNames::of(cluster);
  MemberSummary summary;
  if (config != nullptr) {
    summary.voters = config->participants();
    summary.configVersion = config->versionHex();
  }
  auto probeOf = [&](int myid) -> const observe::MemberProbe* {
    auto it = facts.probes.find(myid);
    return it == facts.probes.end() ? nullptr : &it->second;
  };

  std::optional<std::string> commonVersion;
  bool versionsAgree = true;
  for (const auto& m : members.members()) {
    const auto pod = facts.pods.find(m.pod);
    const auto* entry = config != nullptr ? config->find(m.myid) : nullptr;
    if (pod == facts.pods.end() && entry == nullptr) continue;  // neither running nor listed
    api::MemberStatus status;
    status.name = m.pod;
    status.myid = m.myid;
    status.host = names.host(m.pod);
    status.pool = m.pool;
    if (entry != nullptr) status.role = entry->role;
    status.ready = pod != facts.pods.end() && pod->second.ready && !pod->second.terminating;
    const auto* probe = pod != facts.pods.end() ? probeOf(m.myid) : nullptr;
    describeProbe(status, probe);
    if (pod != facts.pods.end()) {
      status.version = pod->second.version;
      if (!commonVersion) commonVersion = pod->second.version;
      if (*commonVersion != pod->second.version) versionsAgree = false;
    }
    if (*status.ready) ++summary.readyReplicas;
    if (probe != nullptr && probe->answered && probe->status.mode == observe::ServerMode::Leader) {
      summary.leader = m.pod;
    }
    summary.members.push_back(std::move(status));
  }
  for (const auto& e : cluster.spec.externalMembers.value_or(std::vector<api::ExternalMember>{})) {
    api::MemberStatus status;
    status.name = e.host;
    status.myid = e.myid;
    status.host = e.host;
    if (const auto* entry = config != nullptr ? config->find(e.myid) : nullptr) {
      status.role = entry->role;
    }
    const auto* probe = probeOf(e.myid);
    describeProbe(status, probe);
    if (probe != nullptr && probe->answered) {
      status.version = probe->status.version;
      if (probe->status.mode == observe::ServerMode::Leader) summary.leader = e.host;
    }
    summary.members.push_back(std::move(status));
  }
  if (commonVersion && versionsAgree) summary.currentVersion = commonVersion;
  return summary;
}

}  // namespace zkop::reconciler
