// Dynamic mode membership (ZooKeeper 3.5+ reconfig). Sequencing, one step per call:
//   1. removed servers are stopped once a write commits without them (rule 6);
//   2. members that must rejoin (a handed-off leader, a member that ran with a stale role)
//      restart as joiners: committed config + themselves as observer (rule 2);
//   3. every free target slot gets a new myid and starts as an observer joiner, all of them
//      before any promotion (observer-first moves, seed 001);
//   4. one reconfig at a time: add observers, then keep the voter count near the target by
//      adding a synced joiner or removing a voter (the leader last, by hand-off).
#include <algorithm>

#include "controllers/planner/ensemble_view.h"
#include "controllers/planner/plan_context.h"

namespace zkop::planner {

namespace {

std::optional<Step> stopRemovedMembers(const PlanContext& ctx) {
  const ObservedEnsemble& observed = ctx.observed;
  for (const auto& m : observed.members) {
    if (m.slot.isExternal() || inConfig(observed, m.myid)) continue;
    if (!m.up && !m.podPresent) continue;
    if (ctx.wantedAs(m) != nullptr) continue;
    if (m.up && observed.barrierConfigVersion < observed.config.version) {
      return WriteBarrier{observed.config.version};
    }
    const bool slotWanted = ctx.target.find(m.slot) != nullptr;
    return StopMember{m.slot, m.myid, !slotWanted, observed.leaderMyid == m.myid};
  }
  return std::nullopt;
}

std::optional<Step> restartStaleJoiners(const PlanContext& ctx) {
  const ObservedEnsemble& observed = ctx.observed;
  for (const auto& m : observed.members) {
    if (m.slot.isExternal() || !m.up || inConfig(observed, m.myid)) continue;
    if (ctx.wantedAs(m) == nullptr) continue;
    const bool properJoiner =
        m.runningRole == Role::Observer && m.version == ctx.desired.targetVersion;
    if (properJoiner) continue;
    // It may have been in the config moments ago (a hand-off): let a write commit first.
    if (observed.barrierConfigVersion < observed.config.version) {
      return WriteBarrier{observed.config.version};
    }
    return ctx.restart(m, Role::Observer, true);
  }
  return std::nullopt;
}

std::optional<Step> startJoiners(const PlanContext& ctx) {
  const ObservedEnsemble& observed = ctx.observed;
  for (const auto& t : ctx.target.members) {
    if (t.fixedMyid != 0) continue;  // external servers are started by their owners
    const ObservedMember* m = observed.findBySlot(t.slot);
    if (m == nullptr) return AssignMyid{t.slot, kNoMyid, nextFreeMyid(observed, ctx.desired)};
    if (ctx.wantedAs(*m) == nullptr) {
      // A member to replace: it leaves the config first (by reconfig, below), is stopped
      // (above), and only then does its slot get a new myid.
      if (inConfig(observed, m->myid) || m->up || m->podPresent) continue;
      return AssignMyid{t.slot, m->myid, nextFreeMyid(observed, ctx.desired)};
    }
    if (inConfig(observed, m->myid) || m->up) continue;
    if (m->podPresent) return Wait{t.slot.label() + " to come up as a joiner"};
    if (m->dataOwnerMyid && (*m->dataOwnerMyid != m->myid || m->dataLost)) {
      return CleanDataDir{m->slot, m->myid};
    }
    return ctx.start(*m, Role::Observer, true);
  }
  return std::nullopt;
}

struct Candidates {
  std::vector<Step> addObservers;
  std::vector<Step> addVoters;  // new participants and promotions
  std::vector<Step> removals;   // in the order to try: observers, followers, the leader
};

Candidates reconfigCandidates(const PlanContext& ctx) {
  const ObservedEnsemble& observed = ctx.observed;
  const std::int64_t from = observed.config.version;
  Candidates c;
  // Joiners (not in the config) that are synced: add with their target role.
  for (const auto& t : ctx.target.members) {
    const ObservedMember* m = ctx.validMemberFor(t);
    if (m == nullptr || inConfig(observed, m->myid) || !isHealthy(*m, observed)) continue;
    if (!m->slot.isExternal() && m->runningRole != Role::Observer) continue;
    Reconfig add{Reconfig::Change::Add, {m->myid, m->slot, t.role}, from};
    (t.role == Role::Observer ? c.addObservers : c.addVoters).push_back(add);
  }
  std::vector<Step> observerRemovals, followerRemovals, demotions, leaderRemoval;
  for (const auto& entry : observed.config.servers) {
    const ObservedMember* m = observed.findByMyid(entry.myid);
    const TargetMember* t = m == nullptr ? nullptr : ctx.wantedAs(*m);
    const bool isLeader = observed.leaderMyid == entry.myid;
    if (t == nullptr) {
      if (isLeader) {
        leaderRemoval.push_back(HandOffLeadership{entry.slot, entry.myid, from});
      } else {
        Reconfig remove{Reconfig::Change::Remove, entry, from};
        (entry.role == Role::Observer ? observerRemovals : followerRemovals).push_back(remove);
      }
      continue;
    }
    if (t->role == entry.role) continue;
    if (t->role == Role::Participant) {
      c.addVoters.push_back(Reconfig{
          Reconfig::Change::ChangeRole, {entry.myid, entry.slot, Role::Participant}, from});
    } else if (isLeader) {
      // Demoting the leader: hand off first; it rejoins as an observer joiner.
      leaderRemoval.push_back(HandOffLeadership{entry.slot, entry.myid, from});
    } else {
      demotions.push_back(
          Reconfig{Reconfig::Change::ChangeRole, {entry.myid, entry.slot, Role::Observer}, from});
    }
  }
  for (auto* group : {&observerRemovals, &followerRemovals, &demotions, &leaderRemoval}) {
    c.removals.insert(c.removals.end(), group->begin(), group->end());
  }
  return c;
}

std::optional<Step> firstPassing(const PlanContext& ctx, const std::vector<Step>& steps) {
  for (const auto& s : steps) {
    if (ctx.passes(s)) return s;
  }
  return std::nullopt;
}

std::optional<Step> nextReconfig(const PlanContext& ctx) {
  const Candidates c = reconfigCandidates(ctx);
  if (auto s = firstPassing(ctx, c.addObservers)) return s;
  const int voters = ctx.observed.config.participantCount();
  const int wanted = ctx.target.participantCount();
  // Above target: shrink first. Otherwise grow first, so a migration never has fewer voters
  // than it started with (add D, remove A, add E, remove B, ...).
  if (voters > wanted) {
    if (auto s = firstPassing(ctx, c.removals)) return s;
  }
  if (auto s = firstPassing(ctx, c.addVoters)) return s;
  if (auto s = firstPassing(ctx, c.removals)) return s;
  if (!c.addVoters.empty() || !c.removals.empty() || !c.addObservers.empty()) {
    const Step& wantedStep =
        !c.removals.empty() ? c.removals.front()
                            : (!c.addVoters.empty() ? c.addVoters.front() : c.addObservers.front());
    return wantedStep;  // refused by the checker: nextStep turns it into Blocked with the rule
  }
  return std::nullopt;
}

}  // namespace

std::optional<Step> planDynamicMembership(const PlanContext& ctx) {
  if (auto s = stopRemovedMembers(ctx)) return s;
  if (auto s = restartStaleJoiners(ctx)) return s;
  if (auto s = startJoiners(ctx)) return s;
  if (auto s = nextReconfig(ctx)) return s;
  // External targets that never showed up: their owners start them as observer joiners.
  for (const auto& t : ctx.target.members) {
    if (t.fixedMyid == 0) continue;
    const ObservedMember* m = ctx.observed.findByMyid(t.fixedMyid);
    if (m == nullptr || !m->up) {
      return Wait{"external member " + t.slot.label() + " (myid " + std::to_string(t.fixedMyid) +
                  ") to start as an observer joiner of config v" +
                  std::to_string(ctx.observed.config.version)};
    }
  }
  return std::nullopt;
}

}  // namespace zkop::planner
