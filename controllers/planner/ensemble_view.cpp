#include "controllers/planner/ensemble_view.h"

#include <algorithm>

namespace zkop::planner {

bool isHealthy(const ObservedMember& member, const ObservedEnsemble& observed) {
  if (!member.up) return false;
  return member.synced || observed.leaderMyid == member.myid;
}

int healthyParticipants(const ObservedEnsemble& observed, const ServerList& list, int exceptMyid) {
  int count = 0;
  for (int id : list.participantIds()) {
    if (id == exceptMyid) continue;
    const ObservedMember* m = observed.findByMyid(id);
    if (m != nullptr && isHealthy(*m, observed)) ++count;
  }
  return count;
}

int healthyParticipantsRunning(const ObservedEnsemble& observed, const ServerList& list,
                               int exceptMyid) {
  int count = 0;
  for (int id : list.participantIds()) {
    if (id == exceptMyid) continue;
    const ObservedMember* m = observed.findByMyid(id);
    if (m == nullptr || m->configVersion != list.version) continue;
    if (isHealthy(*m, observed) || waitsForLeaderList(*m, observed, ReconfigMode::Static)) {
      ++count;
    }
  }
  return count;
}

const ServerList& leaderConfig(const ObservedEnsemble& observed, ReconfigMode mode) {
  if (mode == ReconfigMode::Static && observed.leaderMyid &&
      !observed.previousConfig.servers.empty()) {
    const ObservedMember* leader = observed.findByMyid(*observed.leaderMyid);
    if (leader != nullptr && leader->configVersion == observed.previousConfig.version) {
      return observed.previousConfig;
    }
  }
  return observed.config;
}

bool waitsForLeaderList(const ObservedMember& member, const ObservedEnsemble& observed,
                        ReconfigMode mode) {
  if (mode != ReconfigMode::Static || !member.up || !observed.leaderMyid ||
      observed.leaderMyid == member.myid) {
    return false;
  }
  return leaderConfig(observed, mode).find(member.myid) == nullptr &&
         observed.config.find(member.myid) != nullptr &&
         member.configVersion == observed.config.version;
}

bool isBootstrap(const ObservedEnsemble& observed) {
  return std::none_of(observed.members.begin(), observed.members.end(),
                      [](const ObservedMember& m) { return m.hasData() || m.dataLost; });
}

bool inConfig(const ObservedEnsemble& observed, int myid) {
  return observed.config.find(myid) != nullptr;
}

bool emptyVoterMayJoinElection(const ObservedEnsemble& observed, const ServerList& list) {
  int holders = 0, runningHolders = 0;
  for (int id : list.participantIds()) {
    const ObservedMember* m = observed.findByMyid(id);
    if (m == nullptr || m->dataLost || m->dataOwnerMyid != m->myid) continue;
    ++holders;
    if (m->up) ++runningHolders;
  }
  return holders > 0 && runningHolders >= quorumSize(holders);
}

std::vector<const ObservedMember*> unhealthyMembers(const ObservedEnsemble& observed,
                                                    ReconfigMode mode, int exceptMyid) {
  std::vector<const ObservedMember*> result;
  for (const auto& m : observed.members) {
    if (m.myid == exceptMyid) continue;
    // A member outside the config (a joiner, or one on its way out) holds no vote and
    // costs no availability.
    if (!inConfig(observed, m.myid)) continue;
    // A member whose disk is gone is not down because of the operator: it waits to be
    // replaced, and its missing vote is already counted against every quorum.
    if (m.dataLost && !m.up) continue;
    // Static mode: a new member the leader's list does not name cannot sync yet.
    if (waitsForLeaderList(m, observed, mode)) continue;
    if (!isHealthy(m, observed)) result.push_back(&m);
  }
  return result;
}

bool needsVersionChange(const ObservedMember& member, const DesiredEnsemble& desired) {
  return !member.slot.isExternal() && member.version != desired.targetVersion;
}

bool mustRetire(const ObservedMember& member, const DesiredEnsemble& desired) {
  if (member.slot.isExternal()) return false;  // an external server's myid is its owner's
  if (member.dataLost) return true;
  return std::find(desired.retireMyids.begin(), desired.retireMyids.end(), member.myid) !=
         desired.retireMyids.end();
}

int nextFreeMyid(const ObservedEnsemble& observed, const DesiredEnsemble& desired) {
  int highest = observed.effectiveHighestMyid();
  for (const auto& ext : desired.externalMembers) highest = std::max(highest, ext.myid);
  const bool nothingIssued =
      highest == 0 && observed.members.empty() && observed.config.servers.empty();
  // myidBase may be 0 (seed 002's ensemble started there); otherwise strictly above.
  return nothingIssued ? desired.myidBase : std::max(desired.myidBase, highest + 1);
}

}  // namespace zkop::planner
