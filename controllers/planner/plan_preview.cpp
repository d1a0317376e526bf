#include "controllers/planner/plan_preview.h"

#include <algorithm>
#include <set>

#include "controllers/planner/ensemble_view.h"
#include "controllers/planner/planner.h"

namespace zkop::planner {

namespace {

ObservedMember* findSlot(ObservedEnsemble& e, const MemberSlot& slot) {
  auto it = std::find_if(e.members.begin(), e.members.end(),
                         [&slot](const ObservedMember& m) { return m.slot == slot; });
  return it == e.members.end() ? nullptr : &*it;
}

ObservedMember* findId(ObservedEnsemble& e, int myid) {
  auto it = std::find_if(e.members.begin(), e.members.end(),
                         [myid](const ObservedMember& m) { return m.myid == myid; });
  return it == e.members.end() ? nullptr : &*it;
}

void bringUp(ObservedMember& m, Role role, const std::string& version, std::int64_t list) {
  m.podPresent = m.up = m.synced = true;
  m.runningRole = role;
  m.version = version;
  m.configVersion = list;
  m.dataOwnerMyid = m.myid;
  m.dataLost = false;
  m.fault = MemberFault::None;
}

// With equal zxid the highest myid wins; a member without data never wins over one with.
// In Static mode only members running a list count votes under it.
void electIfNeeded(ObservedEnsemble& e, bool staticMode) {
  if (e.leaderMyid) return;
  for (const ServerList* list : {&e.config, &e.previousConfig}) {
    std::vector<const ObservedMember*> voters;
    for (int id : list->participantIds()) {
      const ObservedMember* m = findId(e, id);
      if (m != nullptr && m->up && (!staticMode || m->configVersion == list->version)) {
        voters.push_back(m);
      }
    }
    if (voters.empty() || static_cast<int>(voters.size()) < quorumSize(list->participantCount())) {
      continue;
    }
    const auto best =
        std::max_element(voters.begin(), voters.end(), [](const auto* a, const auto* b) {
          return std::pair(a->hasData(), a->myid) < std::pair(b->hasData(), b->myid);
        });
    e.leaderMyid = (*best)->myid;
    return;
  }
}

std::string count(int n, const char* what) { return std::to_string(n) + " " + what; }

std::string intersectionText(const std::vector<int>& before, const std::vector<int>& after) {
  std::set<int> all(before.begin(), before.end());
  all.insert(after.begin(), after.end());
  const int qb = quorumSize(static_cast<int>(before.size()));
  const int qa = quorumSize(static_cast<int>(after.size()));
  return "q(" + std::to_string(before.size()) + ") + q(" + std::to_string(after.size()) +
         ") = " + std::to_string(qb + qa) + " > " + std::to_string(all.size()) +
         " voters in either: every old quorum meets every new one (rule 1)";
}

}  // namespace

ObservedEnsemble expectedOutcome(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                                 const Step& step) {
  ObservedEnsemble next = observed;
  if (const auto* s = std::get_if<StartMember>(&step)) {
    if (ObservedMember* m = findSlot(next, s->slot)) {
      bringUp(*m, s->asJoiner ? Role::Observer : s->role, s->version, s->configVersion);
    }
  } else if (const auto* r = std::get_if<RestartMember>(&step)) {
    if (ObservedMember* m = findSlot(next, r->slot); m != nullptr && next.leaderMyid == r->myid) {
      // The others elect a successor while the old leader is still down.
      m->up = false;
      next.leaderMyid.reset();
      electIfNeeded(next, desired.reconfigMode == ReconfigMode::Static);
    }
    if (ObservedMember* m = findSlot(next, r->slot)) {
      bringUp(*m, r->asJoiner ? Role::Observer : r->role, r->version, r->configVersion);
    }
  } else if (const auto* stop = std::get_if<StopMember>(&step)) {
    if (next.leaderMyid == stop->myid) next.leaderMyid.reset();
    if (stop->decommission) {
      std::erase_if(next.members, [stop](const ObservedMember& m) { return m.slot == stop->slot; });
    } else if (ObservedMember* m = findSlot(next, stop->slot)) {
      m->up = m->podPresent = m->synced = false;
    }
  } else if (const auto* w = std::get_if<WriteServerList>(&step)) {
    next.previousConfig = next.config;
    next.config = w->list;
  } else if (const auto* rc = std::get_if<Reconfig>(&step)) {
    const int myid = rc->server.myid;
    std::erase_if(next.config.servers, [myid](const ServerEntry& e) { return e.myid == myid; });
    if (rc->change != Reconfig::Change::Remove) next.config.servers.push_back(rc->server);
    next.config.version += 1;
    if (ObservedMember* m = findId(next, myid)) {
      if (rc->change == Reconfig::Change::Remove) {
        m->synced = false;
      } else {
        m->runningRole = rc->server.role;
      }
    }
  } else if (const auto* h = std::get_if<HandOffLeadership>(&step)) {
    std::erase_if(next.config.servers,
                  [h](const ServerEntry& e) { return e.myid == h->leaderMyid; });
    next.config.version += 1;
    if (ObservedMember* m = findId(next, h->leaderMyid)) m->synced = false;
    next.leaderMyid.reset();
  } else if (std::holds_alternative<WriteBarrier>(step)) {
    next.barrierConfigVersion = next.config.version;
  } else if (const auto* a = std::get_if<AssignMyid>(&step)) {
    if (ObservedMember* m = findSlot(next, a->slot)) {
      m->myid = a->newMyid;
      m->dataLost = false;
    } else {
      ObservedMember fresh;
      fresh.slot = a->slot;
      fresh.myid = a->newMyid;
      fresh.version = desired.targetVersion;
      next.members.push_back(fresh);
    }
    next.highestMyidIssued = std::max(next.highestMyidIssued, a->newMyid);
  } else if (const auto* c = std::get_if<CleanDataDir>(&step)) {
    if (ObservedMember* m = findSlot(next, c->slot)) {
      m->dataOwnerMyid.reset();
      m->dataLost = false;
    }
  }
  electIfNeeded(next, desired.reconfigMode == ReconfigMode::Static);
  if (next.leaderMyid) {
    for (auto& m : next.members) {
      // Static mode: the leader refuses a learner its own list does not name (ZooKeeper
      // 3.5+); a new member syncs once the roll has restarted the leader onto its list.
      // It stays as empty as it started.
      if (waitsForLeaderList(m, next, desired.reconfigMode)) {
        m.synced = false;
        const ObservedMember* before = observed.findBySlot(m.slot);
        if (before == nullptr || !before->hasData() || before->myid != m.myid) {
          m.dataOwnerMyid.reset();
        }
        continue;
      }
      if (m.up && (next.config.find(m.myid) != nullptr || m.runningRole == Role::Observer)) {
        m.synced = true;
        m.dataOwnerMyid = m.myid;
      }
    }
  }
  return next;
}

std::string whySafe(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                    const Step& step) {
  const ServerList& counting = leaderConfig(observed, desired.reconfigMode);
  const int voters = counting.participantCount();
  if (const auto* s = std::get_if<StartMember>(&step)) {
    if (s->asJoiner) {
      return "joins as an observer of the committed config: no vote changes until it is "
             "synced and added (rule 2)";
    }
    const ObservedMember* m = observed.findBySlot(s->slot);
    const bool leaderKnowsIt = desired.reconfigMode == ReconfigMode::Dynamic ||
                               !observed.leaderMyid || counting.find(s->myid) != nullptr;
    if (m != nullptr && !m->hasData() && !leaderKnowsIt) {
      return "a new, empty member of list v" + std::to_string(s->configVersion) +
             ": the leader, still on list v" + std::to_string(counting.version) +
             ", refuses it until the roll restarts the leader, so it has no vote in the "
             "leader's quorum; nothing is taken down (rules 1, 3, 5)";
    }
    if (m != nullptr && !m->hasData()) {
      return "a new, empty member of list v" + std::to_string(s->configVersion) +
             ": it syncs from the leader, and nothing is taken down (rules 3, 5)";
    }
    return "brings back a member of list v" + std::to_string(s->configVersion) +
           " with its own data; nothing is taken down (rules 3, 5)";
  }
  if (const auto* r = std::get_if<RestartMember>(&step)) {
    if (r->asJoiner) {
      return "out of the config, so restarting it costs no vote; it rejoins as an observer "
             "and is added back once synced (rule 2)";
    }
    if (r->isLeader) {
      const bool isStatic = desired.reconfigMode == ReconfigMode::Static;
      const int electors = isStatic ? healthyParticipantsRunning(observed, observed.config, r->myid)
                                    : healthyParticipants(observed, observed.config, r->myid);
      return "the leader goes last, every other member is done (rule 4); " +
             count(electors, isStatic ? "voters running the new list" : "synced voters") +
             " elect its successor";
    }
    const int left = healthyParticipants(observed, counting, r->myid);
    return count(left, "of") + " " + std::to_string(voters) + " voters stay synced, quorum is " +
           std::to_string(quorumSize(voters)) + "; one member down at a time (rule 3)";
  }
  if (const auto* stop = std::get_if<StopMember>(&step)) {
    if (observed.config.find(stop->myid) == nullptr) {
      return "not in config v" + std::to_string(observed.config.version) +
             " and a write has committed without it (rule 6)";
    }
    return count(healthyParticipants(observed, counting, stop->myid), "synced voters") +
           " remain, quorum is " + std::to_string(quorumSize(voters)) + " (rule 3)";
  }
  if (const auto* w = std::get_if<WriteServerList>(&step)) {
    if (isBootstrap(observed)) return "the first list: nothing runs yet";
    return intersectionText(observed.config.participantIds(), w->list.participantIds()) +
           "; it takes effect member by member, the leader last";
  }
  if (const auto* rc = std::get_if<Reconfig>(&step)) {
    std::vector<int> after = observed.config.participantIds();
    std::erase(after, rc->server.myid);
    if (rc->change != Reconfig::Change::Remove && rc->server.role == Role::Participant) {
      after.push_back(rc->server.myid);
    }
    std::string text = intersectionText(observed.config.participantIds(), after);
    if (rc->change == Reconfig::Change::Add) text += "; it is synced as an observer (rule 2)";
    return text + "; conditional on config v" + std::to_string(rc->fromConfigVersion) + " (rule 7)";
  }
  if (const auto* h = std::get_if<HandOffLeadership>(&step)) {
    return "the leader designates a successor among " +
           count(healthyParticipants(observed, observed.config, h->leaderMyid), "synced voters") +
           ": leadership moves without an election (rule 4)";
  }
  if (const auto* b = std::get_if<WriteBarrier>(&step)) {
    return "proves config v" + std::to_string(b->configVersion) +
           " is committed before any removed server stops (rule 6)";
  }
  if (const auto* a = std::get_if<AssignMyid>(&step)) {
    return "myid " + std::to_string(a->newMyid) + " is above every myid issued (" +
           std::to_string(observed.effectiveHighestMyid()) + "); myids are never reused (rule 5)";
  }
  if (const auto* c = std::get_if<CleanDataDir>(&step)) {
    return "the data dir does not belong to myid " + std::to_string(c->myid) +
           "; it starts empty and syncs from the leader (rule 5)";
  }
  return {};
}

PlanPreview previewPlan(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                        int maxSteps) {
  PlanPreview preview;
  ObservedEnsemble state = observed;
  preview.end = Blocked{"the plan is longer than " + std::to_string(maxSteps) + " steps"};
  for (int i = 0; i < maxSteps; ++i) {
    Step step = nextStep(desired, state);
    if (!isAction(step)) {
      preview.end = std::move(step);
      break;
    }
    PreviewStep p;
    p.number = static_cast<int>(preview.steps.size()) + 1;
    p.action = actionName(step);
    p.description = describe(step);
    p.whySafe = whySafe(desired, state, step);
    std::visit(
        [&p](const auto& s) {
          if constexpr (requires { s.slot; }) p.member = s.slot;
          if constexpr (requires { s.myid; }) p.myid = s.myid;
          if constexpr (requires { s.newMyid; }) p.myid = s.newMyid;
          if constexpr (requires { s.leaderMyid; }) p.myid = s.leaderMyid;
          if constexpr (requires { s.server; }) {
            p.member = s.server.slot;
            p.myid = s.server.myid;
          }
        },
        step);
    state = expectedOutcome(desired, state, step);
    p.votersAfter = state.config.participantIds();
    p.observersAfter = state.config.observerIds();
    p.quorumAfter = quorumSize(static_cast<int>(p.votersAfter.size()));
    p.step = std::move(step);
    preview.steps.push_back(std::move(p));
  }
  return preview;
}

}  // namespace zkop::planner
