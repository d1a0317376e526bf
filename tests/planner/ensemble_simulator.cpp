#include "tests/planner/ensemble_simulator.h"

#include <algorithm>

#include "controllers/planner/target_shape.h"

namespace zkop::planner::testing {

namespace {

std::string idText(int myid) { return "myid " + std::to_string(myid); }

bool isParticipant(const ServerList& list, int myid) {
  const ServerEntry* e = list.find(myid);
  return e != nullptr && e->role == Role::Participant;
}

// Election preference with equal epochs: more data first, then the highest myid.
bool betterLeader(const ObservedMember& a, const ObservedMember& b) {
  if (a.hasData() != b.hasData()) return a.hasData();
  return a.myid > b.myid;
}

}  // namespace

EnsembleSimulator EnsembleSimulator::settled(const DesiredEnsemble& desired,
                                             const std::string& version, int leaderMyid) {
  EnsembleSimulator sim;
  sim.mode_ = desired.reconfigMode;
  auto shape = targetShape(desired);
  if (!shape) {
    sim.stats_.errors.push_back("initial shape refused: " + shape.error());
    return sim;
  }
  ServerList list;
  list.version = 1;
  int next = desired.myidBase;
  for (const auto& t : shape->members) {
    const int myid = t.fixedMyid != 0 ? t.fixedMyid : next++;
    ObservedMember m;
    m.slot = t.slot;
    m.myid = myid;
    m.podPresent = m.up = m.synced = true;
    m.runningRole = t.role;
    m.version = version;
    m.configVersion = list.version;
    m.dataOwnerMyid = myid;
    sim.state_.members.push_back(m);
    list.servers.push_back({myid, t.slot, t.role});
    sim.issued_.insert(myid);
    sim.state_.highestMyidIssued = std::max(sim.state_.highestMyidIssued, myid);
  }
  sim.state_.config = list;
  sim.state_.barrierConfigVersion = list.version;
  sim.lists_[list.version] = list;
  if (leaderMyid >= 0) {
    sim.state_.leaderMyid = leaderMyid;
  } else {
    sim.elect();
  }
  return sim;
}

EnsembleSimulator EnsembleSimulator::empty(ReconfigMode mode) {
  EnsembleSimulator sim;
  sim.mode_ = mode;
  return sim;
}

ObservedMember* EnsembleSimulator::bySlot(const MemberSlot& slot) {
  auto it = std::find_if(state_.members.begin(), state_.members.end(),
                         [&slot](const ObservedMember& m) { return m.slot == slot; });
  return it == state_.members.end() ? nullptr : &*it;
}

ObservedMember* EnsembleSimulator::byMyid(int myid) {
  auto it = std::find_if(state_.members.begin(), state_.members.end(),
                         [myid](const ObservedMember& m) { return m.myid == myid; });
  return it == state_.members.end() ? nullptr : &*it;
}

const ServerList* EnsembleSimulator::listVersion(std::int64_t version) const {
  auto it = lists_.find(version);
  return it == lists_.end() ? nullptr : &it->second;
}

void EnsembleSimulator::loseLeader() {
  state_.leaderMyid.reset();
  for (auto& m : state_.members) m.synced = false;  // everybody re-syncs with the next leader
}

void EnsembleSimulator::startProcess(ObservedMember& m, Role role, const std::string& version,
                                     std::int64_t configVersion) {
  if (m.dataLost || (m.dataOwnerMyid && *m.dataOwnerMyid != m.myid)) {
    stats_.errors.push_back(m.slot.label() + " started as " + idText(m.myid) +
                            " on data that is not its own");
  }
  m.podPresent = true;
  m.up = !keptDown_.contains(m.myid);
  m.synced = false;
  m.runningRole = role;
  m.version = version;
  m.configVersion = configVersion;
  m.fault = MemberFault::None;
}

// Who can win an election. Dynamic mode: the committed config's running voters. Static
// mode: a candidate wins when enough running voters of its own list also count it as a
// voter in theirs. Two winners backed by disjoint voters would be a split brain.
void EnsembleSimulator::elect() {
  struct Winner {
    const ObservedMember* leader;
    std::set<int> backers;
  };
  std::vector<Winner> winners;
  for (const auto& c : state_.members) {
    if (!c.up) continue;
    const ServerList* own =
        mode_ == ReconfigMode::Dynamic ? &state_.config : listVersion(c.configVersion);
    if (own == nullptr || !isParticipant(*own, c.myid)) continue;
    if (mode_ == ReconfigMode::Dynamic && c.runningRole != Role::Participant) continue;
    std::set<int> backers;
    for (const auto& v : state_.members) {
      if (!v.up || !isParticipant(*own, v.myid)) continue;
      const ServerList* theirs =
          mode_ == ReconfigMode::Dynamic ? &state_.config : listVersion(v.configVersion);
      if (theirs != nullptr && isParticipant(*theirs, c.myid)) backers.insert(v.myid);
    }
    if (static_cast<int>(backers.size()) >= quorumSize(own->participantCount())) {
      winners.push_back({&c, backers});
    }
  }
  if (winners.empty()) return;
  for (std::size_t i = 0; i < winners.size(); ++i) {
    for (std::size_t j = i + 1; j < winners.size(); ++j) {
      std::vector<int> common;
      std::set_intersection(winners[i].backers.begin(), winners[i].backers.end(),
                            winners[j].backers.begin(), winners[j].backers.end(),
                            std::back_inserter(common));
      if (common.empty()) {
        stats_.errors.push_back("split brain: " + idText(winners[i].leader->myid) + " and " +
                                idText(winners[j].leader->myid) +
                                " can both lead with disjoint quorums");
      }
    }
  }
  const ObservedMember* best = winners.front().leader;
  for (const auto& w : winners) {
    if (betterLeader(*w.leader, *best)) best = w.leader;
  }
  const bool dataSomewhere = std::any_of(state_.members.begin(), state_.members.end(),
                                         [](const ObservedMember& m) { return m.hasData(); });
  if (dataSomewhere && !best->hasData()) {
    stats_.errors.push_back("empty " + idText(best->myid) +
                            " was elected while others hold data: acknowledged writes lost");
  }
  state_.leaderMyid = best->myid;
  ++stats_.elections;
}

void EnsembleSimulator::settle() {
  if (!state_.leaderMyid) elect();
  if (!state_.leaderMyid) return;
  // Static mode: the list the leader itself runs decides whom it accepts as a learner.
  const ServerList* leaderList = nullptr;
  if (mode_ == ReconfigMode::Static) {
    const ObservedMember* leader = byMyid(*state_.leaderMyid);
    if (leader != nullptr) leaderList = listVersion(leader->configVersion);
  }
  for (auto& m : state_.members) {
    if (!m.up) continue;
    bool follows = false;
    if (mode_ == ReconfigMode::Dynamic) {
      const bool joiner = m.runningRole == Role::Observer;
      follows = state_.config.find(m.myid) != nullptr || joiner;
    } else {
      const ServerList* own = listVersion(m.configVersion);
      follows = own != nullptr && own->find(m.myid) != nullptr;
      if (!follows) {
        m.up = false;  // "My id N not in the peer list": the process exits
        m.fault = MemberFault::NotInPeerList;
      } else if (leaderList == nullptr || leaderList->find(m.myid) == nullptr) {
        // ZooKeeper 3.5+: a leader refuses a learner whose sid is not in its own list. The
        // member stays up (LOOKING, reconnecting) but never syncs until the leader runs a
        // list that names it.
        follows = false;
        m.synced = false;
      }
    }
    if (follows) {
      m.synced = true;
      m.dataOwnerMyid = m.myid;
    }
  }
}

bool EnsembleSimulator::apply(const Step& step) {
  const std::size_t errorsBefore = stats_.errors.size();
  auto fail = [this](std::string why) {
    stats_.errors.push_back("cannot apply: " + std::move(why));
    return false;
  };
  if (const auto* start = std::get_if<StartMember>(&step)) {
    ObservedMember* m = bySlot(start->slot);
    if (m == nullptr || m->up || m->slot.isExternal()) return fail(describe(step));
    startProcess(*m, start->asJoiner ? Role::Observer : start->role, start->version,
                 start->configVersion);
  } else if (const auto* restart = std::get_if<RestartMember>(&step)) {
    ObservedMember* m = bySlot(restart->slot);
    if (m == nullptr || m->slot.isExternal()) return fail(describe(step));
    if (state_.leaderMyid == m->myid) {
      // The others elect a leader while this one is still down.
      ++stats_.leaderRestarts;
      m->up = false;
      loseLeader();
      elect();
    }
    startProcess(*m, restart->asJoiner ? Role::Observer : restart->role, restart->version,
                 restart->configVersion);
  } else if (const auto* stop = std::get_if<StopMember>(&step)) {
    ObservedMember* m = bySlot(stop->slot);
    if (m == nullptr || m->slot.isExternal()) return fail(describe(step));
    if (state_.leaderMyid == m->myid) {
      ++stats_.leaderRestarts;
      loseLeader();
    }
    m->up = m->podPresent = m->synced = false;
    if (stop->decommission) {
      if (m->dataOwnerMyid) retainedData_[m->slot] = *m->dataOwnerMyid;
      const MemberSlot slot = m->slot;
      std::erase_if(state_.members, [&slot](const ObservedMember& x) { return x.slot == slot; });
    }
  } else if (const auto* write = std::get_if<WriteServerList>(&step)) {
    state_.previousConfig = state_.config;
    state_.config = write->list;
    lists_[write->list.version] = write->list;
  } else if (const auto* rc = std::get_if<Reconfig>(&step)) {
    if (mode_ != ReconfigMode::Dynamic || !state_.leaderMyid ||
        rc->fromConfigVersion != state_.config.version) {
      return fail(describe(step));
    }
    ServerList next = state_.config;
    next.version += 1;
    const int myid = rc->server.myid;
    std::erase_if(next.servers, [myid](const ServerEntry& e) { return e.myid == myid; });
    if (rc->change != Reconfig::Change::Remove) next.servers.push_back(rc->server);
    state_.config = next;
    lists_[next.version] = next;
    if (ObservedMember* m = byMyid(myid)) {
      if (rc->change == Reconfig::Change::Remove) {
        m->synced = false;  // a removed server stops serving
      } else {
        m->runningRole = rc->server.role;
      }
    }
  } else if (const auto* handoff = std::get_if<HandOffLeadership>(&step)) {
    if (mode_ != ReconfigMode::Dynamic || state_.leaderMyid != handoff->leaderMyid) {
      return fail(describe(step));
    }
    ServerList next = state_.config;
    next.version += 1;
    std::erase_if(next.servers,
                  [handoff](const ServerEntry& e) { return e.myid == handoff->leaderMyid; });
    state_.config = next;
    lists_[next.version] = next;
    // The old leader designates a successor among the synced voters.
    const ObservedMember* successor = nullptr;
    int backers = 0;
    for (const auto& m : state_.members) {
      if (!m.up || !m.synced || !isParticipant(next, m.myid)) continue;
      ++backers;
      if (successor == nullptr || betterLeader(m, *successor)) successor = &m;
    }
    if (ObservedMember* old = byMyid(handoff->leaderMyid)) old->synced = false;
    if (successor == nullptr || backers < quorumSize(next.participantCount())) {
      loseLeader();
      stats_.errors.push_back("hand-off without a quorum to take over");
    } else {
      state_.leaderMyid = successor->myid;
      ++stats_.handoffs;
    }
  } else if (std::holds_alternative<WriteBarrier>(step)) {
    if (!state_.leaderMyid) return fail(describe(step));
    state_.barrierConfigVersion = state_.config.version;
  } else if (const auto* assign = std::get_if<AssignMyid>(&step)) {
    if (issued_.contains(assign->newMyid)) {
      stats_.errors.push_back("myid " + std::to_string(assign->newMyid) + " issued twice");
    }
    issued_.insert(assign->newMyid);
    if (ObservedMember* m = bySlot(assign->slot)) {
      if (m->up) return fail(describe(step));
      m->myid = assign->newMyid;
      m->dataLost = false;  // the old myid's loss; the new myid starts from scratch
      m->fault = MemberFault::None;
    } else {
      ObservedMember fresh;
      fresh.slot = assign->slot;
      fresh.myid = assign->newMyid;
      // A scaled-down pod's PVC comes back with the old member's data.
      if (auto it = retainedData_.find(assign->slot); it != retainedData_.end()) {
        fresh.dataOwnerMyid = it->second;
      }
      state_.members.push_back(fresh);
    }
    state_.highestMyidIssued = std::max(state_.highestMyidIssued, assign->newMyid);
  } else if (const auto* clean = std::get_if<CleanDataDir>(&step)) {
    ObservedMember* m = bySlot(clean->slot);
    if (m == nullptr || m->up) return fail(describe(step));
    m->dataOwnerMyid.reset();
    m->dataLost = false;
    retainedData_.erase(clean->slot);
  }
  return stats_.errors.size() == errorsBefore;
}

void EnsembleSimulator::crash(int myid) {
  ObservedMember* m = byMyid(myid);
  if (m == nullptr || m->slot.isExternal()) return;
  m->up = m->podPresent = m->synced = false;
  if (state_.leaderMyid == myid) loseLeader();
}

void EnsembleSimulator::loseData(int myid) {
  ObservedMember* m = byMyid(myid);
  if (m == nullptr || m->slot.isExternal()) return;
  crash(myid);
  m->dataOwnerMyid.reset();
  m->dataLost = true;
}

bool EnsembleSimulator::ownerRestarts(int myid) {
  ObservedMember* m = byMyid(myid);
  if (m == nullptr || !m->slot.isExternal()) return false;
  if (state_.leaderMyid == myid) {
    m->up = false;
    loseLeader();
    elect();
  }
  const ServerEntry* entry = state_.config.find(myid);
  startProcess(*m, entry != nullptr ? entry->role : m->runningRole, m->version,
               state_.config.version);
  return true;
}

bool EnsembleSimulator::ownerStops(int myid) {
  ObservedMember* m = byMyid(myid);
  if (m == nullptr || !m->slot.isExternal()) return false;
  m->up = m->synced = false;
  if (state_.leaderMyid == myid) loseLeader();
  return true;
}

std::string EnsembleSimulator::differenceFrom(const DesiredEnsemble& desired) const {
  auto shape = targetShape(desired);
  if (!shape) return "target refused: " + shape.error();
  if (!state_.leaderMyid) return "no leader";
  if (state_.config.servers.size() != shape->members.size()) {
    return "config has " + std::to_string(state_.config.servers.size()) + " servers, target " +
           std::to_string(shape->members.size());
  }
  for (const auto& t : shape->members) {
    const auto it = std::find_if(state_.members.begin(), state_.members.end(),
                                 [&t](const ObservedMember& m) { return m.slot == t.slot; });
    if (it == state_.members.end()) return t.slot.label() + " missing";
    const ObservedMember& m = *it;
    const ServerEntry* entry = state_.config.find(m.myid);
    if (entry == nullptr || entry->role != t.role || !(entry->slot == t.slot)) {
      return t.slot.label() + " not in the config with its role";
    }
    if (!m.up || !(m.synced || state_.leaderMyid == m.myid)) return t.slot.label() + " not synced";
    if (!m.slot.isExternal() && m.version != desired.targetVersion) {
      return t.slot.label() + " runs " + m.version;
    }
    if (mode_ == ReconfigMode::Static && m.configVersion != state_.config.version) {
      return t.slot.label() + " runs an old list";
    }
    if (mode_ == ReconfigMode::Dynamic && m.runningRole != t.role) {
      return t.slot.label() + " runs with the wrong role";
    }
  }
  for (const auto& m : state_.members) {
    if ((m.up || m.podPresent) && shape->find(m.slot) == nullptr && !m.slot.isExternal()) {
      return m.slot.label() + " still runs";
    }
  }
  return {};
}

}  // namespace zkop::planner::testing
