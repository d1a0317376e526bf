#include "controllers/planner/invariant_checker.h"

#include <algorithm>

#include "controllers/planner/ensemble_view.h"

namespace zkop::planner {

namespace {

using Result = std::expected<void, Violation>;

Result refuse(SafetyRule rule, std::string message) {
  return std::unexpected(Violation{rule, std::move(message)});
}

std::string idText(int myid) { return "myid " + std::to_string(myid); }

bool isDynamic(const DesiredEnsemble& desired) {
  return desired.reconfigMode == ReconfigMode::Dynamic;
}

// Somebody in the ensemble still holds data: empty voters must not be able to out-vote it.
bool anyData(const ObservedEnsemble& observed) {
  return std::any_of(observed.members.begin(), observed.members.end(),
                     [](const ObservedMember& m) { return m.hasData(); });
}

// Rule 5 for anything that starts a process on a data dir.
Result checkDataOwnership(const ObservedMember& member, int myid) {
  if (member.dataLost) {
    return refuse(SafetyRule::MyidsNeverReused, member.slot.label() + " lost its data; " +
                                                    idText(myid) +
                                                    " must be retired, not started again");
  }
  if (member.dataOwnerMyid && *member.dataOwnerMyid != myid) {
    return refuse(SafetyRule::MyidsNeverReused,
                  member.slot.label() + " holds data of " + idText(*member.dataOwnerMyid) +
                      "; clean it before starting it as " + idText(myid));
  }
  return {};
}

// What the member will run with once (re)started: joiner rules and list version.
Result checkStartConfig(const DesiredEnsemble& desired, const ObservedEnsemble& observed, int myid,
                        Role role, bool asJoiner, std::int64_t configVersion) {
  if (isDynamic(desired) && !isBootstrap(observed)) {
    const ServerEntry* entry = observed.config.find(myid);
    if (entry == nullptr && (!asJoiner || role != Role::Observer)) {
      return refuse(SafetyRule::OneVotingJoiner,
                    idText(myid) +
                        " is not in the committed config: it may only start as an "
                        "observer joiner (committed config + itself)");
    }
    if (entry != nullptr && asJoiner) {
      return refuse(SafetyRule::OneVotingJoiner,
                    idText(myid) + " is already in the committed config; it is not a joiner");
    }
    if (configVersion != observed.config.version) {
      return refuse(SafetyRule::Resumable, idText(myid) + " must start from committed config v" +
                                               std::to_string(observed.config.version));
    }
    return {};
  }
  // Static mode (and the first start in Dynamic mode): only the current list may be used,
  // otherwise a third config would come into play. One exception keeps a roll going: a
  // member leaving the list may come back with the previous list while the leader still
  // counts it (both lists are already in play).
  const bool leaving = !isBootstrap(observed) && observed.config.find(myid) == nullptr &&
                       observed.previousConfig.find(myid) != nullptr &&
                       &leaderConfig(observed, desired.reconfigMode) == &observed.previousConfig;
  if (leaving && configVersion == observed.previousConfig.version) return {};
  if (configVersion != observed.config.version) {
    return refuse(SafetyRule::QuorumIntersection,
                  idText(myid) + " would start with list v" + std::to_string(configVersion) +
                      " while v" + std::to_string(observed.config.version) + " is current");
  }
  if (observed.config.find(myid) == nullptr) {
    return refuse(SafetyRule::QuorumIntersection, idText(myid) + " is not in server list v" +
                                                      std::to_string(observed.config.version) +
                                                      " (not in the peer list)");
  }
  return {};
}

// Rule 3 for taking `member` down (restart or stop) while it is in a config.
Result checkAvailability(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                         const ObservedMember& member) {
  if (!observed.leaderMyid) {
    // Static mode: a voter stuck on an older list that cannot elect a leader may move to
    // the current list; nothing is served anyway and the two lists' quorums intersect.
    const bool stuckOnOldList = !isDynamic(desired) &&
                                member.configVersion != observed.config.version &&
                                inConfig(observed, member.myid);
    if (stuckOnOldList) return {};
    return refuse(SafetyRule::AvailabilityBudget, "no leader: the ensemble has no quorum");
  }
  const auto unhealthy = unhealthyMembers(observed, desired.reconfigMode, member.myid);
  if (!unhealthy.empty()) {
    return refuse(SafetyRule::AvailabilityBudget,
                  unhealthy.front()->slot.label() + " (" + idText(unhealthy.front()->myid) +
                      ") is not up and synced; only one member may be down at a time");
  }
  const bool staticLeader = !isDynamic(desired) && observed.leaderMyid == member.myid;
  const ServerList& counting = leaderConfig(observed, desired.reconfigMode);
  const int left = healthyParticipants(observed, counting, member.myid);
  const int needed = quorumSize(counting.participantCount());
  // 1 or 2 voters: q(n) = n, no restart keeps a quorum; only an explicit opt-in allows it.
  auto outageAccepted = [&desired](const ServerList& list) {
    return desired.tolerateUnavoidableOutage && list.participantCount() <= 2;
  };
  // A Static-mode leader takes its list's quorum with it; what matters is the election
  // under the current list, checked below.
  if (!staticLeader && counting.find(member.myid) != nullptr && left < needed &&
      !outageAccepted(counting)) {
    return refuse(SafetyRule::AvailabilityBudget,
                  "taking " + idText(member.myid) + " down leaves " + std::to_string(left) +
                      " synced voters of config v" + std::to_string(counting.version) +
                      ", quorum is " + std::to_string(needed));
  }
  if (staticLeader) {
    // The election after the leader goes is held under the current list by the members
    // that run it.
    const int running = healthyParticipantsRunning(observed, observed.config, member.myid);
    const int quorum = quorumSize(observed.config.participantCount());
    if (running < quorum && !outageAccepted(observed.config)) {
      return refuse(SafetyRule::AvailabilityBudget,
                    "the election after the leader goes needs " + std::to_string(quorum) +
                        " voters running list v" + std::to_string(observed.config.version) +
                        ", only " + std::to_string(running) + " do");
    }
  }
  return {};
}

Result checkOne(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                const StartMember& s) {
  const ObservedMember* member = observed.findBySlot(s.slot);
  if (member == nullptr || member->myid != s.myid) {
    return refuse(SafetyRule::MyidsNeverReused,
                  s.slot.label() + " has no recorded " + idText(s.myid) + "; assign it first");
  }
  if (member->up) {
    return refuse(SafetyRule::AvailabilityBudget, s.slot.label() + " is already running");
  }
  if (auto r = checkDataOwnership(*member, s.myid); !r) return r;
  if (auto r = checkStartConfig(desired, observed, s.myid, s.role, s.asJoiner, s.configVersion);
      !r) {
    return r;
  }
  // An empty voter must not help form a quorum that could lack the data (BRIEF §6: losing
  // 2 of 3 pods). Without a leader, empty participants wait for the data holders.
  if (!observed.leaderMyid && !member->hasData() && s.role == Role::Participant &&
      anyData(observed) &&
      !emptyVoterMayJoinElection(observed, leaderConfig(observed, desired.reconfigMode))) {
    return refuse(
        SafetyRule::MyidsNeverReused,
        "no leader and " + s.slot.label() + " is empty: it could form a quorum without the data");
  }
  return {};
}

Result checkLeaderLast(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                       const ObservedMember& member) {
  if (observed.leaderMyid != member.myid) return {};
  if (desired.updateStrategy == UpdateStrategy::StatefulSet) return {};  // the baseline
  if (isDynamic(desired) && desired.updateStrategy == UpdateStrategy::Handoff &&
      observed.config.participantCount() >= 2) {
    return refuse(SafetyRule::LeaderLast,
                  "Handoff: the leader " + idText(member.myid) +
                      " is removed by reconfig (handing off) before it restarts");
  }
  for (const auto& other : observed.members) {
    // Members on their way out of the config need no restart.
    if (other.myid == member.myid || !other.up || !inConfig(observed, other.myid)) continue;
    const bool staleList = !isDynamic(desired) && other.configVersion != observed.config.version;
    if (needsVersionChange(other, desired) || staleList) {
      return refuse(SafetyRule::LeaderLast, "the leader " + idText(member.myid) + " goes last; " +
                                                idText(other.myid) + " still needs its restart");
    }
  }
  return {};
}

Result checkOne(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                const RestartMember& s) {
  const ObservedMember* member = observed.findBySlot(s.slot);
  if (member == nullptr || member->myid != s.myid) {
    return refuse(SafetyRule::MyidsNeverReused, s.slot.label() + " does not run " + idText(s.myid));
  }
  if (member->slot.isExternal()) {
    return refuse(SafetyRule::AvailabilityBudget, "external members are not restarted by zkop");
  }
  if (auto r = checkDataOwnership(*member, s.myid); !r) return r;
  if (auto r = checkStartConfig(desired, observed, s.myid, s.role, s.asJoiner, s.configVersion);
      !r) {
    return r;
  }
  if (member->up) {
    if (auto r = checkAvailability(desired, observed, *member); !r) return r;
    if (auto r = checkLeaderLast(desired, observed, *member); !r) return r;
  }
  return {};
}

Result checkOne(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                const StopMember& s) {
  const ObservedMember* member = observed.findBySlot(s.slot);
  if (member == nullptr || member->myid != s.myid) {
    return refuse(SafetyRule::AvailabilityBudget,
                  s.slot.label() + " does not run " + idText(s.myid));
  }
  if (member->slot.isExternal()) {
    return refuse(SafetyRule::AvailabilityBudget, "external members are not stopped by zkop");
  }
  if (inConfig(observed, s.myid)) {
    if (member->up) {
      if (auto r = checkAvailability(desired, observed, *member); !r) return r;
    }
    return {};
  }
  // Out of the config: it was removed (or never joined). Stop it only once a write has
  // committed under the config without it (rule 6) and, in Static mode, once nobody runs a
  // list that still counts it.
  if (member->up && observed.barrierConfigVersion < observed.config.version) {
    return refuse(
        SafetyRule::WaitForEvidence,
        "no write has committed under config v" + std::to_string(observed.config.version) + " yet");
  }
  if (!isDynamic(desired) && member->up) {
    for (const auto& other : observed.members) {
      if (other.up && other.myid != s.myid && inConfig(observed, other.myid) &&
          other.configVersion != observed.config.version) {
        return refuse(SafetyRule::QuorumIntersection,
                      idText(other.myid) + " still runs a list that counts " + idText(s.myid));
      }
    }
  }
  return {};
}

Result checkOne(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                const WriteServerList& s) {
  const bool bootstrap = isBootstrap(observed);
  if (isDynamic(desired) && !bootstrap) {
    return refuse(SafetyRule::OneVotingJoiner,
                  "Dynamic mode changes membership by reconfig, not by rewriting lists");
  }
  if (s.list.version != observed.config.version + 1) {
    return refuse(SafetyRule::Resumable, "list v" + std::to_string(s.list.version) +
                                             " does not follow v" +
                                             std::to_string(observed.config.version));
  }
  if (s.list.participantCount() == 0) {
    return refuse(SafetyRule::QuorumIntersection, "a list without voters");
  }
  for (std::size_t i = 0; i < s.list.servers.size(); ++i) {
    for (std::size_t j = i + 1; j < s.list.servers.size(); ++j) {
      if (s.list.servers[i].myid == s.list.servers[j].myid ||
          s.list.servers[i].slot == s.list.servers[j].slot) {
        return refuse(SafetyRule::MyidsNeverReused,
                      "list names " + idText(s.list.servers[i].myid) + " twice");
      }
    }
  }
  for (const auto& entry : s.list.servers) {
    if (entry.slot.isExternal()) continue;
    const ObservedMember* member = observed.findBySlot(entry.slot);
    if (member == nullptr || member->myid != entry.myid) {
      return refuse(SafetyRule::MyidsNeverReused,
                    entry.slot.label() + " has no recorded " + idText(entry.myid));
    }
  }
  if (bootstrap) return {};
  for (const auto& m : observed.members) {
    // External members included: one still running an old list keeps that list in play.
    if (m.up && m.configVersion != observed.config.version) {
      return refuse(SafetyRule::QuorumIntersection, idText(m.myid) + " still runs list v" +
                                                        std::to_string(m.configVersion) +
                                                        "; a third list would be in play");
    }
  }
  if (!quorumsIntersect(observed.config.participantIds(), s.list.participantIds())) {
    return refuse(SafetyRule::QuorumIntersection,
                  "voters " + std::to_string(observed.config.participantCount()) + " -> " +
                      std::to_string(s.list.participantCount()) +
                      ": a quorum of the old list and one of the new list could be disjoint");
  }
  return {};
}

// A reconfig from the committed config to `next`; `changed` is the server it touches.
Result checkReconfigTo(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                       std::int64_t fromVersion, const ServerList& next, int changed) {
  if (!isDynamic(desired)) {
    return refuse(SafetyRule::QuorumIntersection, "reconfig needs reconfigMode Dynamic");
  }
  if (fromVersion != observed.config.version) {
    return refuse(SafetyRule::Resumable, "reconfig from v" + std::to_string(fromVersion) +
                                             " but v" + std::to_string(observed.config.version) +
                                             " is committed");
  }
  if (!observed.leaderMyid) {
    return refuse(SafetyRule::WaitForEvidence, "reconfig needs a leader");
  }
  if (next.participantCount() == 0) {
    return refuse(SafetyRule::AvailabilityBudget, "reconfig would remove the last voter");
  }
  if (!quorumsIntersect(observed.config.participantIds(), next.participantIds())) {
    return refuse(SafetyRule::QuorumIntersection, "the reconfig changes more than quorum allows");
  }
  const auto unhealthy = unhealthyMembers(observed, desired.reconfigMode, changed);
  if (!unhealthy.empty()) {
    return refuse(SafetyRule::AvailabilityBudget, idText(unhealthy.front()->myid) +
                                                      " is not up and synced; reconfigure when "
                                                      "the ensemble is whole");
  }
  // The leader commits the new config with a quorum of the old and of the new one.
  const int oldUp = healthyParticipants(observed, observed.config);
  const int newUp = healthyParticipants(observed, next);
  if (oldUp < quorumSize(observed.config.participantCount()) ||
      newUp < quorumSize(next.participantCount())) {
    return refuse(SafetyRule::AvailabilityBudget,
                  "after the reconfig " + std::to_string(newUp) + " synced voters of " +
                      std::to_string(next.participantCount()) + " remain");
  }
  return {};
}

Result checkOne(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                const Reconfig& s) {
  ServerList next = observed.config;
  next.version = observed.config.version + 1;
  const int myid = s.server.myid;
  const ServerEntry* current = observed.config.find(myid);
  switch (s.change) {
    case Reconfig::Change::Add: {
      if (current != nullptr) {
        return refuse(SafetyRule::Resumable, idText(myid) + " is already in the config");
      }
      const ObservedMember* member = observed.findByMyid(myid);
      if (member == nullptr || !member->up || !member->synced) {
        return refuse(SafetyRule::WaitForEvidence,
                      idText(myid) + " must be up and synced as an observer before it is added");
      }
      if (!member->slot.isExternal() && member->runningRole != Role::Observer) {
        return refuse(SafetyRule::OneVotingJoiner,
                      idText(myid) + " must have joined as an observer");
      }
      if (mustRetire(*member, desired)) {
        return refuse(SafetyRule::MyidsNeverReused, idText(myid) + " is retired");
      }
      next.servers.push_back(s.server);
      break;
    }
    case Reconfig::Change::Remove:
      if (current == nullptr) {
        return refuse(SafetyRule::Resumable, idText(myid) + " is not in the config");
      }
      if (observed.leaderMyid == myid) {
        return refuse(SafetyRule::LeaderLast,
                      "removing the leader is a hand-off; it is planned as HandOffLeadership");
      }
      std::erase_if(next.servers, [myid](const ServerEntry& e) { return e.myid == myid; });
      break;
    case Reconfig::Change::ChangeRole: {
      if (current == nullptr || current->role == s.server.role) {
        return refuse(SafetyRule::Resumable, idText(myid) + " has no role to change");
      }
      const ObservedMember* member = observed.findByMyid(myid);
      if (s.server.role == Role::Participant &&
          (member == nullptr || !isHealthy(*member, observed))) {
        return refuse(SafetyRule::WaitForEvidence, idText(myid) + " must be synced to vote");
      }
      if (observed.leaderMyid == myid) {
        return refuse(SafetyRule::LeaderLast, "demoting the leader is planned as a hand-off");
      }
      for (auto& e : next.servers) {
        if (e.myid == myid) e.role = s.server.role;
      }
      break;
    }
  }
  return checkReconfigTo(desired, observed, s.fromConfigVersion, next, myid);
}

Result checkOne(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                const HandOffLeadership& s) {
  if (observed.leaderMyid != s.leaderMyid) {
    return refuse(SafetyRule::WaitForEvidence, idText(s.leaderMyid) + " is not the leader");
  }
  if (observed.config.find(s.leaderMyid) == nullptr) {
    return refuse(SafetyRule::Resumable, "the leader is not in the committed config");
  }
  ServerList next = observed.config;
  next.version = observed.config.version + 1;
  std::erase_if(next.servers, [&s](const ServerEntry& e) { return e.myid == s.leaderMyid; });
  return checkReconfigTo(desired, observed, s.fromConfigVersion, next, kNoMyid);
}

Result checkOne(const DesiredEnsemble&, const ObservedEnsemble& observed, const WriteBarrier&) {
  if (!observed.leaderMyid) {
    return refuse(SafetyRule::WaitForEvidence, "a write barrier needs a leader");
  }
  return {};
}

Result checkOne(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                const AssignMyid& s) {
  if (s.newMyid < nextFreeMyid(observed, desired)) {
    return refuse(SafetyRule::MyidsNeverReused,
                  idText(s.newMyid) + " is not above every myid issued before");
  }
  const ObservedMember* member = observed.findBySlot(s.slot);
  if (member != nullptr) {
    if (member->myid != s.oldMyid) {
      return refuse(SafetyRule::Resumable, s.slot.label() + " holds " + idText(member->myid));
    }
    if (member->up || inConfig(observed, member->myid)) {
      return refuse(SafetyRule::MyidsNeverReused,
                    s.slot.label() +
                        " must be out of the config and stopped before it is "
                        "re-numbered");
    }
  } else if (s.oldMyid != kNoMyid) {
    return refuse(SafetyRule::Resumable, s.slot.label() + " has no myid to replace");
  }
  return {};
}

Result checkOne(const DesiredEnsemble&, const ObservedEnsemble& observed, const CleanDataDir& s) {
  const ObservedMember* member = observed.findBySlot(s.slot);
  if (member == nullptr || member->myid != s.myid) {
    return refuse(SafetyRule::Resumable, s.slot.label() + " does not hold " + idText(s.myid));
  }
  if (member->up) {
    return refuse(SafetyRule::AvailabilityBudget, "cannot clean the data of a running member");
  }
  const bool ownData = member->dataOwnerMyid == s.myid && !member->dataLost;
  if (ownData && inConfig(observed, s.myid)) {
    return refuse(SafetyRule::MyidsNeverReused,
                  "the data of " + idText(s.myid) + " is still counted by the config");
  }
  return {};
}

Result checkOne(const DesiredEnsemble&, const ObservedEnsemble&, const Wait&) { return {}; }
Result checkOne(const DesiredEnsemble&, const ObservedEnsemble&, const Blocked&) { return {}; }
Result checkOne(const DesiredEnsemble&, const ObservedEnsemble&, const Done&) { return {}; }

}  // namespace

std::string toString(const Violation& violation) {
  static constexpr const char* kNames[] = {"",
                                           "quorum intersection",
                                           "one voting joiner",
                                           "availability budget",
                                           "leader last",
                                           "myids never reused",
                                           "wait for evidence",
                                           "resumable"};
  const int rule = static_cast<int>(violation.rule);
  return "rule " + std::to_string(rule) + " (" + kNames[rule] + "): " + violation.message;
}

std::expected<void, Violation> checkStep(const DesiredEnsemble& desired,
                                         const ObservedEnsemble& observed, const Step& step) {
  return std::visit([&](const auto& s) { return checkOne(desired, observed, s); }, step);
}

}  // namespace zkop::planner
